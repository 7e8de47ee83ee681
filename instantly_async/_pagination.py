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
from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import PaginationError
from ._operation import Pagination

__all__ = ["AsyncPaginator", "Page"]

T = TypeVar("T")
R = TypeVar("R")


class Page(Generic[T]):
    """One page of a list: its items, the cursor of the next page and the parsed response."""

    __slots__ = ("_cursor", "_paginator", "items", "next_starting_after", "raw")

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
        cursor: str | None,
    ) -> None:
        self.items = items
        self.next_starting_after = next_starting_after
        self.raw = raw
        self._paginator = paginator
        self._cursor = cursor

    def has_next_page(self) -> bool:
        """Whether there is a next page: this page has items and a cursor."""
        return bool(self.items) and self.next_starting_after is not None

    async def next_page(self) -> Page[T]:
        """Fetch the next page. Raises :class:`PaginationError` when there is none."""
        cursor = self.next_starting_after
        if cursor is None or not self.items:
            raise PaginationError("this is the last page; check page.has_next_page() first")
        if cursor == self._cursor:
            raise PaginationError(_repeated(cursor))
        return await self._paginator._fetch_page(cursor, None)

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
    ``async for`` it for every item, or iterate ``pages()``."""

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
        return self._fetch_page(self._start, self._max_items).__await__()

    def __aiter__(self) -> _ItemIterator[T]:
        return _ItemIterator(self.pages(), self._max_items)

    def pages(self) -> _PageIterator[T]:
        """Iterate over pages; stops after the page that reaches ``max_items``."""
        return _PageIterator(self, self._start, self._max_items)

    async def _fetch_page(self, cursor: str | None, remaining: int | None) -> Page[T]:
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
        return Page(parsed.items, parsed.next_cursor, parsed.raw, paginator=self, cursor=cursor)


class _PageIterator(Generic[T]):
    def __init__(self, paginator: AsyncPaginator[T], start: str | None, max_items: int | None):
        self._paginator = paginator
        self._seen = {start} if start is not None else set()
        self._start = start
        self._left = max_items
        self._page: Page[T] | None = None
        self._done = max_items == 0

    def __aiter__(self) -> _PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        previous = self._page
        if previous is None:
            cursor = self._start
        elif not previous.has_next_page():
            self._done = True
            raise StopAsyncIteration
        else:
            cursor = previous.next_starting_after
            assert cursor is not None  # has_next_page() checked it
            if cursor in self._seen:
                self._done = True
                raise PaginationError(_repeated(cursor))
            self._seen.add(cursor)
        page = await self._paginator._fetch_page(cursor, self._left)
        self._page = page
        if self._left is not None:
            self._left -= len(page.items)
            self._done = self._left <= 0
        return page


class _ItemIterator(Generic[T]):
    def __init__(self, pages: _PageIterator[T], max_items: int | None):
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
