"""Shared pytest fixtures: the anyio backends and the Prism mock server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import _prism
import pytest

_TESTS_DIR = Path(__file__).resolve().parent


@pytest.fixture(
    scope="session",
    params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")],
)
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every ``@pytest.mark.anyio`` test runs once on asyncio and once on trio."""
    backend: str = request.param
    return backend


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder: tests/contract -> ``contract``, tests/corpus -> ``corpus``,
    tests/packaging -> ``packaging``.

    The packaging tests (build, fresh virtualenv, install) take a while: they run on CI, or
    when selected with ``-m packaging``, and are skipped otherwise.
    """
    run_packaging = _prism.in_ci() or "packaging" in (config.option.markexpr or "")
    skip_packaging = pytest.mark.skip(reason="packaging test: runs on CI or with -m packaging")
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(_TESTS_DIR).parts
        if parts[:1] == ("contract",):
            item.add_marker(pytest.mark.contract)
        elif parts[:1] == ("corpus",):
            item.add_marker(pytest.mark.corpus)
        elif parts[:1] == ("packaging",):
            item.add_marker(pytest.mark.packaging)
            if not run_packaging:
                item.add_marker(skip_packaging)


def _unavailable(message: str) -> None:
    """Prism or its document is missing: a hard failure on CI, a skip on a developer machine."""
    if _prism.in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def start_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_prism.StartPrism]:
    """Factory: ``start_prism(spec_path) -> base_url`` (one server per document per session).

    Relative paths are taken from the repo root, not from the current directory.
    """
    servers: dict[Path, _prism.PrismServer] = {}
    failures: dict[Path, str] = {}

    def start(spec_path: Path | str) -> str:
        if _prism.prism_executable() is None:
            _unavailable(_prism.INSTALL_HINT)
        spec = Path(spec_path)
        spec = (spec if spec.is_absolute() else _prism.REPO_ROOT / spec).resolve()
        if spec in servers:
            return servers[spec].base_url
        if spec in failures:
            pytest.fail(failures[spec], pytrace=False)
        if not spec.is_file():
            _unavailable(f"OpenAPI document not found: {spec}")
        try:
            server = _prism.start_prism(spec, tmp_path_factory.mktemp("prism"))
        except _prism.PrismStartError as exc:
            failures[spec] = str(exc)
            pytest.fail(str(exc), pytrace=False)
        servers[spec] = server
        return server.base_url

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def prism_url(start_prism: _prism.StartPrism) -> str:
    """Base URL (``http://127.0.0.1:PORT``) of Prism mocking the repo's ``openapi.yaml``."""
    return start_prism(_prism.DEFAULT_SPEC)
