"""Operation rule ``retry-class`` (codegen/normalize/operation/retry.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import operation_rule
from codegen.normalize.operation.retry import RETRY_CLASS


@pytest.mark.parametrize(
    ("method", "path", "src", "out", "expected"),
    [
        ("get", "/api/v2/things", {}, {}, "safe"),
        ("put", "/api/v2/things/{id}", {}, {}, "idempotent"),
        ("post", "/api/v2/things", {}, {}, "unsafe"),
        ("post", "/api/v2/things", {}, {"x-required-scopes": ["things:read"]}, "safe"),
        ("put", "/api/v2/things/{id}", {"description": "Costs 1 credit."}, {}, "unsafe"),
        # scripts/overrides/retry.yaml: generateSimilarDomains only returns suggestions
        ("post", "/api/v2/x", {}, {"operationId": "generateSimilarDomains"}, "safe"),
    ],
)
def test_the_retry_class_reads_method_path_prose_and_what_came_before(
    method: str, path: str, src: dict[str, Any], out: dict[str, Any], expected: str
) -> None:
    out = {"operationId": "ruleTestOperation", **out}
    got = operation_rule(RETRY_CLASS, src, out=out, method=method, path=path)
    assert got == {**out, "x-retry": expected}
