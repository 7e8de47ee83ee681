"""The live-API corrections (``scripts/overrides/live-api.yaml``, ``codegen/overrides.py``).

Last, so that they apply to the finished document; only when asked (``normalize_file`` asks
when it writes the project's own ``openapi.yaml``). A correction that does not apply to this
upstream version (an older one lacks what it corrects, a newer one already says it) is left
out and listed under ``info.x-live-api-not-applied``, which the regeneration report prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import overrides
from ...rules import Rule
from ..base import NormalizeError, State

NOT_APPLIED = "x-live-api-not-applied"
"""Where a normalized document lists the corrections it did not take ("pointer: why")."""


def apply_live_overrides(
    doc: dict[str, Any], path: Path | None = None, *, skipped: list[str] | None = None
) -> dict[str, Any]:
    """The live-API corrections (``scripts/overrides/live-api.yaml``) applied to ``doc``.

    Without ``skipped`` every correction must apply (else :class:`NormalizeError`); with it,
    those that do not are listed there instead. A malformed entry always raises.
    """
    try:
        return overrides.apply(doc, overrides.load(path) if path else None, skipped=skipped)
    except overrides.OverrideError as exc:
        raise NormalizeError(exc.pointer, f"live-api override: {exc}") from None


def not_applied(doc: dict[str, Any]) -> list[str]:
    """The corrections a normalized document did not take ("pointer: why")."""
    found = doc.get("info", {}).get(NOT_APPLIED, [])
    return [str(r) for r in found] if isinstance(found, list) else []


def live_api_overrides(st: State) -> None:
    if st.live_overrides:
        skipped: list[str] = []
        st.out = apply_live_overrides(st.out, st.overrides_path, skipped=skipped)
        if skipped:
            st.out["info"][NOT_APPLIED] = skipped


LIVE_API_OVERRIDES = Rule(
    "live-api-overrides",
    live_api_overrides,
    "the live-API corrections of scripts/overrides/live-api.yaml, when asked",
)
