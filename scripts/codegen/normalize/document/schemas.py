"""The component schemas: named as Python can name them, then normalized."""

from __future__ import annotations

import re

from ...rules import Rule
from ..base import NormalizeError, State, esc, name_or_fail, title_to_name

DEF_NAME_RE = re.compile(r"^def-\d+$")


def schema_names(st: State) -> None:
    for name, s in st.upstream_schemas.items():
        sptr = f"/components/schemas/{esc(name)}"
        new = name
        if DEF_NAME_RE.match(name):
            title = s.get("title") if isinstance(s, dict) else None
            if not title:
                raise NormalizeError(sptr, "a def-N schema without title")
            new = name_or_fail(title_to_name, title, sptr + "/title")
        elif not re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]*", name):
            new = name_or_fail(title_to_name, name, sptr)
        if new in st.renames.values():
            raise NormalizeError(sptr, f"two schemas named {new!r}")
        st.renames[name] = new


def schemas(st: State) -> None:
    for name, s in st.upstream_schemas.items():
        st.schemas[st.renames[name]] = st.schema(s, f"/components/schemas/{esc(name)}")


SCHEMA_NAMES = Rule("schema-names", schema_names, "def-N and non-identifier schema names renamed")
SCHEMAS = Rule(
    "schemas", schemas, "every component schema through the schema rules (normalize.schema)"
)
