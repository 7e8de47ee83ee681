"""Every request body of openapi.yaml through the generated value checks, with no server.

For each operation with a body: a valid body synthesized from the document (the contract
tests' ``_args.synthesize``) passes the method's own checks unchanged; then, in every object
inside it, at any depth, a misspelt key is refused with a TypeError naming the exact place
and the key it probably meant (objects the document leaves open accept it instead).
"""

from __future__ import annotations

import copy
import inspect
import re
import sys
from collections.abc import Iterator
from typing import Any

import _args
import pytest

from instantly_async import AsyncInstantly
from instantly_async._generated.namespaces import FACADE_NAMES
from instantly_async._request import Shape, check


def body_shape(method: Any) -> tuple[str, Shape]:
    """The label and the body Shape a generated method checks its body with."""
    source = inspect.getsource(method)
    found = re.search(r'_body\(\s*"([^"]+)",\s*(_S\d+)', source)
    assert found is not None, method
    module = sys.modules[inspect.unwrap(method).__module__]
    shape: Shape = getattr(module, found[2])
    return found[1], shape


def fitting(value: Any, shape: Shape) -> Shape:
    """The variant of ``shape`` that ``value`` fits (``shape`` itself without variants)."""
    for variant in shape.variants:
        try:
            check("m", "", value, variant)
        except TypeError:
            continue
        return fitting(value, variant)
    return shape


def objects(value: Any, shape: Shape, path: str, exact: bool) -> Iterator[tuple[str, str, bool]]:
    """(path, kind, exact) of every object in ``value``: kind "closed", "open" (any other key)
    or "typed" (other keys with values of a shape); ``exact``: no variant on the way."""
    exact = exact and not shape.variants
    shape = fitting(value, shape)
    if isinstance(value, dict):
        extra = shape.extra
        kind = (
            "typed"
            if isinstance(extra, Shape)
            else "open"
            if extra or not shape.props
            else "closed"
        )
        yield path, kind, exact
        for key, item in value.items():
            sub = (shape.props or {}).get(key)
            if sub is None and isinstance(shape.extra, Shape):
                sub = shape.extra
            if sub is not None:
                yield from objects(item, sub, f"{path}.{key}" if path else key, exact)
    elif isinstance(value, list) and shape.items is not None:
        for i, item in enumerate(value):
            yield from objects(item, shape.items, f"{path}[{i}]", exact)


def at(body: Any, path: str) -> Any:
    node = body
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    return node


def misspell(keys: list[str]) -> tuple[str, str]:
    """A near miss of one of ``keys`` that is none of them: (typo, meant)."""
    for key in keys:
        for typo in (key[:-1], key + "s", key[:1] + key[2:]):
            if len(typo) > 2 and typo not in keys:
                return typo, key
    return "zz_not_a_key", ""


BODY_OPERATIONS = sorted(
    oid for oid, op in _args.spec_operations().items() if op.get("requestBody")
)


def test_every_body_passes_unchanged_and_every_misspelt_key_is_caught() -> None:
    client = AsyncInstantly(api_key="k")
    refused = suggested = open_ = 0
    for oid in BODY_OPERATIONS:
        namespace, name = FACADE_NAMES[oid]
        label, shape = body_shape(getattr(getattr(client, namespace), name))
        body = _args.synthesize(oid).body
        assert check(label, "", body, shape) == body, oid
        for path, kind, exact in list(objects(body, shape, "", True)):
            node = at(body, path)
            known = list(fitting(node, shape).props or {}) if not path else []
            known = known or [k for k in node if isinstance(k, str)] or ["name"]
            typo, meant = misspell(known)
            mutated = copy.deepcopy(body)
            at(mutated, path)[typo] = "x"
            where = f"{path}.{typo}" if path else typo
            if kind == "closed" and exact:
                with pytest.raises(TypeError) as info:
                    check(label, "", mutated, shape)
                message = str(info.value)
                assert message.startswith(f"{label}(): unknown key {typo!r} at {where}"), message
                refused += 1
                suggested += f"did you mean {meant!r}" in message
            elif kind == "open" and exact:
                check(label, "", mutated, shape)
                open_ += 1
    print(
        f"{len(BODY_OPERATIONS)} bodies; misspelt keys refused: {refused} "
        f"({suggested} with the meant key suggested), accepted by open objects: {open_}"
    )
    assert len(BODY_OPERATIONS) >= 90
    assert refused >= 100
    assert suggested >= refused * 0.9
