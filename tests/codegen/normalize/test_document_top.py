"""Document rules ``openapi-version``, ``document``, ``security-schemes``, ``tags``
(codegen/normalize/document/top.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import state_after, upstream
from codegen.normalize import NormalizeError


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        ({"openapi": "2.0"}, "/openapi", "unsupported OpenAPI version '2.0'"),
        ({"openapi": None}, "/openapi", "unsupported OpenAPI version 'None'"),
        ({"paths": None}, "", "not an OpenAPI document (no 'paths')"),
        ({"components": []}, "/components", "'components' must be an object, got list"),
        (
            {"components": {"schemas": 1}},
            "/components/schemas",
            "'schemas' must be an object, got int",
        ),
    ],
)
def test_openapi_version(change: dict[str, Any], pointer: str, message: str) -> None:
    src = {**upstream(), **change}
    if change.get("paths", 0) is None:
        del src["paths"]
    with pytest.raises(NormalizeError) as err:
        state_after("openapi-version", src)
    assert (err.value.pointer, err.value.message) == (pointer, message)


def test_document_is_the_fixed_top_of_ours() -> None:
    st = state_after("document", {**upstream(), "security": [{"Bearer": []}]})
    assert st.out == {
        "openapi": "3.1.0",
        "info": {"title": "Instantly API V2", "version": "2"},
        "servers": [{"url": "https://api.instantly.ai"}],
        "security": [{"Bearer": []}],
        "tags": [],
        "paths": {},
        "components": {"securitySchemes": {}, "schemas": {}},
    }
    assert st.out["components"]["schemas"] is st.schemas  # the schemas rule fills it
    assert state_after("document", upstream()).out["security"] == [{"ApiKeyAuth": []}]


def test_security_schemes_without_prose() -> None:
    st = state_after("security-schemes", upstream())
    assert st.out["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "http", "scheme": "bearer"}
    }


def test_a_security_scheme_that_is_not_an_object_fails() -> None:
    src = upstream()
    src["components"]["securitySchemes"]["ApiKeyAuth"] = "bearer"
    with pytest.raises(NormalizeError, match="a security scheme must be an object") as err:
        state_after("security-schemes", src)
    assert err.value.pointer == "/components/securitySchemes/ApiKeyAuth"


def test_declared_tags_once_each_as_identifiers() -> None:
    src = {**upstream(), "tags": [{"name": "Lead"}, {"name": "Lead & List"}, {"name": "Lead"}]}
    assert state_after("tags", src).tags == ["Lead", "LeadAndList"]


@pytest.mark.parametrize(
    ("tags", "pointer"), [(["Lead"], "/tags/0"), ([{"description": "x"}], "/tags/0/name")]
)
def test_a_tag_it_cannot_read_fails_naming_the_pointer(tags: list[Any], pointer: str) -> None:
    with pytest.raises(NormalizeError) as err:
        state_after("tags", {**upstream(), "tags": tags})
    assert err.value.pointer == pointer
