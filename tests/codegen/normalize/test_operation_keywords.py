"""Operation rule ``operation-keywords`` (codegen/normalize/operation/keywords.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.keywords import OPERATION_KEYWORDS


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ({"operationId": "x", "description": "prose", "responses": {}}, {}),
        ({"deprecated": True}, {"deprecated": True}),
        ({"deprecated": False}, {}),
        ({"security": [{"ApiKeyAuth": []}]}, {"security": [{"ApiKeyAuth": []}]}),
        ({"security": []}, {"security": []}),  # no authentication at all: a fact
    ],
)
def test_deprecated_and_security_are_kept(src: dict[str, Any], expected: dict[str, Any]) -> None:
    assert operation_rule(OPERATION_KEYWORDS, src) == expected


@pytest.mark.parametrize("key", ["callbacks", "servers", "x-codeSamples", "externalDocs"])
def test_an_unknown_keyword_fails_naming_the_pointer(key: str) -> None:
    with pytest.raises(NormalizeError, match=f"unknown operation keyword '{key}'") as err:
        operation_rule(OPERATION_KEYWORDS, {"operationId": "x", key: {}})
    assert err.value.pointer == f"{OP_PTR}/{key}"
