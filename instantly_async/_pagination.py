"""Cursor pagination: ``Page`` and ``AsyncPaginator``.

A list method returns an :class:`AsyncPaginator` right away, without a request:

- ``page = await client.lead.list(...)`` fetches the first page;
- ``async for lead in client.lead.list(...)`` walks every item of every page;
- ``async for page in client.lead.list(...).pages()`` walks the pages.

To resume later, keep ``page.next_starting_after`` and pass it back as the list method's
``starting_after`` argument.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._exceptions import PaginationError
from ._operation import Pagination

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

__all__ = ["AsyncPaginator", "Page", "Prefetcher"]

T = TypeVar("T")
R = TypeVar("R")


class Page(Generic[T]):
    """One page of a list: its items, the cursor of the next page and the parsed response."""

    __slots__ = ("_chain", "_depth", "_paginator", "items", "next_starting_after", "raw")

    items: list[T]
    next_starting_after: str | None
    """Cursor of the next page; None when the server sent none."""
    raw: Any
    """The parsed response."""

    def __init__(
        self,
        items: list[T],
        next_starting_after: str | None,
        raw: Any,
        *,
        paginator: AsyncPaginator[T],
        chain: dict[str, int],
        depth: int,
    ) -> None:
        self.items = items
        self.next_starting_after = next_starting_after
        self.raw = raw
        self._paginator = paginator
        # Cursors fetched so far from the same first page -> how many pages in they were.
        # A page ``depth`` pages in whose next cursor was fetched at ``depth`` or before
        # would loop (A -> B -> A). Only cursors are kept, never pages.
        self._chain = chain
        self._depth = depth

    def has_next_page(self) -> bool:
        """Whether there is a next page: this page has items and a cursor."""
        return bool(self.items) and self.next_starting_after is not None

    async def next_page(self) -> Page[T]:
        """Fetch the next page. Raises :class:`PaginationError` when there is none, or when
        the server sends a cursor of an earlier page again (the pages would loop). After a
        failed fetch, calling it again retries the same cursor."""
        return await self._next(None)

    async def _next(self, remaining: int | None) -> Page[T]:
        cursor = self.next_starting_after
        if cursor is None or not self.items:
            raise PaginationError("this is the last page; check page.has_next_page() first")
        if self._chain.get(cursor, self._depth + 1) <= self._depth:
            raise PaginationError(_repeated(cursor))
        return await self._paginator._fetch_page(cursor, remaining, self._chain, self._depth + 1)

    def __repr__(self) -> str:
        return f"Page(items={len(self.items)}, next_starting_after={self.next_starting_after!r})"


class ParsedPage(Generic[T]):
    """What the client's page parser extracts from one response."""

    __slots__ = ("items", "next_cursor", "raw")

    def __init__(self, raw: object, items: list[T], next_cursor: str | None) -> None:
        self.raw = raw
        self.items = items
        self.next_cursor = next_cursor


Fetch = Callable[[dict[str, Any]], Awaitable[ParsedPage[T]]]


class AsyncPaginator(Generic[T]):
    """Lazily fetched pages of a list operation. ``await`` it for the first page,
    ``async for`` it for every item, or iterate ``pages()``; ``prefetch()`` fetches the next
    page while you work on the current one."""

    def __init__(
        self,
        fetch: Fetch[T],
        pagination: Pagination,
        request: dict[str, Any],
        *,
        max_items: int | None = None,
    ) -> None:
        if max_items is not None and max_items < 0:
            raise ValueError(f"max_items must not be negative, got {max_items}")
        self._fetch = fetch
        self._pagination = pagination
        self._request = request
        self._max_items = max_items
        self._start = _cursor_value(_container(request, pagination).get(pagination.cursor_param))

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._first_page(self._max_items).__await__()

    def __aiter__(self) -> _ItemIterator[T]:
        return _ItemIterator(self.pages(), self._max_items)

    def pages(self) -> _PageIterator[T]:
        """Iterate over pages; stops after the page that reaches ``max_items``."""
        return _PageIterator(self, self._max_items)

    def prefetch(self) -> Prefetcher[T]:
        """Fetch each next page while you work on the current one (one page ahead).

        Use it as an async context manager, which owns the background fetch::

            async with client.lead.list(limit=100).prefetch() as leads:
                async for lead in leads:  # or: async for page in leads.pages()
                    await slow_work(lead)

        Leaving the block cancels a fetch still in flight. A failed fetch is raised where the
        page was expected; iterating again retries it.
        """
        return Prefetcher(self)

    async def _first_page(self, remaining: int | None) -> Page[T]:
        start = self._start
        chain = {start: 0} if start is not None else {}
        return await self._fetch_page(start, remaining, chain, 0)

    async def _fetch_page(
        self, cursor: str | None, remaining: int | None, chain: dict[str, int], depth: int
    ) -> Page[T]:
        pagination = self._pagination
        request = dict(self._request)
        target = "params" if pagination.cursor_in == "query" else "json"
        container = request[target] = dict(_container(self._request, pagination))
        if cursor is None:
            container.pop(pagination.cursor_param, None)
        else:
            container[pagination.cursor_param] = cursor
        if remaining is not None and pagination.limit_param is not None:
            # Only a smaller page than asked for: the server's default size is unknown here.
            for part in ("params", "json"):
                values = request.get(part)
                limit = values.get(pagination.limit_param) if isinstance(values, dict) else None
                if isinstance(limit, int) and 0 < remaining < limit:
                    request[part] = {**request[part], pagination.limit_param: remaining}
        parsed = await self._fetch(request)
        # Marked as fetched only now: a failed fetch can be retried from the same cursor.
        if cursor is not None and chain.get(cursor, depth + 1) > depth:
            chain[cursor] = depth
        return Page(
            parsed.items, parsed.next_cursor, parsed.raw, paginator=self, chain=chain, depth=depth
        )


class _PageIterator(Generic[T]):
    def __init__(self, paginator: AsyncPaginator[T], max_items: int | None):
        self._paginator = paginator
        self._left = max_items
        self._page: Page[T] | None = None
        self._done = max_items == 0

    def __aiter__(self) -> _PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        previous = self._page
        try:
            if previous is None:
                page = await self._paginator._first_page(self._left)
            elif not previous.has_next_page():
                self._done = True
                raise StopAsyncIteration
            else:
                page = await previous._next(self._left)
        except PaginationError:
            self._done = True
            raise
        # A failure above leaves the state as it was: the next call fetches the same cursor.
        self._page = page
        if self._left is not None:
            self._left -= len(page.items)
            self._done = self._left <= 0
        return page


class _ItemIterator(Generic[T]):
    def __init__(self, pages: AsyncIterator[Page[T]], max_items: int | None):
        self._pages = pages
        self._left = max_items
        self._items: list[T] = []
        self._index = 0

    def __aiter__(self) -> _ItemIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._left is not None and self._left <= 0:
            raise StopAsyncIteration
        while self._index >= len(self._items):
            self._items = (await self._pages.__anext__()).items
            self._index = 0
        item = self._items[self._index]
        self._index += 1
        if self._left is not None:
            self._left -= 1
        return item


class _Pending(Generic[T]):
    """The outcome of one background page fetch."""

    __slots__ = ("done", "error", "page")

    def __init__(self) -> None:
        import anyio  # imported on first use: a plain call does not need it

        self.done = anyio.Event()
        self.page: Page[T] | None = None
        self.error: BaseException | None = None


class Prefetcher(Generic[T]):
    """Pages fetched one ahead of the consumer (see :meth:`AsyncPaginator.prefetch`).

    Holds at most the page being consumed and the next one: memory stays flat.
    """

    def __init__(self, paginator: AsyncPaginator[T]) -> None:
        self._pages = paginator.pages()
        self._max_items = paginator._max_items
        self._group: TaskGroup | None = None
        self._pending: _Pending[T] | None = None
        self._finished = False

    async def __aenter__(self) -> Prefetcher[T]:
        if self._group is not None:
            raise RuntimeError("this prefetcher is already in use")
        import anyio

        group = anyio.create_task_group()
        await group.__aenter__()
        self._group = group
        self._start()  # the first page, right away
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        group, self._group = self._group, None
        self._pending = None
        if group is None:
            return None
        group.cancel_scope.cancel()
        return await group.__aexit__(exc_type, exc, tb)

    def __aiter__(self) -> _ItemIterator[T]:
        return _ItemIterator(self.pages(), self._max_items)

    def pages(self) -> _PrefetchedPages[T]:
        """Iterate over pages instead of items."""
        return _PrefetchedPages(self)

    async def _next_page(self) -> Page[T]:
        if self._group is None:
            raise RuntimeError("use the prefetcher inside `async with paginator.prefetch()`")
        if self._finished:
            raise StopAsyncIteration
        pending = self._pending or self._start()
        await pending.done.wait()
        self._pending = None
        if pending.error is not None:
            if isinstance(pending.error, StopAsyncIteration):
                self._finished = True
                raise StopAsyncIteration
            raise pending.error
        page = pending.page
        assert page is not None
        self._start()  # the next page, while the caller works on this one
        return page

    def _start(self) -> _Pending[T]:
        assert self._group is not None
        pending = self._pending = _Pending[T]()
        self._group.start_soon(self._fetch, pending)
        return pending

    async def _fetch(self, pending: _Pending[T]) -> None:
        try:
            pending.page = await self._pages.__anext__()
        except StopAsyncIteration as stop:
            pending.error = stop
        except Exception as exc:  # handed to the consumer, raised where it waits
            pending.error = exc
        finally:
            pending.done.set()


class _PrefetchedPages(Generic[T]):
    def __init__(self, prefetcher: Prefetcher[T]) -> None:
        self._prefetcher = prefetcher

    def __aiter__(self) -> _PrefetchedPages[T]:
        return self

    async def __anext__(self) -> Page[T]:
        return await self._prefetcher._next_page()


def _repeated(cursor: str | None) -> str:
    return f"the server sent cursor {cursor!r} again; stopping instead of looping forever"


def _container(request: Mapping[str, Any], pagination: Pagination) -> Mapping[str, Any]:
    value = request.get("params" if pagination.cursor_in == "query" else "json")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"cannot put a cursor into a request body of type {type(value).__name__}")
    return value


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _field(raw: object, name: str) -> object:
    """A response field by its JSON name, from a mapping or a generated model."""
    if isinstance(raw, Mapping):
        return raw.get(name)
    if isinstance(raw, (list, tuple, str, bytes, int, float)):
        raise TypeError(f"expected an object with {name!r}, got {type(raw).__name__}")
    for attribute in (name, _snake(name)):
        if hasattr(raw, attribute):
            return getattr(raw, attribute)
    extra = getattr(raw, "additional_properties", None)
    return extra.get(name) if isinstance(extra, dict) else None


def _cursor_value(value: object) -> str | None:
    """A cursor as text; None for a missing or empty one (None, "", UNSET)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if not value:  # the generator's UNSET
        return None
    raise TypeError(f"cursor must be a string, got {type(value).__name__}")


def page_parser(
    pagination: Pagination,
    parse: Callable[[httpx.Response], R],
    items: Callable[[R], Sequence[T]] | None,
) -> Callable[[httpx.Response], ParsedPage[T]]:
    """Turn a response parser into one that also extracts the items and the next cursor."""

    def parse_page(response: httpx.Response) -> ParsedPage[T]:
        raw = parse(response)
        if raw is None:
            raise ValueError("the response parser returned nothing")
        found: object = items(raw) if items is not None else _field(raw, pagination.items_field)
        if isinstance(found, (list, tuple)):
            page_items: list[T] = list(found)
        elif not found:  # missing, null or UNSET: an empty page
            page_items = []
        else:
            raise TypeError(f"{pagination.items_field!r} is a {type(found).__name__}, not a list")
        cursor = _cursor_value(_field(raw, pagination.next_cursor_field))
        return ParsedPage(raw, page_items, cursor)

    return parse_page
