"""Operation rule ``operation-id`` (codegen/normalize/operation/ids.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError, State
from codegen.normalize.operation.ids import OPERATION_ID, derived_operation_id


def test_upstream_operation_id_is_kept() -> None:
    assert operation_rule(OPERATION_ID, {"operationId": "listThings"}) == {
        "operationId": "listThings"
    }


@pytest.mark.parametrize("missing", [{}, {"operationId": ""}, {"operationId": None}])
def test_a_missing_one_is_derived_and_reported(missing: dict[str, Any]) -> None:
    state = State({})
    out = operation_rule(OPERATION_ID, missing, state=state, path="/api/v2/things/{id}")
    assert out == {"operationId": "getThingsById"}
    assert state.repairs == [f"{OP_PTR}/operationId: missing, derived as 'getThingsById'"]


def test_one_that_is_not_a_string_fails_naming_the_pointer() -> None:
    with pytest.raises(NormalizeError, match="not a string: 3") as err:
        operation_rule(OPERATION_ID, {"operationId": 3})
    assert err.value.pointer == f"{OP_PTR}/operationId"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("post", "/api/v2/oauth/google/init", "postOauthGoogleInit"),
        ("GET", "/api/v2/accounts/{email}", "getAccountsByEmail"),
        ("delete", "/api/v1/lead-lists/{list_id}", "deleteLeadListsByListId"),
        ("get", "/health", "getHealth"),
    ],
)
def test_derived_operation_id(method: str, path: str, expected: str) -> None:
    assert derived_operation_id(method, path) == expected
