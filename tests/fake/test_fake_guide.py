"""The first example of docs/guides/testing.md runs as written (asyncio and trio)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "testing.md"


def _first_example() -> dict[str, Any]:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert found is not None, f"no python example in {GUIDE}"
    namespace: dict[str, Any] = {}
    exec(compile(found[1], str(GUIDE), "exec"), namespace)
    return namespace


@pytest.mark.anyio
async def test_guide_flow_runs() -> None:
    namespace = _first_example()
    tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
    assert len(tests) == 1
    await tests[0]()
