"""Where the document came from, under ``info``: upstream SHA-256, date, repairs made."""

from __future__ import annotations

import hashlib

from ...rules import Rule
from ..base import State


def provenance(st: State) -> None:
    if st.raw is not None:
        st.out["info"]["x-upstream-sha256"] = hashlib.sha256(st.raw).hexdigest()
    if st.date is not None:
        st.out["info"]["x-upstream-date"] = st.date
    if st.repairs:
        st.out["info"]["x-upstream-repairs"] = list(st.repairs)


PROVENANCE = Rule(
    "provenance", provenance, "x-upstream-sha256, x-upstream-date and x-upstream-repairs"
)
