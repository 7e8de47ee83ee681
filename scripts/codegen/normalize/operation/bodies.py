"""An operation's request body (and the media types of bodies, shared with responses)."""

from __future__ import annotations

import copy
from typing import Any

from ...rules import Rule
from ...schema_keywords import DROPPED
from ..base import NormalizeError, OperationNode, State, as_object, esc


def content(state: State, value: Any, ptr: str) -> dict[str, Any]:
    """A ``content`` map: per media type its normalized schema and examples."""
    out: dict[str, Any] = {}
    for media, body in as_object(value, ptr, "'content'").items():
        mptr = f"{ptr}/{esc(media)}"
        entry: dict[str, Any] = {}
        for key, sub in as_object(body, mptr, "a media type").items():
            if key == "schema":
                entry[key] = state.schema(sub, mptr + "/schema")
            elif key in ("example", "examples"):
                entry[key] = copy.deepcopy(sub)
            elif key not in DROPPED:
                raise NormalizeError(f"{mptr}/{esc(key)}", f"unknown media type keyword {key!r}")
        out[media] = entry
    return out


def request_body(node: OperationNode) -> None:
    body = node.src.get("requestBody")
    if body is None:
        return
    bptr = node.ptr + "/requestBody"
    for key in as_object(body, bptr, "a request body"):
        if key not in ("content", "required", *DROPPED):
            raise NormalizeError(f"{bptr}/{esc(key)}", f"unknown request body keyword {key!r}")
    media = content(node.state, body.get("content", {}), bptr + "/content")
    media = {m: c for m, c in media.items() if c.get("schema", {}).get("type") != "null"}
    if media:
        node.out["requestBody"] = {"content": media}
        if body.get("required"):
            node.out["requestBody"]["required"] = True


REQUEST_BODY: Rule[OperationNode] = Rule(
    "request-body",
    request_body,
    "the request body's media types with normalized schemas; a null-typed one dropped, "
    "a body left without any dropped",
)
