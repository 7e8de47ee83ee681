"""The documentation site's hooks (scripts/mkdocs_hooks.py): navigation and reference pages.

The site itself is built by `make docs DOCS_ARGS=--strict` (CI), which fails on broken links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
import mkdocs_hooks  # noqa: E402

REFERENCE = """<!-- DO NOT EDIT: generated -->

# Operation reference

2 operations in 2 namespaces. See [`client.lead`](#clientlead).

## `client.campaign`

| call | HTTP |
|---|---|
| [`get()`](#campaign-get) | `GET /api/v2/campaigns/{id}` |

<a id="campaign-get"></a>
### `client.campaign.get()`

Returns the campaign; its leads are listed by [`client.lead.list()`](#lead-list).

## `client.lead`

<a id="lead-list"></a>
### `client.lead.list()`

See [`client.campaign.get()`](#campaign-get) and [`get()`](#lead-list) and [gone](#nowhere).
"""


def _flatten(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _flatten(value)]
    return [page for item in nav for page in _flatten(item)]


def test_nav_lists_every_guide_and_page() -> None:
    pages = _flatten(mkdocs_hooks.build_nav())
    guides = sorted(f"guides/{p.name}" for p in (ROOT / "docs" / "guides").glob("*.md"))
    assert sorted(p for p in pages if p.startswith("guides/")) == guides
    handwritten = {
        str(p.relative_to(ROOT / "docs"))
        for p in (ROOT / "docs").rglob("*.md")
        if p.name != "reference.md"
    }
    assert handwritten <= set(pages)
    assert "operations/index.md" in pages and "operations/lead.md" in pages


def test_known_guides_come_in_reading_order_and_others_after(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    for name in ("zebra", "webhooks", "quickstart", "alpha", "pagination"):
        (tmp_path / "guides" / f"{name}.md").write_text(f"# {name}\n")
    assert mkdocs_hooks.guide_files(tmp_path) == [
        "guides/quickstart.md",
        "guides/pagination.md",
        "guides/webhooks.md",
        "guides/alpha.md",
        "guides/zebra.md",
    ]


def test_reference_is_split_per_namespace_with_links_pointing_across_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mkdocs_hooks, "_facts_table", lambda namespace: [])
    pages = mkdocs_hooks.reference_pages(REFERENCE)
    assert sorted(pages) == ["campaign.md", "index.md", "lead.md"]
    index, campaign, lead = pages["index.md"], pages["campaign.md"], pages["lead.md"]
    assert index.startswith("\n# Operation reference") or index.startswith("# Operation reference")
    assert "DO NOT EDIT" not in index
    assert "[`client.lead`](lead.md#clientlead)" in index
    assert "| [`client.campaign`](campaign.md) | 1 |" in index
    assert campaign.startswith("# `client.campaign`\n")
    assert "## `client.campaign.get()`" in campaign  # one level up
    assert "[`get()`](#campaign-get)" in campaign  # same page: unchanged
    assert "[`client.lead.list()`](lead.md#lead-list)" in campaign
    assert "[`client.campaign.get()`](campaign.md#campaign-get)" in lead
    assert "[gone](#nowhere)" in lead  # unknown: left for mkdocs --strict to report


def test_namespace_pages_carry_limits_retries_and_background_jobs() -> None:
    text = (ROOT / "docs" / "reference.md").read_text()
    lead = mkdocs_hooks.reference_pages(text)["lead.md"]
    assert "## Limits, retries and background jobs" in lead
    rows = [line for line in lead.splitlines() if line.startswith("| `move()`")]
    from instantly_async._generated.operations import OPERATIONS

    retry = getattr(OPERATIONS["moveLeads"], "retry", None) or "-"
    assert rows[-1] == f"| `move()` | - | {retry} | yes |"
    assert "| `list()` |" in lead


def test_mkdocs_config_matches_the_project_urls() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'Documentation = "{config["site_url"]}"' in pyproject
    assert f'Repository = "{config["repo_url"]}"' in pyproject
    assert config["hooks"] == ["scripts/mkdocs_hooks.py"]


def test_links_to_the_reference_go_to_its_operations_pages() -> None:
    page_of = {"lead-list": "lead.md", "clientlead": "lead.md"}
    text = "See [list](../reference.md#lead-list), [all](../reference.md) and [x](other.md#y)."
    assert mkdocs_hooks.relink_reference(text, "guides/pagination.md", page_of) == (
        "See [list](../operations/lead.md#lead-list), [all](../operations/index.md) "
        "and [x](other.md#y)."
    )
    assert mkdocs_hooks.relink_reference("[r](reference.md#clientlead)", "index.md", page_of) == (
        "[r](operations/lead.md#clientlead)"
    )


def test_every_relative_link_of_the_docs_has_a_page() -> None:
    """What `mkdocs build --strict` checks on CI, here for everyone's `make test`: a guide
    linking to a page that is not in the site fails."""
    assert mkdocs_hooks.broken_links() == []


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    (tmp_path / "index.md").write_text("[ok](guides/a.md) [bad](guides/missing.md)\n")
    (tmp_path / "guides" / "a.md").write_text(
        "[up](../index.md) [ref](../reference.md#lead-list) [web](https://example.com)\n"
        "```python\nx = d[k](y)\n```\n"
    )
    reference = tmp_path / "reference.md"
    reference.write_text(REFERENCE)
    assert mkdocs_hooks.broken_links(tmp_path, reference) == ["index.md: guides/missing.md"]


def test_namespace_notes_link_existing_guides() -> None:
    for namespace, note in mkdocs_hooks.NAMESPACE_NOTES.items():
        assert f"## `client.{namespace}`" in (ROOT / "docs" / "reference.md").read_text()
        for target in mkdocs_hooks._LINK.findall(note):
            path = ROOT / "docs" / "operations" / target[0]
            assert path.resolve().is_file(), (namespace, target)
