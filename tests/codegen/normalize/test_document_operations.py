"""Document rules ``operations`` and ``operation-ids`` (codegen/normalize/document/operations.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import json_response, state_after, upstream
from codegen.normalize import NormalizeError


def test_every_operation_goes_through_the_operation_rules_and_adds_its_tags() -> None:
    src = upstream()
    src["paths"]["/api/v2/leads"]["post"] = {
        "operationId": "createLead",
        "tags": ["Lead List"],
        "responses": json_response({"type": "object"}),
    }
    st = state_after("operations", src)
    assert st.out["tags"] == [{"name": "Lead"}, {"name": "LeadList"}]
    item = st.out["paths"]["/api/v2/leads"]
    assert list(item) == ["get", "post"]
    assert item["get"] == {
        "operationId": "listLead",
        "tags": ["Lead"],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/LeadItem"}}
                },
            }
        },
        "x-retry": "safe",
    }


@pytest.mark.parametrize(
    ("item", "pointer", "message"),
    [
        ({"parameters": []}, "/paths/~1api~1v2~1leads/parameters", "path-level keys"),
        ({"get": []}, "/paths/~1api~1v2~1leads/get", "an operation must be an object"),
        ([], "/paths/~1api~1v2~1leads", "a path item must be an object"),
    ],
)
def test_a_path_it_cannot_read_fails_naming_the_pointer(
    item: Any, pointer: str, message: str
) -> None:
    src = upstream()
    src["paths"]["/api/v2/leads"] = item
    with pytest.raises(NormalizeError, match=message) as err:
        state_after("operations", src)
    assert err.value.pointer == pointer


@pytest.mark.parametrize(
    ("other", "message"),
    [
        (
            "listLead",
            "operationId 'listLead' is also used at /paths/~1api~1v2~1leads/get/operationId",
        ),
        (
            "list_lead",
            "operationId 'list_lead' gives the same Python name as 'listLead' "
            "at /paths/~1api~1v2~1leads/get/operationId",
        ),
    ],
)
def test_operation_ids_unique_also_as_python_names(other: str, message: str) -> None:
    src = upstream()
    src["paths"]["/api/v2/other"] = {
        "get": {**src["paths"]["/api/v2/leads"]["get"], "operationId": other}
    }
    assert "/api/v2/other" in state_after("operations", src).out["paths"]  # alone: fine
    with pytest.raises(NormalizeError) as err:
        state_after("operation-ids", src)
    assert err.value.pointer == "/paths/~1api~1v2~1other/get/operationId"
    assert err.value.message == message
