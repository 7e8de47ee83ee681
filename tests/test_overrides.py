"""scripts/codegen/overrides.py: live-API corrections as data, applied by the normalizer."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from codegen import normalize, overrides

REPO = Path(__file__).resolve().parent.parent

SHARED = REPO.parent / "shared" / "instantly-openapi"
SHIPPED = SHARED / "2026-08-21.json"

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["a", "b"],
                "properties": {"a": {"type": "string"}, "b": {"type": "string", "format": "date"}},
                "additionalProperties": False,
            }
        }
    }
}
THING = "/components/schemas/Thing"


def entry(pointer: str, op: str, value: Any = None) -> dict[str, Any]:
    e = {"pointer": pointer, "op": op, "reason": "r", "evidence": "e"}
    if value is not None:
        e["value"] = value
    return e


def run(*entries: dict[str, Any]) -> dict[str, Any]:
    return overrides.apply(copy.deepcopy(DOC), list(entries))


def thing(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"]["Thing"]
    return result


def test_each_operation_applies() -> None:
    doc = run(
        entry(f"{THING}/properties/c", "add", {"type": "integer"}),
        entry(f"{THING}/properties/b", "merge", {"x-empty-is-null": True}),
        entry(f"{THING}/properties/a/type", "replace", "number"),
        entry(f"{THING}/additionalProperties", "remove"),
        entry(THING, "unrequire", ["a", "b"]),
    )
    schema = thing(doc)
    assert schema["properties"]["c"] == {"type": "integer"}
    assert schema["properties"]["b"]["x-empty-is-null"] is True
    assert schema["properties"]["a"]["type"] == "number"
    assert "additionalProperties" not in schema
    assert "required" not in schema  # emptied: dropped


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (entry(f"{THING}/properties/a", "add", {"type": "string"}), "already says this"),
        (entry(f"{THING}/properties/a", "add", {"type": "number"}), "another value"),
        (entry(f"{THING}/properties/zzz/type", "replace", "x"), "'zzz' does not exist"),
        (entry(f"{THING}/properties/a/type", "replace", "string"), "already says this"),
        (entry(f"{THING}/properties/b", "merge", {"format": "date"}), "already says this"),
        (entry(f"{THING}/nothing", "remove"), "'nothing' does not exist"),
        (entry(THING, "unrequire", ["c"]), "['c'] not required"),
        (entry("/components/schemas/Gone", "merge", {"a": 1}), "'Gone' does not exist"),
    ],
)
def test_a_correction_that_does_not_apply_fails_with_its_pointer(
    bad: dict[str, Any], problem: str
) -> None:
    with pytest.raises(overrides.OverrideError) as info:
        run(bad)
    assert info.value.pointer == bad["pointer"]
    assert problem in str(info.value)
    assert str(info.value).startswith(bad["pointer"])


def test_entries_need_reason_and_evidence(tmp_path: Path) -> None:
    path = tmp_path / "live.yaml"
    path.write_text(
        yaml.safe_dump({"corrections": [{"pointer": THING, "op": "remove", "reason": "r"}]}),
        encoding="utf-8",
    )
    with pytest.raises(overrides.OverrideError, match="evidence"):
        overrides.load(path)
    path.write_text(
        yaml.safe_dump({"corrections": [{**entry(THING, "explode"), "value": 1}]}),
        encoding="utf-8",
    )
    with pytest.raises(overrides.OverrideError, match="unknown op"):
        overrides.load(path)


def test_the_shipped_file_is_well_formed() -> None:
    entries = overrides.load()
    assert entries
    for e in entries:
        assert len(e["reason"]) > 20 and len(e["evidence"]) > 20, e["pointer"]


def test_openapi_yaml_has_every_correction() -> None:
    """openapi.yaml was written with the corrections (they are its last step)."""
    doc = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    account = doc["components"]["schemas"]["Account"]["properties"]
    assert account["warmup_pool_id"] == {"type": ["string", "null"], "readOnly": True}
    schedule = doc["components"]["schemas"]["Campaign"]["properties"]["campaign_schedule"]
    assert "required" not in schedule
    assert schedule["properties"]["start_date"]["x-empty-is-null"] is True


@pytest.mark.skipif(not SHIPPED.is_file(), reason="needs ../shared/instantly-openapi")
def test_every_correction_applies_to_the_shipped_upstream_document() -> None:
    upstream, raw = normalize.load_source(str(SHIPPED))
    doc = normalize.normalize(upstream, raw)
    normalize.apply_live_overrides(doc)  # raises naming the pointer when one does not apply
    with pytest.raises(normalize.NormalizeError, match="does not apply"):
        normalize.apply_live_overrides(doc)  # a second time: every entry is already there


def test_with_skipped_a_correction_that_does_not_apply_is_listed_not_raised() -> None:
    skipped: list[str] = []
    doc = overrides.apply(
        copy.deepcopy(DOC),
        [entry(f"{THING}/nothing", "remove"), entry(f"{THING}/properties/c", "add", {"x": 1})],
        skipped=skipped,
    )
    assert skipped == [f"{THING}/nothing: does not apply: 'nothing' does not exist"]
    assert thing(doc)["properties"]["c"] == {"x": 1}  # the others still apply
    with pytest.raises(overrides.OverrideError, match="unknown op"):  # malformed: always raises
        overrides.apply(copy.deepcopy(DOC), [entry(THING, "explode", 1)], skipped=[])


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/instantly-openapi")
@pytest.mark.parametrize("version", sorted(p.stem for p in SHARED.glob("*.json")))
def test_every_shared_version_normalizes_with_the_corrections(version: str) -> None:
    """Older versions lack what some corrections fix: they are listed, the run goes on."""
    upstream, raw = normalize.load_source(str(SHARED / f"{version}.json"))
    doc = normalize.normalize(upstream, raw, live_overrides=True)
    skipped = normalize.not_applied(doc)
    if version == SHIPPED.stem:
        assert skipped == []
        assert "x-live-api-not-applied" not in doc["info"]
    for line in skipped:
        assert line.startswith("/") and ": does not apply: " in line
