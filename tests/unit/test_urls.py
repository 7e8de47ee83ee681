"""UrlBuilder gives the same httpx.URL as httpx parsing ``base_url + path``."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instantly_async._urls import UrlBuilder

BASES = [
    "https://api.instantly.ai",
    "http://127.0.0.1:4010",
    "https://example.com/prefix",
    "https://user:pw@example.com:8443/a/b",
]

PATHS = [
    "/api/v2/leads",
    "/api/v2/leads/f9cc070d-8dba-4341-b847-f083c358e460",
    "/api/v2/leads/abc%20def",
    "/api/v2/leads/%2F..",
    "/api/v2/leads/..",
    "/api/v2/leads/.",
    "/api/v2/leads/./x",
    "/api/v2/leads/...",
    "/api/v2/leads/a b",
    "/api/v2/leads/\u00e9",
    "/api/v2/leads?x=1",
    "/api/v2/leads#top",
    "/a//b",
    "/",
]


def _same(left: httpx.URL, right: httpx.URL) -> None:
    assert left == right
    assert str(left) == str(right)
    assert left.raw_path == right.raw_path
    assert (left.scheme, left.host, left.port, left.userinfo) == (
        right.scheme,
        right.host,
        right.port,
        right.userinfo,
    )
    assert left.params == right.params


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("path", PATHS)
def test_same_url_as_httpx(base: str, path: str) -> None:
    _same(UrlBuilder(base)(path), httpx.URL(base + path))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_any_path_segment(segment: str) -> None:
    path = "/api/v2/leads/" + segment
    try:
        expected = httpx.URL(BASES[0] + path)
    except httpx.InvalidURL:
        with pytest.raises(httpx.InvalidURL):
            UrlBuilder(BASES[0])(path)
        return
    _same(UrlBuilder(BASES[0])(path), expected)


def test_fast_path_used_for_plain_paths() -> None:
    builder = UrlBuilder(BASES[0])
    # a plain path is spliced into the parsed base, not parsed again
    assert builder._parts is not None
    url = builder("/api/v2/leads/abc")
    assert url.path == "/api/v2/leads/abc"
    assert url.host == "api.instantly.ai"
