"""The live-API corrections (``scripts/overrides/live-api.yaml``, ``codegen/overrides.py``).

Last, so that they apply to the finished document; only when asked (``normalize_file`` asks
when it writes the project's own ``openapi.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import overrides
from ...rules import Rule
from ..base import NormalizeError, State


def apply_live_overrides(doc: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The live-API corrections (``scripts/overrides/live-api.yaml``) applied to ``doc``."""
    try:
        return overrides.apply(doc, overrides.load(path) if path else None)
    except overrides.OverrideError as exc:
        raise NormalizeError(exc.pointer, f"live-api override: {exc}") from None


def live_api_overrides(st: State) -> None:
    if st.live_overrides:
        st.out = apply_live_overrides(st.out, st.overrides_path)


LIVE_API_OVERRIDES = Rule(
    "live-api-overrides",
    live_api_overrides,
    "the live-API corrections of scripts/overrides/live-api.yaml, when asked",
)
