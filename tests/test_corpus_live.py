"""Real-world payloads (tests/corpus_live/, provenance in INDEX.md): each parses leniently and
round-trips exactly; what does not fit the document is found and named, never lost."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from instantly_async._generated.operations import OPERATIONS
from instantly_async._tolerant import _warned, reading

CORPUS = Path(__file__).resolve().parent / "corpus_live"
FILES = sorted(CORPUS.glob("*.json"))
KEYS = {"operation", "direction", "source", "published_by", "note", "body"}
FINDINGS: dict[str, set[str]] = {}


API = Path(__file__).resolve().parents[1] / "instantly_async" / "_generated" / "api"
MODULES = {
    p.stem.replace("_", ""): f"instantly_async._generated.api.{p.parent.name}.{p.stem}"
    for p in API.glob("*/*.py")
    if p.name != "__init__.py"
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def endpoint(operation_id: str) -> Any:
    return importlib.import_module(MODULES[operation_id.lower()])


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    _warned.clear()


def test_the_corpus_has_provenance_for_every_payload() -> None:
    assert len(FILES) >= 40
    index = (CORPUS / "INDEX.md").read_text(encoding="utf-8")
    for path in FILES:
        data = load(path)
        assert KEYS <= set(data), path.name
        assert data["source"].startswith("https://"), path.name
        assert data["operation"] in OPERATIONS, path.name
        assert path.name in index, f"{path.name} is not listed in INDEX.md"


@pytest.mark.parametrize("path", [p for p in FILES if load(p)["direction"] == "response"], ids=str)
def test_every_response_parses_and_round_trips_exactly(path: Path) -> None:
    data = load(path)
    module = endpoint(data["operation"])
    response = httpx.Response(data.get("status", 200), json=data["body"])
    with reading(data["operation"]) as state:
        parsed = module._parse_response(client=_Client(), response=response)
    assert parsed is not None
    assert written(parsed) == data["body"]
    # what the corpus shows about the document: listed in INDEX.md under "Findings"
    # a payload cut where the stored copy ended lacks its last fields: not a finding
    cut = data.get("truncated", False)
    findings = {
        f"{found.field} ({found.kind})"
        for found in state.found
        if not (cut and found.kind == "missing")
    }
    index = (CORPUS / "INDEX.md").read_text(encoding="utf-8")
    for finding in findings:
        assert finding in index, f"{path.name}: {finding} is not listed in INDEX.md"


@pytest.mark.parametrize("path", [p for p in FILES if load(p)["direction"] == "request"], ids=str)
def test_every_request_body_reads_into_its_model_and_back(path: Path) -> None:
    data = load(path)
    module = endpoint(data["operation"])
    body_model = module._get_kwargs.__annotations__["body"].split(" | ")[0]
    models = importlib.import_module("instantly_async._generated.models")
    model = getattr(models, body_model)
    with reading(data["operation"], strict=True):
        assert model.from_dict(data["body"]).to_dict() == data["body"]


def written(parsed: Any) -> Any:
    """What a parsed response writes back (array responses parse to a list of models)."""
    if isinstance(parsed, list):
        return [item.to_dict() if hasattr(item, "to_dict") else item for item in parsed]
    return parsed.to_dict()


class _Client:
    raise_on_unexpected_status = False
