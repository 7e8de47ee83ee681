"""Every published upstream document: normalize it, generate a client from it, import that client.

The documents are the snapshots in ``../shared/instantly-openapi/`` (relative to the repo root;
reference data that is never committed). Without that folder every test here is skipped.

Per document, once: ``scripts/normalize.py`` -> ``openapi.yaml`` in a temporary folder ->
openapi-python-client (``scripts/regen.py``'s generator step: our config and custom templates,
``--fail-on-warning``) -> one subprocess that imports every generated module.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# the generator runs on Python 3.11+ only (the SDK itself supports 3.10)
pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")
from codegen import normalize, regen
from openapi_python_client.strings import PythonIdentifier

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "instantly-openapi"

pytestmark = pytest.mark.corpus

DOCUMENTS = sorted(p.name for p in SHARED.glob("*.json")) if SHARED.is_dir() else []
MAX_MODEL_FILES = 1400  # the newest document gives ~1,360 (4,440 before error bodies were shared)
HTTP_METHODS = frozenset(normalize.HTTP_METHODS)
FIELD_PREFIX = "field_"  # openapi-python-client's default (generator-config.yaml keeps it)


@dataclass
class Normalized:
    name: str
    upstream: dict[str, Any]
    doc: dict[str, Any]
    spec: Path
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Generated:
    normalized: Normalized
    package: Path

    @property
    def modules(self) -> dict[str, Path]:
        """Endpoint modules by file stem (``api/<tag>/<operation>.py``)."""
        return {p.stem: p for p in self.endpoint_files}

    @property
    def endpoint_files(self) -> list[Path]:
        return sorted(p for p in (self.package / "api").glob("*/*.py") if p.name != "__init__.py")

    @property
    def model_files(self) -> list[Path]:
        return sorted(p for p in (self.package / "models").glob("*.py") if p.name != "__init__.py")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", params=DOCUMENTS or ["(no documents)"])
def normalized(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Normalized:
    name: str = request.param
    if not DOCUMENTS:
        pytest.skip(f"upstream documents not found in {SHARED}")
    start = time.perf_counter()
    upstream, raw = normalize.load_source(str(SHARED / name))
    doc = normalize.normalize(upstream, raw)
    spec = tmp_path_factory.mktemp(f"corpus-{Path(name).stem}") / "openapi.yaml"
    spec.write_text(normalize.dump_yaml(doc), encoding="utf-8")
    return Normalized(name, upstream, doc, spec, {"normalize": time.perf_counter() - start})


@pytest.fixture(scope="module")
def generated(normalized: Normalized) -> Generated:
    """The client generated from the normalized document (any generator warning fails)."""
    package = normalized.spec.parent / ("client_" + re.sub(r"\W", "_", Path(normalized.name).stem))
    start = time.perf_counter()
    regen.run_generator(normalized.spec, package)  # --fail-on-warning, our config and templates
    normalized.timings["generate"] = time.perf_counter() - start
    return Generated(normalized, package)


# --------------------------------------------------------------------------- helpers


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def prose_strings(value: Any) -> set[str]:
    """Every ``description`` text of a document (a property *named* description is a schema)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == "description" and isinstance(sub, str):
                found.add(sub)
            else:
                found |= prose_strings(sub)
    elif isinstance(value, list):
        for sub in value:
            found |= prose_strings(sub)
    return found


def strings_with_pointers(value: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield ptr, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from strings_with_pointers(sub, f"{ptr}/{key}")
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from strings_with_pointers(sub, f"{ptr}/{i}")


def titled_name(name: str, schema: Any) -> str:
    """The def-N -> title rule: `def-3` titled "Blacklist & Report" is `BlacklistAndReport`."""
    source = schema["title"] if re.fullmatch(r"def-\d+", name) else name
    if re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]*", source):
        return source
    words = re.split(r"[^0-9A-Za-z]+", source.replace("&", " And "))
    return "".join(w[:1].upper() + w[1:] for w in words if w)


# error bodies are compared as the normalizer groups them: without their examples
without_examples = normalize.without_examples


def handled_statuses(module: Path) -> set[int]:
    """The status codes `_parse_response` compares ``response.status_code`` with."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_parse_response"]
    assert len(funcs) == 1, f"{module.name}: no _parse_response"
    codes: set[int] = set()
    for node in ast.walk(funcs[0]):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "status_code"
        ):
            for comp in node.comparators:
                if isinstance(comp, ast.Constant) and isinstance(comp.value, int):
                    codes.add(comp.value)
    return codes


IMPORT_ALL = """
import importlib, json, sys, traceback
from pathlib import Path

root, package = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(root))
imported, failures = 0, {}
for path in sorted((root / package).rglob("*.py")):
    parts = path.relative_to(root).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    try:
        importlib.import_module(module)
        imported += 1
    except BaseException:
        failures[module] = traceback.format_exc(limit=3)
print(json.dumps({"imported": imported, "failures": failures}))
"""

# --------------------------------------------------------------------------- normalized document


def test_operation_count_matches_upstream(normalized: Normalized) -> None:
    upstream = {(p, m): op["operationId"] for p, m, op in operations(normalized.upstream)}
    ours = {(p, m): op["operationId"] for p, m, op in operations(normalized.doc)}
    assert len(ours) == len(upstream)
    assert ours == upstream


def test_component_schemas_keep_their_titled_names(normalized: Normalized) -> None:
    ours = normalized.doc["components"]["schemas"]
    for name, schema in normalized.upstream.get("components", {}).get("schemas", {}).items():
        expected = titled_name(name, schema)
        assert expected in ours, f"{name} -> {expected} missing"
        assert set(ours[expected].get("properties", {})) == set(schema.get("properties", {}))
    assert "def-" not in json.dumps(normalized.doc)


# Facts kept on purpose whose text may equal some description elsewhere upstream ("Email").
KEPT_FACTS = re.compile(
    r"/tags/[0-9]+/name|/paths/.*/(summary|tags/[0-9]+)|/components/schemas/[^/]+/title"
    # a response's description is required by OpenAPI: ours is the HTTP reason phrase
    r"|/paths/.*/responses/[0-9]{3}/description"
)


def test_no_description_prose_is_carried(normalized: Normalized) -> None:
    prose = prose_strings(normalized.upstream)
    assert prose, "the upstream document has description texts"
    carried = [
        (ptr, text)
        for ptr, text in strings_with_pointers(normalized.doc)
        if text in prose and not KEPT_FACTS.fullmatch(ptr)
    ]
    assert not carried, carried[:5]
    phrases = {"Response", *normalize.STATUS_PHRASES.values()}
    for ptr, text in strings_with_pointers(normalized.doc):
        if ptr.endswith("/description"):
            assert re.fullmatch(r"/paths/.*/responses/[0-9]{3}/description", ptr), ptr
            assert text in phrases, (ptr, text)


def test_required_scopes_on_every_operation_that_states_them(normalized: Normalized) -> None:
    ours = {(p, m): op for p, m, op in operations(normalized.doc)}
    stating = 0
    for path, method, op in operations(normalized.upstream):
        prose = op.get("description") or ""
        match = re.search(r"Requires [^\n]*scope", prose)
        new = ours[(path, method)]
        if match is None:
            assert "x-required-scopes" not in new, (method, path)
            continue
        stating += 1
        stated = re.findall(r"`([^`\s]+:[^`\s]+)`", prose[match.start() :])
        scopes = new.get("x-required-scopes")
        assert scopes, f"{method.upper()} {path}: scopes stated in prose, none recorded"
        groups = new.get("x-required-scope-groups")
        if groups is None:  # (a group stated twice, once shortened, counts once)
            assert scopes == list(dict.fromkeys(stated)), (method, path)
        else:
            assert [s for g in groups for s in g] == stated, (method, path)
            assert all(all(s in g for g in groups) for s in scopes), (method, path)
    assert stating > len(ours) // 2  # most operations state their scopes


# --------------------------------------------------------------------------- generated client


def test_one_endpoint_module_per_operation(generated: Generated) -> None:
    ids = [op["operationId"] for _, _, op in operations(generated.normalized.doc)]
    stems = [p.stem for p in generated.endpoint_files]
    assert Counter(stems) == Counter(str(PythonIdentifier(i, FIELD_PREFIX)) for i in ids)


def test_generated_code_compiles_without_a_warning(generated: Generated) -> None:
    """Compiler warnings are errors (the default const template wrote ``!= 1and``)."""
    regen.check_python(generated.package)
    assert not regen.document_repairs(generated.normalized.doc)  # the shared versions need none


def test_parse_response_handles_every_documented_status(generated: Generated) -> None:
    modules = generated.modules
    missing: dict[str, set[int]] = {}
    for _path, _method, op in operations(generated.normalized.upstream):
        documented = {int(code) for code in op["responses"]}
        module = modules[str(PythonIdentifier(op["operationId"], FIELD_PREFIX))]
        handled = handled_statuses(module)
        if documented != handled:
            missing[op["operationId"]] = documented ^ handled
    assert not missing, missing


def test_every_generated_module_compiles_and_imports(generated: Generated) -> None:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(generated.package.parent), generated.package.name],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=100,
        check=False,
    )
    generated.normalized.timings["import"] = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert not result["failures"], dict(list(result["failures"].items())[:3])
    files = list(generated.package.rglob("*.py"))
    assert result["imported"] == len(files)
    assert len(files) > len(generated.model_files) + len(generated.endpoint_files)


def test_model_budget_and_no_per_operation_error_bodies(generated: Generated) -> None:
    """At most 1,400 model files; no error-body model that copies another schema."""
    doc = generated.normalized.doc
    models = generated.model_files
    assert len(models) <= MAX_MODEL_FILES

    inline: dict[str, Any] = {}  # module name -> the inline schema it was generated from
    for _path, _method, op in operations(doc):
        for status, resp in op["responses"].items():
            for media in resp.get("content", {}).values():
                schema = media.get("schema", {})
                if int(status) >= 400 and "$ref" not in schema:
                    inline[
                        f"{PythonIdentifier(op['operationId'], FIELD_PREFIX)}_response_{status}"
                    ] = schema
    shared = {
        json.dumps(without_examples(s), sort_keys=True): name
        for name, s in doc["components"]["schemas"].items()
    }
    seen: dict[str, str] = {}
    for path in models:
        if not re.search(r"_response_[45][0-9]{2}$", path.stem):
            continue
        assert path.stem in inline, f"{path.name}: an error-body model without an inline schema"
        key = json.dumps(without_examples(inline[path.stem]), sort_keys=True)
        assert key not in shared, f"{path.name} copies the shared schema {shared[key]}"
        assert key not in seen, f"{path.name} copies {seen[key]}.py"
        seen[key] = path.stem
