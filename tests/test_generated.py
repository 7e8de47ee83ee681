"""The generation step: scripts/regen.py, scripts/templates/ and generator-config.yaml.

Everything here generates from a small hand-written document (``FIXTURE_SPEC``), never from
openapi.yaml, so these tests stay fast (about half a second per generation) and do not depend
on the normalizer. The generated package is imported under a throwaway name (its imports are
relative), so it never clashes with the real ``instantly_async._generated``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "scripts" / "templates"

# the generator runs on Python 3.11+ only (the SDK itself supports 3.10)
pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")


regen: Any = importlib.import_module("codegen.regen")

FIXTURE_SPEC = """\
openapi: 3.1.0
info: {title: Fixture API, version: "2.0.0"}
servers: [{url: "https://api.example.invalid"}]
paths:
  /api/v2/workspace-members:
    get:
      operationId: listWorkspaceMember
      tags: [Workspace Member]
      parameters:
        - {name: limit, in: query, required: false, schema: {type: integer}}
        - {name: starting_after, in: query, required: false, schema: {type: string}}
        - {name: role, in: query, required: false, schema: {$ref: "#/components/schemas/MemberRole"}}
      responses:
        "200":
          description: A page of members
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/WorkspaceMember"}}
                  next_starting_after: {type: string}
        "401":
          description: Unauthorized
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
  /api/v2/workspace-members/{id}:
    get:
      operationId: getWorkspaceMember
      tags: [Workspace Member]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: One member
          content: {application/json: {schema: {$ref: "#/components/schemas/WorkspaceMember"}}}
  /api/v2/campaigns:
    post:
      operationId: createCampaign
      tags: [Campaign]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                daily_limit: {type: integer}
      responses:
        "200":
          description: The campaign
          content: {application/json: {schema: {$ref: "#/components/schemas/Campaign"}}}
components:
  schemas:
    MemberRole:
      type: string
      enum: [owner, admin, editor, view]
    WorkspaceMember:
      type: object
      required: [id, email, role, status]
      properties:
        id: {type: string}
        email: {type: string}
        role: {$ref: "#/components/schemas/MemberRole"}
        status: {type: integer, enum: [1, 2, 3]}
        timestamp_created: {type: string, format: date-time}
    Campaign:
      type: object
      required: [id, name, status]
      properties:
        id: {type: string}
        name: {type: string}
        status: {type: integer, enum: [0, 1, 2, 3, -1, -2]}
        schedule: {$ref: "#/components/schemas/CampaignSchedule"}
    CampaignSchedule:
      type: object
      properties:
        timezone: {type: string, enum: [Etc/GMT+12, America/New_York]}
        start_date: {type: string, format: date}
    Error:
      type: object
      properties:
        statusCode: {type: integer}
        error: {type: string}
        message: {type: string}
"""

# Stands in for scripts/codegen/gen_facade.py (tested on its own): writes a file without the header.
FAKE_FACADE = """\
from pathlib import Path
from typing import Any


def generate(spec: dict[str, Any], out_dir: Path) -> None:
    ids = sorted(op["operationId"] for item in spec["paths"].values() for op in item.values())
    (out_dir / "operations.py").write_text("OPERATION_IDS = " + repr(tuple(ids)) + "\\n")
"""

MEMBER = {
    "id": "m1",
    "email": "a@example.com",
    "role": "superadmin",  # not in MemberRole
    "status": 9,  # not in WorkspaceMemberStatus (an int enum)
    "timestamp_created": "2025-01-02T03:04:05.678Z",
}


@pytest.fixture(scope="module")
def fixture_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    path.write_text(FIXTURE_SPEC, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fake_facade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facade") / "gen_facade.py"
    path.write_text(FAKE_FACADE, encoding="utf-8")
    return path


def _build(spec: Path, workdir: Path, **kwargs: Any) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "path", list(sys.path))  # the facade loader may extend sys.path
        result = regen.build(spec, workdir, **kwargs)
    package_dir: Path = result.package_dir
    return package_dir


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory, fixture_spec: Path, fake_facade: Path
) -> Path:
    """The package generated from FIXTURE_SPEC with the repo's config and templates."""
    return _build(fixture_spec, tmp_path_factory.mktemp("gen"), gen_facade=fake_facade)


def _importable(package_dir: Path, root: Path, name: str) -> Path:
    """Copy the generated package to ``root/name`` so it imports as ``name``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(package_dir, root / name)
    return root


@pytest.fixture(scope="module")
def sdk(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The generated package, importable in this process as ``fixture_sdk``."""
    name = "fixture_sdk"
    root = _importable(generated, tmp_path_factory.mktemp("site"), name)
    sys.path.insert(0, str(root))
    try:
        yield name
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# --------------------------------------------------------------------------- the tree


def test_generator_version_is_the_pinned_one() -> None:
    assert regen.generator_version() == regen.GENERATOR_VERSION


def test_header_partial_matches_regen() -> None:
    partial = (TEMPLATES / "do_not_edit.jinja").read_text(encoding="utf-8")
    assert partial.splitlines()[0] == regen.HEADER
    assert "make regen" in regen.HEADER


def test_every_py_file_has_the_header(generated: Path) -> None:
    py_files = sorted(generated.rglob("*.py"))
    assert len(py_files) > 15
    for path in py_files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == regen.HEADER, path.relative_to(generated)


def test_layout_and_async_only_endpoints(generated: Path) -> None:
    api = generated / "api" / "workspace_member" / "list_workspace_member.py"
    source = api.read_text(encoding="utf-8")
    assert "def _get_kwargs(" in source and "def _parse_response(" in source
    assert "async def asyncio_detailed(" in source
    assert "def sync(" not in source and "def sync_detailed(" not in source
    assert not (generated / "pyproject.toml").exists()  # --meta none
    client = (generated / "client.py").read_text(encoding="utf-8")
    assert "from typing_extensions import Self" in client  # typing.Self is Python 3.11+


def test_facade_runs_before_formatting_and_gets_the_header(generated: Path) -> None:
    text = (generated / "operations.py").read_text(encoding="utf-8")
    assert text.startswith(regen.HEADER + "\n")
    assert "OPERATION_IDS = (" in text  # formatted by ruff: spaces after commas
    assert "'" not in text  # ruff format normalized the quotes
    assert '"createCampaign", "getWorkspaceMember", "listWorkspaceMember"' in text


def test_manifest(generated: Path, fixture_spec: Path) -> None:
    raw = (generated / "MANIFEST.json").read_text(encoding="utf-8")
    manifest = json.loads(raw)
    assert raw == json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    assert manifest["generator"] == f"openapi-python-client {regen.GENERATOR_VERSION}"
    assert manifest["rebuild"] == "make regen"
    assert manifest["ruff"] == regen.ruff_version()
    inputs = manifest["inputs"]
    assert inputs["openapi.yaml"] == regen._sha256(fixture_spec)
    assert inputs["generator-config.yaml"] == regen._sha256(REPO / "generator-config.yaml")
    assert "gen_facade.py" in inputs
    templates = {k for k in inputs if k.startswith("scripts/templates/")}
    expected = {
        "scripts/templates/" + p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*.jinja")
    }
    assert templates == expected
    assert "models_init.py.jinja" in "".join(templates)


def test_generation_is_deterministic(
    generated: Path, fixture_spec: Path, fake_facade: Path, tmp_path: Path
) -> None:
    again = _build(fixture_spec, tmp_path, gen_facade=fake_facade)
    assert not regen.compare_trees(generated, again)
    assert _tree(generated) == _tree(again)


# --------------------------------------------------------------------------- enums


def test_unknown_literal_enum_values_are_kept(sdk: str) -> None:
    mod = importlib.import_module(f"{sdk}.models.workspace_member")
    member = mod.WorkspaceMember.from_dict(MEMBER)
    assert member.role == "superadmin"
    assert member.status == 9
    assert member.timestamp_created.isoformat() == "2025-01-02T03:04:05.678000+00:00"
    assert member.to_dict()["role"] == "superadmin"
    assert member.to_dict()["status"] == 9

    known = mod.WorkspaceMember.from_dict({**MEMBER, "role": "admin", "status": 2})
    assert (known.role, known.status) == ("admin", 2)

    roles = importlib.import_module(f"{sdk}.models.member_role")
    assert roles.MEMBER_ROLE_VALUES == {"owner", "admin", "editor", "view"}
    assert roles.check_member_role("owner") == "owner"
    assert roles.check_member_role("brand-new") == "brand-new"


def test_unknown_int_enum_in_nested_model(sdk: str) -> None:
    mod = importlib.import_module(f"{sdk}.models.campaign")
    campaign = mod.Campaign.from_dict(
        {
            "id": "c1",
            "name": "n",
            "status": -7,
            "schedule": {"timezone": "Mars/Olympus_Mons", "start_date": "2025-01-01"},
        }
    )
    assert campaign.status == -7
    assert campaign.schedule.timezone == "Mars/Olympus_Mons"
    status = importlib.import_module(f"{sdk}.models.campaign_status")
    assert status.CAMPAIGN_STATUS_VALUES == {-2, -1, 0, 1, 2, 3}


def test_literal_enum_query_parameter_is_passed_through(sdk: str) -> None:
    op = importlib.import_module(f"{sdk}.api.workspace_member.list_workspace_member")
    kwargs = op._get_kwargs(limit=10, role="brand-new")
    assert kwargs == {
        "method": "get",
        "url": "/api/v2/workspace-members",
        "params": {"limit": 10, "role": "brand-new"},
    }


def test_enum_classes_are_tolerant_too(fixture_spec: Path, tmp_path: Path) -> None:
    """With literal_enums off the generator emits Enum classes: unknown values still parse."""
    config = tmp_path / "config.yaml"
    config.write_text("literal_enums: false\npost_hooks: []\n", encoding="utf-8")
    package_dir = _build(fixture_spec, tmp_path / "work", config=config, gen_facade=None)
    root = _importable(package_dir, tmp_path / "site", "enum_sdk")
    code = textwrap.dedent(
        """
        import json, sys
        from enum import Enum
        from enum_sdk.models import Campaign, CampaignStatus, MemberRole, WorkspaceMember
        m = WorkspaceMember.from_dict(json.loads(sys.argv[1]))
        assert isinstance(m.role, MemberRole) and isinstance(m.role, Enum)
        assert m.role == "superadmin" and m.role.value == "superadmin" and str(m.role) == "superadmin"
        assert m.status == 9 and m.status.value == 9
        assert m.to_dict()["role"] == "superadmin" and m.to_dict()["status"] == 9
        assert MemberRole("admin") is MemberRole.ADMIN
        assert CampaignStatus(-1) is CampaignStatus.VALUE_NEGATIVE_1
        assert Campaign.from_dict({"id": "c", "name": "n", "status": 42}).status == 42
        for bad in (lambda: CampaignStatus("1"), lambda: MemberRole(3)):
            try:
                bad()
            except ValueError:
                pass
            else:
                raise AssertionError("a value of the wrong type must still be rejected")
        """
    )
    prelude = f"import sys; sys.path.insert(0, {str(root)!r})\n"
    proc = subprocess.run(
        [sys.executable, "-c", prelude + code, json.dumps(MEMBER)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- lazy models


def test_importing_one_endpoint_does_not_import_every_model(sdk: str, generated: Path) -> None:
    root = Path(importlib.import_module(sdk).__file__ or "").parent.parent
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(root)!r})
        import {sdk}.api.workspace_member.list_workspace_member
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("{sdk}.models."))))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    loaded = {m.rsplit(".", 1)[1] for m in json.loads(proc.stdout)}
    assert "list_workspace_member_response_200" in loaded
    unrelated = {"campaign", "campaign_schedule", "campaign_status", "create_campaign_body"}
    assert not loaded & unrelated


def test_models_package_resolves_names_lazily(generated: Path, tmp_path: Path) -> None:
    name = "lazy_sdk"  # a fresh copy: other tests import models of fixture_sdk
    root = _importable(generated, tmp_path, name)
    sys.path.insert(0, str(root))
    try:
        models = importlib.import_module(f"{name}.models")
        assert not [m for m in sys.modules if m.startswith(f"{name}.models.")]
        assert set(models.__all__) == set(models._LAZY_IMPORTS)
        assert "CampaignSchedule" in dir(models)
        schedule_cls = models.CampaignSchedule
        module = sys.modules[f"{name}.models.campaign_schedule"]
        assert schedule_cls is module.CampaignSchedule
        assert models.__dict__["CampaignSchedule"] is schedule_cls  # cached after first access
        with pytest.raises(AttributeError, match="NoSuchModel"):
            _ = models.NoSuchModel
    finally:
        sys.path.remove(str(root))
        for module_name in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module_name]


@pytest.mark.anyio
async def test_generated_async_endpoint_over_mock_transport(sdk: str) -> None:
    op = importlib.import_module(f"{sdk}.api.workspace_member.list_workspace_member")
    client_mod = importlib.import_module(f"{sdk}.client")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"items": [MEMBER], "next_starting_after": "m1"})

    transport = httpx.MockTransport(handler)
    client = client_mod.Client(
        base_url="https://api.example.invalid", httpx_args={"transport": transport}
    )
    async with client:
        page = await op.asyncio(client=client, limit=1, role="admin")
    assert [m.role for m in page.items] == ["superadmin"]
    assert page.next_starting_after == "m1"
    assert seen[0].url.params["role"] == "admin"


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def no_repo_facade(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """main() without scripts/codegen/gen_facade.py (it has its own tests)."""
    monkeypatch.setattr(regen, "GEN_FACADE", tmp_path / "no_gen_facade.py")


@pytest.mark.usefixtures("no_repo_facade")
def test_spec_normalizes_first_then_check_reports_tampering(
    fixture_spec: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[tuple[str, Path]] = []

    def normalize_file(src: str, dest: Path) -> None:
        calls.append((src, dest))
        shutil.copyfile(src, dest)

    fake = type(sys)("codegen.normalize")
    fake.normalize_file = normalize_file  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "codegen.normalize", fake)
    openapi = tmp_path / "openapi.yaml"
    out = tmp_path / "pkg" / "_generated"

    assert (
        regen.main(["--spec", str(fixture_spec), "--openapi", str(openapi), "--output", str(out)])
        == 0
    )
    assert calls == [(str(fixture_spec), openapi)]
    assert (out / "models" / "__init__.py").is_file()
    printed = capsys.readouterr().out
    assert "model files" in printed and "api files" in printed

    check = ["--check", "--openapi", str(openapi), "--output", str(out)]
    assert regen.main(check) == 0
    assert "up to date" in capsys.readouterr().out

    (out / "models" / "error.py").write_text("# edited by hand\n", encoding="utf-8")
    (out / "types.py").unlink()
    (out / "stale.py").write_text("", encoding="utf-8")
    assert regen.main(check) == 1
    err = capsys.readouterr().err
    assert "changed: models/error.py" in err
    assert "missing: types.py" in err
    assert "extra:   stale.py" in err
    assert "-# edited by hand" in err  # the unified diff
    assert "make regen" in err


@pytest.mark.usefixtures("no_repo_facade")
def test_regen_replaces_the_tree_wholesale(fixture_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "_generated"
    (out / "api" / "gone").mkdir(parents=True)
    (out / "api" / "gone" / "old_endpoint.py").write_text("", encoding="utf-8")
    assert regen.main(["--openapi", str(fixture_spec), "--output", str(out)]) == 0
    assert not (out / "api" / "gone").exists()
    assert not list(tmp_path.glob("._generated*"))  # no staging leftovers


def test_check_and_spec_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        regen.main(["--check", "--spec", "upstream.json"])
    assert exc.value.code == 2
    assert "--spec" in capsys.readouterr().err


BROKEN_SPECS = {
    # a response refers to a schema that does not exist: the generator warns and drops it
    "warning": """\
        openapi: 3.1.0
        info: {title: Broken, version: "1"}
        paths:
          /api/v2/things:
            get:
              operationId: listThings
              tags: [Thing]
              responses:
                "200":
                  description: ok
                  content: {application/json: {schema: {$ref: "#/components/schemas/Missing"}}}
        """,
    # a validation-only anyOf on a body: the generator writes invalid Python, silently
    "not valid Python": """\
        openapi: 3.1.0
        info: {title: Broken, version: "1"}
        paths:
          /api/v2/leads:
            delete:
              operationId: deleteLeads
              tags: [Lead]
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        campaign_id: {type: string}
                        list_id: {type: string}
                      anyOf: [{required: [campaign_id]}, {required: [list_id]}]
              responses:
                "200": {description: ok}
        """,
}


@pytest.mark.usefixtures("no_repo_facade")
@pytest.mark.parametrize("problem", sorted(BROKEN_SPECS))
def test_generator_problems_fail_loudly_and_keep_the_old_tree(
    problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(textwrap.dedent(BROKEN_SPECS[problem]), encoding="utf-8")
    out = tmp_path / "_generated"
    out.mkdir()
    (out / "keep.py").write_text("x = 1\n", encoding="utf-8")
    assert regen.main(["--openapi", str(spec), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "regen: error:" in err
    assert problem in err.lower() or problem in err
    assert [p.name for p in out.iterdir()] == ["keep.py"]
