"""Shared helpers: interleaved timing, medians, report lines, example bodies from openapi.yaml.

Every comparison runs its variants side by side in one process (or one batch of subprocesses),
rotating their order each round, and compares medians: on a shared, noisy machine only ratios
measured this way mean anything.
"""

from __future__ import annotations

import copy
import gc
import statistics
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OPENAPI = REPO / "openapi.yaml"

Samples = dict[str, list[float]]


@dataclass(frozen=True)
class Settings:
    """How much work each benchmark does (``--quick`` shrinks everything)."""

    quick: bool
    import_rounds: int
    pipeline_rounds: int
    pipeline_calls: int
    pagination_rounds: int
    regen_runs: int
    backends: tuple[str, ...] = field(default=("asyncio", "trio"))


FULL = Settings(
    quick=False,
    import_rounds=11,
    pipeline_rounds=21,
    pipeline_calls=300,
    pagination_rounds=9,
    regen_runs=2,
)
QUICK = Settings(
    quick=True,
    import_rounds=3,
    pipeline_rounds=3,
    pipeline_calls=30,
    pagination_rounds=2,
    regen_runs=1,
)


# --------------------------------------------------------------------------- timing


def _order(names: Sequence[str], round_no: int) -> list[str]:
    """The variants rotated by the round number, so that none always runs first."""
    shift = round_no % len(names)
    return [*names[shift:], *names[:shift]]


def interleave(variants: Mapping[str, Callable[[], float]], rounds: int) -> Samples:
    """Run each variant once per round (order rotated); each call returns one measurement."""
    names = list(variants)
    samples: Samples = {name: [] for name in names}
    for round_no in range(rounds):
        for name in _order(names, round_no):
            gc.collect()
            samples[name].append(variants[name]())
    return samples


async def interleave_async(
    variants: Mapping[str, Callable[[], Awaitable[float]]], rounds: int
) -> Samples:
    """:func:`interleave` for coroutines (all variants share one event loop)."""
    names = list(variants)
    samples: Samples = {name: [] for name in names}
    for round_no in range(rounds):
        for name in _order(names, round_no):
            gc.collect()
            samples[name].append(await variants[name]())
    return samples


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio_line(
    samples: Samples, numerator: str, denominator: str, *, label: str | None = None
) -> str:
    """``label = 1.23x`` (ratio of medians) with the spread of the per-round ratios."""
    top, bottom = samples[numerator], samples[denominator]
    per_round = sorted(a / b for a, b in zip(top, bottom, strict=True) if b > 0)
    text = f"{label or f'{numerator}/{denominator}'} = {median(top) / median(bottom):.2f}x"
    if len(per_round) > 1:
        text += (
            f" (per-round ratios: median {median(per_round):.2f}x, "
            f"range {per_round[0]:.2f}x-{per_round[-1]:.2f}x)"
        )
    return text


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def fmt_us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} us"


def heading(text: str) -> None:
    print()
    print(f"== {text}")
    sys.stdout.flush()


def line(text: str = "") -> None:
    print(f"  {text}" if text else "")
    sys.stdout.flush()


# --------------------------------------------------------------------------- example bodies


@cache
def spec() -> dict[str, Any]:
    """openapi.yaml, parsed (the C loader when PyYAML has it)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with OPENAPI.open("rb") as fh:
        data = yaml.load(fh, Loader=loader)
    if not isinstance(data, dict):
        raise SystemExit(f"{OPENAPI}: not an OpenAPI document")
    return data


def _resolve(schema: Any) -> Any:
    seen: set[str] = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not str(ref).startswith("#/"):
            raise ValueError(f"cannot resolve {ref!r}")
        seen.add(ref)
        node: Any = spec()
        for part in str(ref)[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


_FORMAT_DEFAULTS = {
    "date-time": "1970-01-01T00:00:00.000Z",
    "date": "1970-01-01",
    "email": "user@example.com",
    "uuid": "f9cc070d-8dba-4341-b847-f083c358e460",
    "uri": "https://example.com",
}


def example_of(schema: Any, depth: int = 0) -> Any:
    """A value for ``schema`` built from its ``example``s; every property of an object is
    filled in (recursively), so parsing it exercises the whole model."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return None
    for key in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(key, ()) if _resolve(b).get("type") != "null"]
        if branches:
            return example_of(branches[0], depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_of(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    properties = schema.get("properties")
    if (kind == "object" or properties) and properties and depth < 12:
        return {name: example_of(prop, depth + 1) for name, prop in properties.items()}
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return copy.deepcopy(examples[0])
    if "const" in schema:
        return schema["const"]
    enum = [v for v in schema.get("enum", ()) if v is not None]
    if enum:
        return enum[0]
    if kind == "array":
        return [example_of(schema.get("items", {}), depth + 1)]
    if kind == "object":
        return {}
    if kind == "string":
        return _FORMAT_DEFAULTS.get(str(schema.get("format")), "string")
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return None


def response_example(operation_id: str, status: str = "200") -> Any:
    """An example JSON body of ``operation_id``'s ``status`` response."""
    for item in spec()["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                media = operation["responses"][status]["content"]["application/json"]
                return example_of(media["schema"])
    raise KeyError(f"no operation {operation_id!r} in {OPENAPI.name}")
