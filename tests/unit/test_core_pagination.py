"""Cursor pagination through AsyncInstantly._paginate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from _core_support import Server, harness, make_op

from instantly_async import APIResponseValidationError, AsyncPaginator, Page, PaginationError
from instantly_async._operation import Pagination

QUERY = Pagination("starting_after", "query", "items", "next_starting_after", "limit")
BODY = Pagination("starting_after", "body", "items", "next_starting_after", "limit")
LIST_ACCOUNTS = make_op("listAccounts", "GET", "/api/v2/accounts", pagination=QUERY)
LIST_LEADS = make_op("listLeads", "POST", "/api/v2/leads/list", pagination=BODY)

# cursor -> (items, next cursor)
THREE_PAGES: dict[str | None, tuple[list[str], Any]] = {
    None: (["a", "b"], "c1"),
    "c1": (["c", "d"], "c2"),
    "c2": (["e"], None),
}


def cursor_of(request: httpx.Request) -> str | None:
    if request.method == "GET":
        cursor: str | None = request.url.params.get("starting_after")
        return cursor
    body = json.loads(request.read() or b"{}")
    value = body.get("starting_after")
    return value if isinstance(value, str) else None


def pages_server(pages: dict[str | None, tuple[list[str], Any]]) -> Server:
    def answer(request: httpx.Request) -> httpx.Response:
        items, next_cursor = pages[cursor_of(request)]
        body: dict[str, Any] = {"items": items}
        if next_cursor is not ...:
            body["next_starting_after"] = next_cursor
        return httpx.Response(200, json=body)

    return Server(answer)


def parse_json(response: httpx.Response) -> Any:
    return response.json()


def query_request(**params: Any) -> dict[str, Any]:
    return {"method": "get", "url": "/api/v2/accounts", "params": params}


def sent_cursors(server: Server) -> list[str | None]:
    return [cursor_of(request) for request in server.requests]


async def collect(paginator: AsyncPaginator[Any]) -> list[Any]:
    return [item async for item in paginator]


@pytest.mark.anyio
async def test_await_gives_the_first_page_and_pages_chain() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        paginator = h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        assert server.count == 0  # nothing is sent before it is awaited or iterated
        first = await paginator
        assert isinstance(first, Page)
        assert (first.items, first.next_starting_after) == (["a", "b"], "c1")
        assert first.raw == {"items": ["a", "b"], "next_starting_after": "c1"}
        assert first.has_next_page()
        second = await first.next_page()
        third = await second.next_page()
        assert third.items == ["e"]
        assert not third.has_next_page()
        with pytest.raises(PaginationError, match="last page"):
            await third.next_page()
    assert sent_cursors(server) == [None, "c1", "c2"]
    assert repr(first) == "Page(items=2, next_starting_after='c1')"


@pytest.mark.anyio
async def test_async_for_walks_every_item_of_every_page() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        items = await collect(h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json))
    assert items == ["a", "b", "c", "d", "e"]
    assert sent_cursors(server) == [None, "c1", "c2"]


@pytest.mark.anyio
async def test_pages_walks_pages() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        paginator = h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        pages = [page.items async for page in paginator.pages()]
        assert pages == [["a", "b"], ["c", "d"], ["e"]]
        assert await collect(paginator) == ["a", "b", "c", "d", "e"]  # iterable again
    assert server.count == 6


@pytest.mark.anyio
async def test_max_items_stops_early_and_shrinks_an_explicit_limit() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        request = query_request(limit=2)
        paginator = h.client._paginate(LIST_ACCOUNTS, request, parse_json, max_items=3)
        assert await collect(paginator) == ["a", "b", "c"]
        assert [len(page.items) async for page in paginator.pages()] == [2, 2]
    limits = [request.url.params.get("limit") for request in server.requests]
    assert limits == ["2", "1", "2", "1"]
    assert request == query_request(limit=2)  # the caller's request is left alone


@pytest.mark.anyio
async def test_max_items_zero_sends_nothing() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        paginator = h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json, max_items=0)
        assert await collect(paginator) == []
        assert [page async for page in paginator.pages()] == []
        with pytest.raises(ValueError, match="max_items"):
            h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json, max_items=-1)
    assert server.count == 0


@pytest.mark.anyio
async def test_resume_from_a_saved_cursor() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        first = await h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        saved = first.next_starting_after
        request = query_request(starting_after=saved)
        items = await collect(h.client._paginate(LIST_ACCOUNTS, request, parse_json))
    assert items == ["c", "d", "e"]
    assert sent_cursors(server) == [None, "c1", "c2"]


@pytest.mark.anyio
async def test_body_cursor_goes_into_the_json_body() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        request = {"method": "post", "url": "/api/v2/leads/list", "json": {"search": "jane"}}
        items = await collect(h.client._paginate(LIST_LEADS, request, parse_json))
        assert request == {
            "method": "post",
            "url": "/api/v2/leads/list",
            "json": {"search": "jane"},
        }
        resumed = {**request, "json": {"search": "jane", "starting_after": "c2"}}
        assert await collect(h.client._paginate(LIST_LEADS, resumed, parse_json)) == ["e"]
    assert items == ["a", "b", "c", "d", "e"]
    bodies = [json.loads(request.read()) for request in server.requests]
    assert bodies == [
        {"search": "jane"},
        {"search": "jane", "starting_after": "c1"},
        {"search": "jane", "starting_after": "c2"},
        {"search": "jane", "starting_after": "c2"},
    ]
    assert all("starting_after" not in request.url.params for request in server.requests)


@pytest.mark.anyio
async def test_body_cursor_without_a_body() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        request = {"method": "post", "url": "/api/v2/leads/list"}
        assert await collect(h.client._paginate(LIST_LEADS, request, parse_json)) == list("abcde")


@pytest.mark.parametrize("end", [None, "", ...], ids=["null", "empty", "missing"])
@pytest.mark.anyio
async def test_stops_on_an_empty_or_missing_cursor(end: Any) -> None:
    server = pages_server({None: (["a"], "c1"), "c1": (["b"], end)})
    async with harness(server) as h:
        paginator = h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        assert await collect(paginator) == ["a", "b"]
    assert server.count == 2


@pytest.mark.anyio
async def test_stops_on_an_empty_page() -> None:
    server = pages_server({None: (["a"], "c1"), "c1": ([], "c2"), "c2": (["never"], None)})
    async with harness(server) as h:
        paginator = h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        assert await collect(paginator) == ["a"]
        empty = await (await paginator).next_page()
        assert not empty.has_next_page()
    assert sent_cursors(server) == [None, "c1", None, "c1"]


@pytest.mark.anyio
async def test_missing_items_field_is_an_empty_page() -> None:
    server = Server(httpx.Response(200, json={"next_starting_after": "c1"}))
    async with harness(server) as h:
        assert await collect(h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)) == []
    assert server.count == 1


@pytest.mark.parametrize(
    ("pages", "cursor"),
    [
        ({None: (["a"], "c1"), "c1": (["b"], "c1")}, "c1"),
        ({None: (["a"], "c1"), "c1": (["b"], "c2"), "c2": (["c"], "c1")}, "c1"),
    ],
    ids=["same", "cycle"],
)
@pytest.mark.anyio
async def test_a_repeated_cursor_stops_with_an_error(
    pages: dict[str | None, tuple[list[str], Any]], cursor: str
) -> None:
    server = pages_server(pages)
    seen: list[str] = []
    async with harness(server) as h:
        with pytest.raises(PaginationError, match=f"cursor '{cursor}' again"):
            async for item in h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json):
                seen.append(item)
    assert seen == [items[0] for items, _ in pages.values()]
    assert server.count == len(pages)


@pytest.mark.anyio
async def test_a_repeated_start_cursor_is_caught() -> None:
    server = pages_server({"c1": (["a"], "c1")})
    async with harness(server) as h:
        paginator = h.client._paginate(
            LIST_ACCOUNTS, query_request(starting_after="c1"), parse_json
        )
        with pytest.raises(PaginationError, match="c1"):
            await collect(paginator)
        page = await paginator
        with pytest.raises(PaginationError, match="again"):
            await page.next_page()


@dataclass
class Account:
    email: str


class Unset:
    """Stands in for the generator's falsy UNSET."""

    def __bool__(self) -> bool:
        return False


@dataclass
class AccountList:
    items: list[Account] | Unset
    next_starting_after: str | Unset


@dataclass
class CamelList:
    data: list[int]
    nextStartingAfter: str | None


def parse_model(response: httpx.Response) -> AccountList:
    body = response.json()
    items = [Account(email) for email in body["items"]] if "items" in body else Unset()
    return AccountList(items, body.get("next_starting_after") or Unset())


@pytest.mark.anyio
async def test_items_and_cursor_from_a_model() -> None:
    server = pages_server(THREE_PAGES)
    async with harness(server) as h:
        first = await h.client._paginate(LIST_ACCOUNTS, query_request(), parse_model)
        assert isinstance(first.raw, AccountList)
        emails = [
            a.email async for a in h.client._paginate(LIST_ACCOUNTS, query_request(), parse_model)
        ]
    assert first.items == [Account("a"), Account("b")]
    assert emails == ["a", "b", "c", "d", "e"]


@pytest.mark.anyio
async def test_unset_fields_end_the_list() -> None:
    server = Server(httpx.Response(200, json={}))
    async with harness(server) as h:
        page = await h.client._paginate(LIST_ACCOUNTS, query_request(), parse_model)
    assert (page.items, page.next_starting_after, page.has_next_page()) == ([], None, False)


@pytest.mark.anyio
async def test_custom_items_and_camel_case_cursor_field() -> None:
    pagination = Pagination("starting_after", "query", "data", "nextStartingAfter", None)
    op = make_op("listThings", "GET", "/api/v2/accounts", pagination=pagination)
    bodies = {None: {"data": [1, 2], "nextStartingAfter": "x"}, "x": {"data": [3]}}
    server = Server(lambda request: httpx.Response(200, json=bodies[cursor_of(request)]))

    def parse(response: httpx.Response) -> CamelList:
        body = response.json()
        return CamelList(body["data"], body.get("nextStartingAfter"))

    async with harness(server) as h:
        numbers = [
            n async for n in h.client._paginate(op, query_request(), parse, lambda r: r.data)
        ]
        assert numbers == [1, 2, 3]
        doubled = h.client._paginate(op, query_request(), parse, lambda r: [2 * n for n in r.data])
        assert [n async for n in doubled] == [2, 4, 6]


@pytest.mark.anyio
async def test_integer_cursor_becomes_text() -> None:
    bodies = {None: {"items": [1], "next_starting_after": 7}, "7": {"items": [2]}}
    server = Server(lambda request: httpx.Response(200, json=bodies[cursor_of(request)]))
    async with harness(server) as h:
        assert await collect(h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)) == [
            1,
            2,
        ]


@pytest.mark.parametrize(
    "body",
    [{"items": {"a": 1}}, {"items": [1], "next_starting_after": {"x": 1}}, ["items"]],
    ids=["items-dict", "cursor-dict", "list-body"],
)
@pytest.mark.anyio
async def test_wrong_shapes_are_validation_errors(body: Any) -> None:
    async with harness(Server(httpx.Response(200, json=body))) as h:
        with pytest.raises(APIResponseValidationError) as caught:
            await h.client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
    assert caught.value.body == json.dumps(body, separators=(",", ":"))


@pytest.mark.anyio
async def test_only_paginated_operations_paginate() -> None:
    async with harness(Server(httpx.Response(200, json={}))) as h:
        with pytest.raises(ValueError, match="not a paginated operation"):
            h.client._paginate(make_op(), query_request(), parse_json)
