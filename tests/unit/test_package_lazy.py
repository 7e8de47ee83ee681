"""The package's public surface: __all__ resolves, and imports stay lazy."""

from __future__ import annotations

import subprocess
import sys

import pytest

import instantly_async


def test_every_public_name_resolves() -> None:
    for name in instantly_async.__all__:
        assert getattr(instantly_async, name) is not None, name
    assert set(instantly_async._LAZY) == set(instantly_async.__all__)
    assert set(instantly_async.__all__) <= set(dir(instantly_async))


def test_unknown_attribute_is_a_clear_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'AsyncInstantlyy'"):
        _ = instantly_async.AsyncInstantlyy


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_one_endpoint_loads_neither_facade_nor_other_models() -> None:
    loaded = _loaded_after("import instantly_async._generated.api.lead.list_leads")
    assert "instantly_async._client" not in loaded
    assert "anyio" not in loaded
    models = {m for m in loaded if m.startswith("instantly_async._generated.models.")}
    assert "instantly_async._generated.models.list_leads_body" in models
    # the lead list call needs a handful of models, not the 1,300+ of the package
    assert 0 < len(models) < 60, sorted(models)
    assert not {m for m in loaded if m.startswith("instantly_async._generated.models.campaign")}


def test_client_namespaces_load_on_first_use() -> None:
    loaded = _loaded_after(
        "from instantly_async import AsyncInstantly\n"
        "c = AsyncInstantly(api_key='k')\n"
        "c.workspace_member"
    )
    resources = {m for m in loaded if m.startswith("instantly_async._generated.resources.")}
    assert resources == {
        "instantly_async._generated.resources.workspace_member",
        "instantly_async._generated.resources._support",
    }
    # the tag's package (a few lines), but none of its endpoint modules until a call
    assert not {m for m in loaded if m.startswith("instantly_async._generated.api.")} - {
        "instantly_async._generated.api",
        "instantly_async._generated.api.workspace_member",
    }
