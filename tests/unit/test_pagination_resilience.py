"""Pagination under cycling cursors and failing fetches, and the optional prefetch."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from _core_support import Server, harness
from test_core_pagination import (
    LIST_ACCOUNTS,
    LIST_LEADS,
    THREE_PAGES,
    cursor_of,
    parse_json,
    query_request,
    sent_cursors,
)

from instantly_async import AsyncPaginator, InternalServerError, Page, PaginationError

CYCLE: dict[str | None, tuple[list[str], str | None]] = {
    None: (["a"], "A"),
    "A": (["b"], "B"),
    "B": (["c"], "A"),  # back to A: the pages would loop forever
}


class FlakyPages(Server):
    """Serves ``pages`` (cursor -> items, next cursor); the first request for each cursor in
    ``fail_once`` gets a 503."""

    def __init__(
        self, pages: dict[str | None, tuple[list[str], str | None]], *fail_once: str | None
    ) -> None:
        super().__init__(self.answer)
        self.pages = pages
        self.fail_once = list(fail_once)

    def answer(self, request: httpx.Request) -> httpx.Response:
        cursor = cursor_of(request)
        if cursor in self.fail_once:
            self.fail_once.remove(cursor)
            return httpx.Response(503, json={"message": "try again"})
        items, next_cursor = self.pages[cursor]
        body: dict[str, Any] = {"items": items}
        if next_cursor is not None:
            body["next_starting_after"] = next_cursor
        return httpx.Response(200, json=body)


def paginate(h: Any, **options: Any) -> AsyncPaginator[Any]:
    paginator: AsyncPaginator[Any] = h.client._paginate(
        LIST_ACCOUNTS, query_request(), parse_json, **options
    )
    return paginator


# --------------------------------------------------------------------------- cycles


@pytest.mark.anyio
async def test_next_page_chain_stops_on_a_cycle() -> None:
    server = FlakyPages(CYCLE)
    async with harness(server) as h:
        page = await paginate(h)
        with pytest.raises(PaginationError, match="cursor 'A' again"):
            while page.has_next_page():  # the README's loop
                page = await page.next_page()
    assert page.items == ["c"]
    assert sent_cursors(server) == [None, "A", "B"]


@pytest.mark.anyio
async def test_next_page_chain_stops_on_a_cursor_pointing_to_itself() -> None:
    server = FlakyPages({None: (["a"], "A"), "A": (["b"], "A")})
    async with harness(server) as h:
        second = await (await paginate(h)).next_page()
        with pytest.raises(PaginationError, match="again"):
            await second.next_page()
    assert server.count == 2


@pytest.mark.anyio
async def test_fetching_the_same_next_page_twice_is_no_cycle() -> None:
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h:
        first = await paginate(h)
        again = await first.next_page()
        second = await first.next_page()
        assert again.items == second.items == ["c", "d"]
        third = await second.next_page()
    assert third.items == ["e"]
    assert sent_cursors(server) == [None, "c1", "c1", "c2"]


@pytest.mark.anyio
async def test_pages_keep_cursors_not_earlier_pages() -> None:
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h:
        page = await paginate(h)
        while page.has_next_page():
            page = await page.next_page()
    assert page._chain == {"c1": 1, "c2": 2}
    assert not any(isinstance(getattr(page, name), Page) for name in Page.__slots__)


# --------------------------------------------------------------------------- transient failures


@pytest.mark.anyio
async def test_async_for_goes_on_from_the_same_cursor_after_a_failure() -> None:
    server = FlakyPages(THREE_PAGES, "c2")
    items: list[str] = []
    async with harness(server, max_retries=0) as h:
        iterator = aiter(paginate(h))
        with pytest.raises(InternalServerError):
            async for item in iterator:
                items.append(item)
        assert items == ["a", "b", "c", "d"]
        items.extend([item async for item in iterator])  # no "repeated cursor" error
    assert items == ["a", "b", "c", "d", "e"]
    assert sent_cursors(server) == [None, "c1", "c2", "c2"]


@pytest.mark.anyio
async def test_pages_go_on_after_a_failure_of_the_first_page() -> None:
    server = FlakyPages(THREE_PAGES, None)
    async with harness(server, max_retries=0) as h:
        pages = paginate(h).pages()
        with pytest.raises(InternalServerError):
            await anext(pages)
        assert [page.items async for page in pages] == [["a", "b"], ["c", "d"], ["e"]]
    assert sent_cursors(server) == [None, None, "c1", "c2"]


@pytest.mark.anyio
async def test_next_page_retries_the_same_cursor_after_a_failure() -> None:
    server = FlakyPages(CYCLE, "B")
    async with harness(server, max_retries=0) as h:
        second = await (await paginate(h)).next_page()
        with pytest.raises(InternalServerError):
            await second.next_page()
        third = await second.next_page()
        assert third.items == ["c"]
        with pytest.raises(PaginationError, match="cursor 'A' again"):
            await third.next_page()
    assert sent_cursors(server) == [None, "A", "B", "B"]


@pytest.mark.anyio
async def test_a_cycle_ends_async_for_for_good() -> None:
    server = FlakyPages(CYCLE)
    async with harness(server) as h:
        iterator = aiter(paginate(h))
        with pytest.raises(PaginationError):
            async for _ in iterator:
                pass
        assert [item async for item in iterator] == []
    assert server.count == 3


@pytest.mark.anyio
async def test_post_paged_reads_keep_the_operation_for_retries() -> None:
    # The paginator sends every page through the client with its operation, so whatever the
    # client decides for that operation (retry class, governor) applies to each page.
    seen: list[str] = []
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h:
        original = h.client._request

        async def spy(op: Any, request: Any) -> httpx.Response:
            seen.append(op.operation_id)
            return await original(op, request)

        h.client._request = spy  # type: ignore[method-assign]
        body = {"method": "post", "url": "/api/v2/leads/list", "json": {}}
        paginator = h.client._paginate(LIST_LEADS, body, parse_json)
        assert [item async for item in paginator] == ["a", "b", "c", "d", "e"]
    assert seen == ["listLeads"] * 3


# --------------------------------------------------------------------------- prefetch


@pytest.mark.anyio
async def test_prefetch_walks_every_item_in_order() -> None:
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h, paginate(h).prefetch() as items:
        assert [item async for item in items] == ["a", "b", "c", "d", "e"]
    assert sent_cursors(server) == [None, "c1", "c2"]


@pytest.mark.anyio
async def test_prefetch_pages_and_max_items() -> None:
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h:
        async with paginate(h).prefetch() as prefetched:
            assert [page.items async for page in prefetched.pages()] == [
                ["a", "b"],
                ["c", "d"],
                ["e"],
            ]
        async with paginate(h, max_items=3).prefetch() as prefetched:
            assert [item async for item in prefetched] == ["a", "b", "c"]
        async with paginate(h, max_items=0).prefetch() as prefetched:
            assert [item async for item in prefetched] == []
    assert sent_cursors(server) == [None, "c1", "c2", None, "c1"]


@pytest.mark.anyio
async def test_prefetch_fetches_the_next_page_while_the_caller_works() -> None:
    asked_for_second = anyio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        cursor = cursor_of(request)
        if cursor == "c1":
            asked_for_second.set()
        items, next_cursor = THREE_PAGES[cursor]
        body: dict[str, Any] = {"items": items}
        if next_cursor is not None:
            body["next_starting_after"] = next_cursor
        return httpx.Response(200, json=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        from instantly_async import AsyncInstantly

        client = AsyncInstantly("key", http_client=http, rate_limit=None)
        paginator = client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        async with paginator.prefetch() as prefetched:
            pages = prefetched.pages()
            first = await anext(pages)
            # still on the first page: the second one is requested meanwhile
            with anyio.fail_after(10):
                await asked_for_second.wait()
            assert first.items == ["a", "b"]
            assert [page.items async for page in pages] == [["c", "d"], ["e"]]


@pytest.mark.anyio
async def test_prefetch_raises_a_failure_where_the_page_was_due_and_retries() -> None:
    server = FlakyPages(THREE_PAGES, "c1")
    async with harness(server, max_retries=0) as h, paginate(h).prefetch() as prefetched:
        items: list[str] = []
        with pytest.raises(InternalServerError):
            async for item in prefetched:
                items.append(item)
        assert items == ["a", "b"]
        assert [item async for item in prefetched] == ["c", "d", "e"]
    assert sent_cursors(server) == [None, "c1", "c1", "c2"]


@pytest.mark.anyio
async def test_leaving_a_prefetch_early_cancels_the_fetch_in_flight() -> None:
    started = anyio.Event()
    cancelled = False

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal cancelled
        if cursor_of(request) is None:
            return httpx.Response(200, json={"items": ["a"], "next_starting_after": "c1"})
        started.set()
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            cancelled = True
            raise
        raise AssertionError("unreachable")

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        from instantly_async import AsyncInstantly

        client = AsyncInstantly("key", http_client=http, rate_limit=None)
        paginator = client._paginate(LIST_ACCOUNTS, query_request(), parse_json)
        async with paginator.prefetch() as prefetched:
            async for item in prefetched:
                assert item == "a"
                await started.wait()
                break
    assert cancelled


@pytest.mark.anyio
async def test_prefetch_outside_its_block_is_an_error() -> None:
    server = FlakyPages(THREE_PAGES)
    async with harness(server) as h:
        prefetcher = paginate(h).prefetch()
        with pytest.raises(RuntimeError, match="async with"):
            await anext(aiter(prefetcher))
        async with prefetcher:
            with pytest.raises(RuntimeError, match="already"):
                await prefetcher.__aenter__()
        with pytest.raises(RuntimeError, match="async with"):
            await anext(prefetcher.pages())
