"""Operations that need one scope from each of several groups."""

from __future__ import annotations

import httpx

from instantly_async import minimal_scopes, required_scopes
from instantly_async._exceptions import make_status_error
from instantly_async._generated.operations import OPERATIONS
from instantly_async._operation import Operation
from instantly_async._scopes import _minimal_scopes

GROUPED = Operation(
    operation_id="pauseThings",
    method="POST",
    path="/api/v2/things/pause",
    tag="Thing",
    required_scopes=("all:update", "all:all"),
    rate_limits=(),
    pagination=None,
    required_scope_groups=(
        ("agents:update", "agents:all", "all:update", "all:all"),
        ("accounts:update", "accounts:all", "all:update", "all:all"),
    ),
)
PLAIN = Operation(
    operation_id="listAccount",
    method="GET",
    path="/api/v2/accounts",
    tag="Account",
    required_scopes=("accounts:read", "accounts:all", "all:read", "all:all"),
    rate_limits=(),
    pagination=None,
)
TABLE = {op.operation_id: op for op in (GROUPED, PLAIN)}


def test_least_privilege_takes_one_narrow_scope_per_group() -> None:
    # narrower than the all:update that alone would also do
    assert _minimal_scopes(TABLE, ["pauseThings"]) == ("accounts:update", "agents:update")
    assert _minimal_scopes(TABLE, ["pauseThings", "listAccount"]) == (
        "accounts:update",
        "agents:update",
    ) or _minimal_scopes(TABLE, ["pauseThings", "listAccount"]) == (
        "accounts:read",
        "accounts:update",
        "agents:update",
    )


def test_grouped_operations_in_the_shipped_table() -> None:
    op = OPERATIONS["pauseDeliverabilityAffectedAccounts"]
    assert len(op.required_scope_groups) == 2
    assert required_scopes(op.operation_id) == ("all:update", "all:all")
    assert minimal_scopes([op.operation_id]) == ("accounts:update", "ai_agents:update")


def test_403_message_names_each_group() -> None:
    request = httpx.Request("POST", "https://api.instantly.ai/api/v2/things/pause")
    response = httpx.Response(403, json={"message": "Forbidden"}, request=request)
    err = make_status_error(GROUPED, response, str(request.url))
    assert "one scope from each of: (agents:update" in str(err)
    assert "(accounts:update, accounts:all, all:update, all:all)" in str(err)
