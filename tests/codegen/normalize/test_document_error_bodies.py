"""Document rules ``error-bodies`` and ``request-consts``
(codegen/normalize/document/error_bodies.py, request_consts.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import json_response, state_after
from codegen import naming
from codegen.normalize import NormalizeError

UNAUTHORIZED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "statusCode": {"type": "number", "enum": [401]},
        "error": {"type": "string", "enum": ["Unauthorized"]},
        "message": {"type": "string", "example": "bad key"},
    },
}


def document(*error_bodies: dict[str, Any]) -> dict[str, Any]:
    """One operation per error body, each answering it under 401."""
    paths = {}
    for i, body in enumerate(error_bodies):
        responses = {**json_response({"type": "object"}), **json_response(body, "401")}
        paths[f"/api/v2/r{i}"] = {"post": {"operationId": f"op{i}", "responses": responses}}
    return {"openapi": "3.0.3", "info": {"version": "1"}, "paths": paths}


def with_example(example: str) -> dict[str, Any]:
    props = {**UNAUTHORIZED["properties"], "message": {"type": "string", "example": example}}
    return {**UNAUTHORIZED, "properties": props}


def test_identical_bodies_are_hoisted_under_a_name_and_the_lock_learns_it() -> None:
    lock = naming.Lock()
    st = state_after("error-bodies", document(UNAUTHORIZED, with_example("other")), lock=lock)
    assert st.hoisted == ["UnauthorizedError"]
    ref = {"$ref": "#/components/schemas/UnauthorizedError"}
    for i in (0, 1):
        media = st.out["paths"][f"/api/v2/r{i}"]["post"]["responses"]["401"]["content"]
        assert media["application/json"]["schema"] == ref
    assert st.out["components"]["schemas"]["UnauthorizedError"]["properties"]["message"] == {
        "type": "string",
        "example": "bad key",  # the first use's examples stand for all
    }
    assert list(lock.error_bodies.values()) == ["UnauthorizedError"]


def test_a_body_used_once_stays_inline() -> None:
    st = state_after("error-bodies", document(UNAUTHORIZED))
    assert st.hoisted == []
    assert st.out["components"]["schemas"] == {}


def test_a_locked_name_is_kept() -> None:
    signature = naming.error_signature(UNAUTHORIZED)
    lock = naming.Lock(error_bodies={signature: "AuthError"})
    st = state_after("error-bodies", document(UNAUTHORIZED, UNAUTHORIZED), lock=lock)
    assert st.hoisted == ["AuthError"]


def test_a_locked_name_upstream_now_uses_fails_naming_the_pointer() -> None:
    signature = naming.error_signature(UNAUTHORIZED)
    src = document(UNAUTHORIZED, UNAUTHORIZED)
    src["components"] = {"schemas": {"AuthError": {"type": "object"}}}
    with pytest.raises(NormalizeError, match="named like the locked error body") as err:
        state_after("error-bodies", src, lock=naming.Lock(error_bodies={signature: "AuthError"}))
    assert err.value.pointer == "/components/schemas/AuthError"


def test_request_consts_on_what_we_send_and_on_error_bodies_only() -> None:
    src = document(UNAUTHORIZED, UNAUTHORIZED)
    op = src["paths"]["/api/v2/r0"]["post"]
    op["parameters"] = [{"name": "kind", "in": "query", "schema": {"enum": ["a"]}}]
    op["requestBody"] = {
        "content": {
            "application/json": {
                "schema": {
                    "properties": {
                        "mode": {"enum": ["x"]},
                        "maybe": {"enum": ["x", None]},
                        "list": {"items": {"enum": ["y"]}},
                    }
                }
            }
        }
    }
    op["responses"]["200"]["content"]["application/json"]["schema"] = {
        "properties": {"status": {"enum": ["done"]}}
    }
    st = state_after("request-consts", src)
    out = st.out["paths"]["/api/v2/r0"]["post"]
    assert out["parameters"][0]["schema"] == {"type": "string", "const": "a"}
    body = out["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert body["mode"] == {"type": "string", "const": "x"}
    assert body["maybe"] == {"type": ["null", "string"], "enum": ["x", None]}  # kept: null
    assert body["list"]["items"] == {"type": "string", "const": "y"}
    answer = out["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["properties"]["status"] == {
        "type": "string",
        "enum": ["done"],
    }  # responses keep enums
    error = st.out["components"]["schemas"]["UnauthorizedError"]["properties"]
    assert error["statusCode"] == {"type": "number", "const": 401}
    assert error["error"] == {"type": "string", "const": "Unauthorized"}
