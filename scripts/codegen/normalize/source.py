"""Reading the upstream document (path or URL, JSON or YAML) and writing ours (YAML)."""

from __future__ import annotations

import datetime
import email.utils
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from .base import NormalizeError

DATE_IN_NAME_RE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")

LAST_MODIFIED: dict[str, str] = {}
"""The ``Last-Modified`` header of each URL read (the fallback for its date)."""


def source_date(src: str, last_modified: str | None = None) -> str:
    """The upstream document's date (the document itself carries none).

    The date in the source's file name (``2026-08-21.json``), else the server's
    ``Last-Modified`` for a URL, else today (UTC): the day it was retrieved.
    """
    name = src.rstrip("/").rsplit("/", 1)[-1]
    m = DATE_IN_NAME_RE.search(name)
    if m:
        return m.group(1)
    if last_modified:
        try:
            return email.utils.parsedate_to_datetime(last_modified).date().isoformat()
        except (TypeError, ValueError):
            pass
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def load_source(src: str) -> tuple[dict[str, Any], bytes]:
    """Read a document from a path or URL; returns it parsed and its raw bytes."""
    if re.match(r"^https?://", src):
        with urllib.request.urlopen(src, timeout=60) as resp:
            raw = resp.read()
            modified = resp.headers.get("Last-Modified")
            if modified:
                LAST_MODIFIED[src] = modified
    else:
        path = Path(src)
        if not path.is_file():
            raise NormalizeError("", f"no such file: {src}")
        raw = path.read_bytes()
    text = raw.decode("utf-8-sig")  # strips a UTF-8 BOM
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise NormalizeError("", f"{src} is neither JSON nor YAML: {exc}") from exc
    if not isinstance(doc, dict) or "paths" not in doc:
        raise NormalizeError("", f"{src} is not an OpenAPI document (no 'paths')")
    return doc, raw


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never emit &anchors / *aliases
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(doc: dict[str, Any]) -> str:
    """Block-style YAML, keys in document order, no aliases: stable for diffs."""
    text: str = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text
