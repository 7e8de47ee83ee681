"""Every operation of openapi.yaml answers successfully from the fake, through the facade.

Like tests/contract/test_every_operation.py does against Prism, with the same synthesized
arguments (``_args.py``): for each operation, the items its path names are seeded first
(``fake.add``), then ``client.<namespace>.<method>(...)`` is called and its result must be the
documented success type.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import _args
import pytest

from instantly_async import Page
from instantly_async._generated.fake_data import DATA
from instantly_async._generated.operations import OPERATIONS
from instantly_async.testing import FakeInstantly

EXPECTED_OPERATION_COUNT = 240


@dataclass
class Sweep:
    backend: str
    results: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, BaseException] = field(default_factory=dict)
    statuses: dict[str, list[int | None]] = field(default_factory=dict)


def _seed(fake: FakeInstantly, operation_id: str, path_values: dict[str, Any]) -> None:
    """Store the items named along the operation's path (``/campaigns/{id}/...``)."""
    for parent in DATA["operations"][operation_id]["parents"]:
        collection, _, last = parent.rpartition("/")
        concrete = re.sub(r"\{([^}/]+)\}", lambda m: str(path_values[m[1]]), collection)
        key = DATA["collections"][collection]["key"]
        value = str(path_values[last.strip("{}")])
        if fake.get(concrete, value) is None:
            fake.add(concrete, {key: value})


@pytest.fixture(scope="module")
async def sweep(anyio_backend: str) -> AsyncIterator[Sweep]:
    fake = FakeInstantly(rate_limits=False)
    result = Sweep(anyio_backend)
    async with fake.client(max_retries=0, rate_limit=None) as client:
        for operation_id in sorted(OPERATIONS):
            call = _args.facade_call(client, operation_id)
            _seed(fake, operation_id, call.json_args.path)
            before = len(fake.requests)
            try:
                result.results[operation_id] = await call.method(*call.args, **call.kwargs)
            except Exception as exc:  # reported by that operation's test
                result.errors[operation_id] = exc
            result.statuses[operation_id] = [r.status for r in fake.requests[before:]]
    yield result


def test_every_operation_answered(sweep: Sweep) -> None:
    answered = sum(
        1
        for oid, statuses in sweep.statuses.items()
        if oid not in sweep.errors and statuses and all(s is not None and s < 300 for s in statuses)
    )
    summary = f"the fake answered {answered}/{len(OPERATIONS)} operations on {sweep.backend}"
    print(summary)
    assert answered == len(OPERATIONS) == EXPECTED_OPERATION_COUNT, summary


@pytest.mark.parametrize("operation_id", sorted(_args.spec_operations()))
def test_operation(sweep: Sweep, operation_id: str) -> None:
    error = sweep.errors.get(operation_id)
    assert error is None, f"{operation_id}: {type(error).__name__}: {error}"
    assert sweep.statuses[operation_id], f"{operation_id}: no request reached the fake"
    result = sweep.results[operation_id]
    expected = _args.expected_success_type(operation_id)
    if OPERATIONS[operation_id].pagination is not None:
        assert isinstance(result, Page)
        if expected is not None:
            assert isinstance(result.raw, expected)
        return
    if expected is None:
        assert result is None
    else:
        assert isinstance(result, expected), f"{operation_id}: {type(result).__name__}"
