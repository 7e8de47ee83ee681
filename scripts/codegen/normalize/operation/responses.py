"""An operation's responses: the status phrase as description, bodies normalized."""

from __future__ import annotations

import http
from typing import Any

from ...rules import Rule
from ..base import NormalizeError, OperationNode, as_object, esc
from .bodies import content

STATUS_PHRASES = {code.value: code.phrase for code in http.HTTPStatus}
# Statuses whose responses have no body by definition (HTTP): a documented body is dropped.
NO_BODY_STATUSES = frozenset({"204", "205", "304"})


def responses(node: OperationNode) -> None:
    ptr = node.ptr
    out: dict[str, Any] = {}
    for code, resp in as_object(
        node.src.get("responses", {}), ptr + "/responses", "responses"
    ).items():
        rptr = f"{ptr}/responses/{esc(code)}"
        if "$ref" in as_object(resp, rptr, "a response"):
            raise NormalizeError(rptr, "response $refs are not supported")
        phrase = STATUS_PHRASES.get(int(code), "Response") if str(code).isdigit() else "Response"
        r: dict[str, Any] = {"description": phrase}
        for key in resp:
            if key not in ("description", "content", "headers"):
                raise NormalizeError(f"{rptr}/{esc(key)}", f"unknown response keyword {key!r}")
        if resp.get("content") and str(code) not in NO_BODY_STATUSES:
            r["content"] = content(node.state, resp["content"], rptr + "/content")
        out[str(code)] = r
    if not out:
        raise NormalizeError(ptr + "/responses", "operation without responses")
    node.out["responses"] = out


RESPONSES: Rule[OperationNode] = Rule(
    "responses",
    responses,
    "responses described by their status phrase, bodies normalized (none on 204/205/304); "
    "none at all, a $ref or an unknown keyword refused",
)
