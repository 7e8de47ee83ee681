"""MkDocs hooks (mkdocs.yml ``hooks:``): the site's navigation and its operation reference.

- The navigation lists every ``docs/guides/*.md``: the known guides in reading order, any other
  guide after them (by file name), so a guide added by anyone appears without editing this.
- The operation reference is the generated ``docs/reference.md`` (``make regen``) split into
  one page per namespace (``operations/<namespace>.md``), each followed by a table of the facts
  the generated operations table holds for its calls (rate limits, retry class, whether the
  call starts a background job). Links to anchors on another page are rewritten to point there.

Nothing here is written to disk: the pages exist only in the built site.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference.md"
OPERATIONS_DIR = "operations"

# Guides in reading order; any other docs/guides/*.md follows these.
GUIDE_ORDER = (
    "quickstart",
    "requests",
    "pagination",
    "errors-and-scopes",
    "retries",
    "rate-limits-and-timeouts",
    "raw-responses",
    "trio",
    "logging",
    "testing",
    "background-jobs",
    "webhooks",
    "many-workers",
    "live-api",
    "regeneration",
)

# Handwritten additions to a namespace, said on its reference page.
NAMESPACE_NOTES = {
    "background_job": (
        "Besides the operations below: `await client.background_job.wait(job_or_id)` polls a "
        "job until it ends and `client.background_job.watch(job_or_id)` iterates over its "
        "states (see [background jobs](../guides/background-jobs.md))."
    ),
    "webhook": (
        "To receive the deliveries of a webhook, `instantly_async.webhooks.parse()` checks "
        "and parses them (see [webhooks](../guides/webhooks.md))."
    ),
}

_NAMESPACE_HEADING = re.compile(r"^## `client\.(?P<ns>[a-z0-9_]+)`\s*$")
_ANCHOR = re.compile(r'<a id="(?P<id>[^"]+)"></a>')
_HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<text>.+?)\s*$")
_LOCAL_LINK = re.compile(r"\]\(#(?P<id>[^)\s]+)\)")


# --------------------------------------------------------------------------- navigation


def guide_files(docs: Path = DOCS) -> list[str]:
    """Every ``guides/*.md`` under ``docs``, known guides first in reading order."""
    found = {p.stem for p in (docs / "guides").glob("*.md")}
    known = [name for name in GUIDE_ORDER if name in found]
    others = sorted(found - set(GUIDE_ORDER))
    return [f"guides/{name}.md" for name in (*known, *others)]


def build_nav(docs: Path = DOCS, reference: Path = REFERENCE) -> list[Any]:
    namespaces = [section.namespace for section in split_reference(reference.read_text())[1]]
    operations: list[Any] = [f"{OPERATIONS_DIR}/index.md"]
    operations += [{f"client.{ns}": f"{OPERATIONS_DIR}/{ns}.md"} for ns in namespaces]
    nav: list[Any] = [{"Home": "index.md"}, {"Guides": guide_files(docs)}]
    nav.append({"Reference": [{"Operations": operations}, {"Python API": "python-api.md"}]})
    nav.append({"Contributing": ["architecture.md"]})
    return nav


# --------------------------------------------------------------------------- reference


@dataclass
class Section:
    namespace: str
    lines: list[str] = field(default_factory=list)


def split_reference(text: str) -> tuple[list[str], list[Section]]:
    """The preamble of docs/reference.md and one section per ``## `client.<ns>``` heading."""
    preamble: list[str] = []
    sections: list[Section] = []
    for line in text.splitlines():
        match = _NAMESPACE_HEADING.match(line)
        if match:
            sections.append(Section(match["ns"]))
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, sections


def _slug(text: str) -> str:
    """The anchor mkdocs' toc extension gives a heading (Python-Markdown's default slugify)."""
    text = unicodedata.normalize("NFKD", re.sub(r"[`*]", "", text))
    text = re.sub(r"[^\w\s-]", "", text.encode("ascii", "ignore").decode("ascii"))
    return re.sub(r"[-\s]+", "-", text.strip().lower())


def _anchors(lines: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for line in lines:
        found.update(m["id"] for m in _ANCHOR.finditer(line))
        heading = _HEADING.match(line)
        if heading:
            found.add(_slug(heading["text"]))
    return found


def _demote(line: str) -> str:
    """One heading level up: a namespace page's sections start at ``#``."""
    heading = _HEADING.match(line)
    if heading and len(heading["hashes"]) > 2:
        return line[1:]
    return line


def _facts_table(namespace: str) -> list[str]:
    """Rate limits, retry class and background jobs of the namespace's calls."""
    import importlib

    from instantly_async._generated.namespaces import FACADE_NAMES
    from instantly_async._generated.operations import OPERATIONS

    module = importlib.import_module(f"instantly_async._generated.resources.{namespace}")
    resource = next(v for k, v in vars(module).items() if k.endswith("Resource"))
    rows = []
    for op_id, (ns, method) in sorted(FACADE_NAMES.items(), key=lambda item: item[1]):
        if ns != namespace:
            continue
        op = OPERATIONS[op_id]
        limits = ", ".join(f"{r.requests} per {_seconds(r.seconds)}" for r in op.rate_limits)
        retry = getattr(op, "retry", None)  # the retry class, where the table has it
        doc = getattr(resource, method).__doc__ or ""
        job = "yes" if "background_job.wait" in doc else "-"
        rows.append(f"| `{method}()` | {limits or '-'} | {retry or '-'} | {job} |")
    if not rows:
        return []
    return [
        "",
        "## Limits, retries and background jobs",
        "",
        "Each call's own rate limits (on top of the workspace limits of 100 requests per second "
        "and 6,000 per minute, all kept by the client's rate governor), its retry class where "
        "the operations table records one (`safe` and `idempotent` calls are re-sent after a "
        "transient failure, `unsafe` ones only when the server cannot have acted on them), and "
        "whether it starts a background job (wait for it with "
        "`await client.background_job.wait(job)`).",
        "",
        "| call | rate limits | retry class | background job |",
        "|---|---|---|---|",
        *rows,
    ]


def _seconds(seconds: float) -> str:
    known = {1.0: "second", 60.0: "minute", 3600.0: "hour", 86400.0: "day"}
    return known.get(float(seconds), f"{seconds:g} s")


def anchor_pages(sections: list[Section]) -> dict[str, str]:
    """Anchor of docs/reference.md -> the ``operations/`` page (file name) that holds it."""
    page_of: dict[str, str] = {}
    for section in sections:
        for anchor in _anchors(section.lines):
            page_of.setdefault(anchor, f"{section.namespace}.md")
        page_of.setdefault(_slug(f"client.{section.namespace}"), f"{section.namespace}.md")
    return page_of


def reference_pages(text: str) -> dict[str, str]:
    """``operations/<file>.md`` -> markdown, from the text of docs/reference.md."""
    preamble, sections = split_reference(text)
    page_of = anchor_pages(sections)

    def relink(line: str, here: str) -> str:
        def target(match: re.Match[str]) -> str:
            anchor = match["id"]
            page = page_of.get(anchor)
            if page is None or page == here:
                return match.group(0)
            return f"]({page}#{anchor})"

        return _LOCAL_LINK.sub(target, line)

    body = [line for line in preamble if not line.startswith("<!--")]
    index = [relink(line, "index.md") for line in body]
    index += ["", "## Namespaces", "", "| namespace | calls |", "|---|---|"]
    for section in sections:
        calls = sum(1 for line in section.lines if re.match(r"^\| \[?`[a-z0-9_]+\(\)`", line))
        index.append(f"| [`client.{section.namespace}`]({section.namespace}.md) | {calls} |")
    pages = {"index.md": "\n".join(index) + "\n"}
    for section in sections:
        here = f"{section.namespace}.md"
        lines = [f"# `client.{section.namespace}`", ""]
        if section.namespace in NAMESPACE_NOTES:
            lines += [NAMESPACE_NOTES[section.namespace], ""]
        lines += [_demote(relink(line, here)) for line in section.lines]
        lines += _facts_table(section.namespace)
        pages[here] = "\n".join(lines).rstrip() + "\n"
    return pages


# --------------------------------------------------------------------------- links

_LINK = re.compile(r"\]\((?P<target>[^)\s#]*)(?:#(?P<anchor>[^)\s]*))?\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def relink_reference(markdown: str, page: str, page_of: dict[str, str]) -> str:
    """Links of page ``page`` (path under docs/) to docs/reference.md, which the site leaves
    out, go to the ``operations/`` page that holds their anchor (or its index)."""
    here = posixpath.dirname(page)

    def target(match: re.Match[str]) -> str:
        path, anchor = match["target"], match["anchor"]
        if not path or posixpath.normpath(posixpath.join(here, path)) != "reference.md":
            return match.group(0)
        dest = f"{OPERATIONS_DIR}/{page_of.get(anchor or '', 'index.md')}"
        return f"]({posixpath.relpath(dest, here or '.')}{'#' + anchor if anchor else ''})"

    return _LINK.sub(target, markdown)


def broken_links(docs: Path = DOCS, reference: Path = REFERENCE) -> list[str]:
    """Relative links of the handwritten pages whose target page is not in the site (what
    ``mkdocs build --strict`` would refuse), as ``page: target`` lines."""
    sections = split_reference(reference.read_text())[1]
    page_of = anchor_pages(sections)
    site = {str(p.relative_to(docs).as_posix()) for p in docs.rglob("*") if p.is_file()}
    site -= {"reference.md"}
    site |= {f"{OPERATIONS_DIR}/index.md"} | {
        f"{OPERATIONS_DIR}/{s.namespace}.md" for s in sections
    }
    broken = []
    for path in sorted(docs.rglob("*.md")):
        page = str(path.relative_to(docs).as_posix())
        if page == "reference.md":
            continue
        text = relink_reference(_FENCE.sub("", path.read_text()), page, page_of)
        for match in _LINK.finditer(text):
            target = match["target"]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # same page, or an absolute URL
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            if resolved not in site:
                broken.append(f"{page}: {target}")
    return broken


# --------------------------------------------------------------------------- mkdocs hooks


def on_config(config: Any) -> Any:
    config["nav"] = build_nav()
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    src = str(page.file.src_uri)
    if src.startswith(f"{OPERATIONS_DIR}/"):
        return markdown
    return relink_reference(markdown, src, _reference_anchors())


_ANCHORS: dict[str, str] = {}


def _reference_anchors() -> dict[str, str]:
    if not _ANCHORS:
        _ANCHORS.update(anchor_pages(split_reference(REFERENCE.read_text())[1]))
    return _ANCHORS


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for name, content in reference_pages(REFERENCE.read_text()).items():
        files.append(File.generated(config, f"{OPERATIONS_DIR}/{name}", content=content))
    return files
