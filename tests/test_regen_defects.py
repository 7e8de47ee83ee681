"""``make regen SPEC=...`` on small documents with the defects published versions had.

Each document goes the whole way (``scripts/regen.py --spec``: normalizer, generator, facade,
ruff) into a temporary folder. A defect with a safe reading is repaired and listed in the
regeneration report; one without fails with a single line naming its JSON pointer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")

REPO = Path(__file__).resolve().parent.parent
from codegen import regen  # noqa: E402

JSON = "application/json"


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {JSON: {"schema": schema}}}}


def document(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "2.0.0"},
        "components": {"schemas": schemas or {}},
        "paths": paths,
    }


def run(tmp_path: Path, doc: dict[str, Any]) -> tuple[int, Path]:
    src = tmp_path / "upstream.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out" / "_generated"
    code = regen.main(
        ["--spec", str(src), "--openapi", str(tmp_path / "o.yaml"), "--output", str(out)]
    )
    return code, out


def facade_names(package: Path) -> str:
    return (package / "namespaces.py").read_text(encoding="utf-8")


def test_dangling_ref_and_missing_operation_id_are_repaired_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = {"type": "array", "items": {"$ref": "#/components/schemas/def-38"}}
    init = {"tags": ["OAuth"], "responses": ok({"type": "object"})}
    doc = document(
        {
            "/api/v2/webhooks/event-types": {
                "get": {
                    "operationId": "listEventTypes",
                    "tags": ["Webhook"],
                    "responses": ok(events),
                }
            },
            "/api/v2/oauth/google/init": {"post": init},
        }
    )
    code, out = run(tmp_path, doc)
    printed = capsys.readouterr().out
    assert code == 0
    assert "regeneration report: 2 upstream defect(s) repaired:" in printed
    assert "repaired /paths/~1api~1v2~1oauth~1google~1init/post/operationId: missing" in printed
    assert "def-38" in printed and "open object" in printed
    assert (out / "api" / "o_auth" / "post_oauth_google_init.py").is_file()
    spec = json.loads((out / "api_spec.json").read_text(encoding="utf-8"))
    assert len(spec["repairs"]) == 2  # instantly_async.API_SPEC.repairs
    assert '"postOauthGoogleInit": ("o_auth", "post_oauth_google_init")' in facade_names(out)
    assert '"listEventTypes": ("webhook", "list_event_types")' in facade_names(out)


def test_an_optional_numeric_const_compiles_without_warning(tmp_path: Path) -> None:
    body = {
        "type": "object",
        "properties": {"statusCode": {"type": "number", "const": 404}, "n": {"const": 3}},
    }
    doc = document({"/api/v2/things": {"get": {"operationId": "getThing", "responses": ok(body)}}})
    code, out = run(tmp_path, doc)
    assert code == 0
    model = (out / "models" / "get_thing_response_200.py").read_text(encoding="utf-8")
    # the tolerant reader (tolerant_macros.jinja) checks the const and keeps another value
    assert "v != 404) and v is not UNSET:" in model


def test_a_compiler_warning_in_generated_code_is_an_error(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    # what the generator's default const template wrote for an optional numeric const
    (package / "m.py").write_text("x = 1\nif x != 1and True:\n    pass\n", encoding="utf-8")
    with pytest.raises(regen.RegenError, match=r"m\.py .*line 2"):
        regen.check_python(package)


def test_an_unreadable_document_fails_with_one_line_naming_the_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"type": "object", "properties": {"n": {"type": "integer", "frobnicate": True}}}
    doc = document({"/api/v2/things": {"get": {"operationId": "getThing", "responses": ok(bad)}}})
    code, out = run(tmp_path, doc)
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err + captured.out
    [line] = captured.err.strip().splitlines()
    assert line.startswith("regen: error: cannot read ")
    assert "/paths/~1api~1v2~1things/get/responses/200/content/application~1json/schema" in line
    assert "/properties/n/frobnicate: unknown schema keyword 'frobnicate'" in line
    assert not (tmp_path / "o.yaml").exists()
    assert not out.exists()


def test_a_missing_source_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "nope.json"
    args = ["--spec", str(src), "--openapi", str(tmp_path / "o.yaml"), "--output", str(tmp_path)]
    code = regen.main(args)
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [f"regen: error: cannot read {src}: no such file: {src}"]


def test_the_report_lists_live_api_corrections_not_applied(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = {"info": {"x-live-api-not-applied": ["/components/schemas/A: does not apply: x"]}}
    regen.print_report(regen.document_repairs(document), regen.document_not_applied(document))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "regeneration report: the upstream document needed no repair"
    assert out[1].startswith("regeneration report: 1 live-API correction(s) not applied")
    assert out[2] == "  not applied /components/schemas/A: does not apply: x"
