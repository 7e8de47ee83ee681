"""Document rules ``provenance`` and ``live-api-overrides``
(codegen/normalize/document/provenance.py, live_overrides.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from _normalize_support import state_after, upstream
from codegen.normalize import NormalizeError, normalize
from codegen.normalize.document import live_overrides


def test_provenance_under_info() -> None:
    src = upstream()
    del src["components"]["schemas"]
    src["paths"]["/api/v2/leads"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] = {"$ref": "#/components/schemas/Gone"}
    info = state_after("provenance", src, raw=b"x", date="2026-01-02").out["info"]
    assert info["x-upstream-sha256"] == hashlib.sha256(b"x").hexdigest()
    assert info["x-upstream-date"] == "2026-01-02"
    assert info["x-upstream-repairs"] == [
        "/paths/~1api~1v2~1leads/get/responses/200/content/application~1json/schema/$ref: "
        "$ref to a schema that does not exist ('#/components/schemas/Gone'), "
        "read as an open object"
    ]


def test_no_provenance_given_none_written() -> None:
    info = state_after("provenance", upstream()).out["info"]
    assert info == {"title": "Instantly API V2", "version": "2"}


def test_live_api_overrides_run_last_and_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path | None] = []

    def fake(
        out: dict[str, Any], path: Path | None = None, *, skipped: list[str] | None = None
    ) -> dict[str, Any]:
        calls.append(path)
        assert "x-upstream-date" in out["info"]  # after provenance
        return {**out, "x-overridden": True}

    monkeypatch.setattr(live_overrides, "apply_live_overrides", fake)
    assert "x-overridden" not in normalize(upstream(), date="2026-01-02")
    assert calls == []
    where = Path("live.yaml")
    out = normalize(upstream(), date="2026-01-02", live_overrides=True, overrides_path=where)
    assert out["x-overridden"] is True
    assert calls == [where]


def test_an_override_that_does_not_apply_is_listed_under_info(tmp_path: Path) -> None:
    table = tmp_path / "live.yaml"
    table.write_text(
        "corrections:\n"
        "  - pointer: /paths/~1api~1v2~1gone/get\n"
        "    op: remove\n"
        "    reason: test\n"
        "    evidence: test\n",
        encoding="utf-8",
    )
    out = normalize(upstream(), live_overrides=True, overrides_path=table)
    assert out["info"]["x-live-api-not-applied"] == [
        "/paths/~1api~1v2~1gone/get: does not apply: '/api/v2/gone' does not exist"
    ]
    assert "x-live-api-not-applied" not in normalize(upstream())["info"]


def test_a_malformed_override_fails_naming_the_pointer(tmp_path: Path) -> None:
    table = tmp_path / "live.yaml"
    table.write_text(
        "corrections:\n"
        "  - pointer: /paths/~1api~1v2~1leads/get\n"
        "    op: explode\n"
        "    reason: test\n"
        "    evidence: test\n",
        encoding="utf-8",
    )
    with pytest.raises(NormalizeError, match="live-api override") as err:
        normalize(upstream(), live_overrides=True, overrides_path=table)
    assert err.value.pointer == "/paths/~1api~1v2~1leads/get"
