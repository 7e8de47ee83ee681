"""scripts/codegen/gen_facade.py: how operationIds become facade method names."""

from __future__ import annotations

import pytest

pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")
from codegen.gen_facade import method_names, snake


def test_snake_case() -> None:
    assert snake("listWorkspaceMember") == "list_workspace_member"
    assert snake("APIKey") == "api_key"
    assert snake("getDFYEmailAccountOrder") == "get_dfy_email_account_order"
    assert snake("InboxPlacementBlacklistAndSpamAssassinReport") == (
        "inbox_placement_blacklist_and_spam_assassin_report"
    )


def test_the_tag_noun_is_dropped_singular_or_plural() -> None:
    names = method_names(
        "WorkspaceMember",
        ["listWorkspaceMember", "createWorkspaceMember", "getWorkspaceMembers"],
    )
    assert names == {
        "listWorkspaceMember": "list",
        "createWorkspaceMember": "create",
        "getWorkspaceMembers": "get",
    }
    assert method_names("Lead", ["listLeads", "bulkDeleteLeads", "mergeLeads"]) == {
        "listLeads": "list",
        "bulkDeleteLeads": "bulk_delete",
        "mergeLeads": "merge",
    }


def test_the_noun_stays_when_not_at_the_end_or_nothing_is_left() -> None:
    names = method_names("Account", ["getDailyAccountAnalytics", "account"])
    assert names == {
        "getDailyAccountAnalytics": "get_daily_account_analytics",
        "account": "account",
    }


def test_names_that_would_clash_keep_their_full_form() -> None:
    names = method_names("Account", ["pauseAccount", "pauseAccounts", "resumeAccount"])
    assert names == {
        "pauseAccount": "pause_account",
        "pauseAccounts": "pause_accounts",
        "resumeAccount": "resume",
    }


def test_a_short_name_may_not_take_another_operations_full_name() -> None:
    # dropping the noun from "listTagTag" would give "list_tag", which is listTag's own name
    names = method_names("Tag", ["listTag", "listTagTag"])
    assert names == {"listTag": "list", "listTagTag": "list_tag_tag"}


def test_no_dangling_preposition_or_keyword() -> None:
    names = method_names("Account", ["disableWarmupForAccounts", "importAccounts"])
    assert names == {
        "disableWarmupForAccounts": "disable_warmup_for_accounts",
        "importAccounts": "import_accounts",
    }
