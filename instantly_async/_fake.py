"""The stateful fake Instantly behind ``instantly_async.testing``: routing, checks, state."""

from __future__ import annotations

import copy
import datetime
import json
import math
import random
import re
import time
import urllib.parse
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._fake_schema import Builder, SchemaSet
from ._operation import Operation, RateLimit
from ._ratelimit import DEFAULT_RATE_LIMITS

if TYPE_CHECKING:
    from ._client import AsyncInstantly

__all__ = ["FakeClock", "FakeInstantly", "RecordedRequest"]

DEFAULT_BASE_URL = "https://api.instantly.ai"
_LEADS = "/api/v2/leads"
_JOBS = "/api/v2/background-jobs"
_CAMPAIGNS = "/api/v2/campaigns"


class FakeClock:
    """A clock that moves only when told: ``clock.advance(seconds)``.

    Pass it as ``FakeInstantly(clock=clock)`` to control rate-limit windows and timestamps.
    """

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = float(start)

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"a clock cannot go back: advance({seconds!r})")
        self._now += seconds


@attrs.frozen
class RecordedRequest:
    """One request the fake received, and the status it answered (None: it raised)."""

    operation_id: str | None
    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: httpx.Headers
    status: int | None


@dataclass
class _Fault:
    status: int | None
    exception: BaseException | type[BaseException] | None
    retry_after: float | None


@dataclass
class _Job:
    fail: bool
    on_success: Callable[[], dict[str, Any]] | None


@dataclass
class _Route:
    operation_id: str
    pattern: re.Pattern[str]
    names: list[str]
    literals: int


@dataclass
class _Call:
    """One routed request."""

    operation_id: str
    op: dict[str, Any]
    meta: Operation
    params: dict[str, str]
    query: dict[str, Any]
    body: Any
    request: httpx.Request


class _Answer(Exception):
    """Raised by checks and handlers to answer right away."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass
class _Store:
    """Items per collection (path template and the values of its parameters)."""

    items: dict[tuple[str, tuple[str, ...]], dict[str, dict[str, Any]]] = field(
        default_factory=dict
    )
    singletons: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = field(default_factory=dict)

    def bucket(self, template: str, values: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        return self.items.setdefault((template, values), {})


def _param_names(template: str) -> list[str]:
    return re.findall(r"\{([^}/]+)\}", template)


def _norm(path: str) -> str:
    return path.rstrip("/") or "/"


class _Transport(httpx.AsyncBaseTransport):
    def __init__(self, fake: FakeInstantly) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._fake._handle(request)


class FakeInstantly:
    """An in-process Instantly API V2 that keeps state, for your tests. See the module doc."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        rate_limits: bool = True,
        seed: int = 0,
        base_url: str = DEFAULT_BASE_URL,
    ) -> None:
        """Create an empty workspace.

        - ``clock``: seconds since the epoch (``time.time`` by default; a :class:`FakeClock`
          to control rate-limit windows and timestamps).
        - ``rate_limits``: enforce the workspace limits (100 requests/s, 6,000/min) and each
          operation's own limits, answering 429 with ``Retry-After``.
        - ``seed``: ids are generated from it, so a test gets the same ids on every run.
        """
        from ._generated.fake_data import DATA
        from ._generated.operations import OPERATIONS

        self._data: dict[str, Any] = DATA
        self._meta: Mapping[str, Operation] = OPERATIONS
        self._clock = clock or time.time
        self._rate_limits = rate_limits
        self._random = random.Random(seed)
        self.base_url = base_url
        self.workspace_id = self._uuid()
        self._schemas = SchemaSet(DATA["schemas"])
        self._builder = Builder(self._schemas, self._server_value)
        self._store = _Store()
        self._keys: dict[str, frozenset[str]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._jobs: dict[str, _Job] = {}
        self._fail_jobs = 0
        self._windows: dict[tuple[str, int], deque[float]] = {}
        self._routes = self._compile_routes()
        self._transport = _Transport(self)
        self.requests: list[RecordedRequest] = []
        """Every request received, oldest first."""

    # ------------------------------------------------------------------ public API

    @property
    def transport(self) -> httpx.AsyncBaseTransport:
        """The fake as an httpx transport, for ``httpx.AsyncClient(transport=...)``."""
        return self._transport

    def api_key(self, scopes: Iterable[str] = ("all:all",)) -> str:
        """A new API key of this workspace with ``scopes`` (e.g. ``["leads:read"]``)."""
        given: list[object] = [scopes] if isinstance(scopes, str) else list(scopes)
        checked: list[str] = []
        for scope in given:
            if not isinstance(scope, str) or not re.fullmatch(r"[a-z_]+:[a-z_]+", scope):
                raise ValueError(f"a scope looks like 'leads:read', got {scope!r}")
            checked.append(scope)
        key = f"fake-key-{len(self._keys) + 1}-{self._random.getrandbits(48):012x}"
        self._keys[key] = frozenset(checked)
        return key

    def client(self, scopes: Iterable[str] = ("all:all",), **options: Any) -> AsyncInstantly:
        """An ``AsyncInstantly`` wired to this fake, with a key that has ``scopes``.

        ``options`` go to ``AsyncInstantly`` (``max_retries=0``, ``rate_limit=None``, ...).
        """
        from ._client import AsyncInstantly

        for name in ("api_key", "http_client"):
            if name in options:
                raise TypeError(f"fake.client() sets {name} itself")
        http = httpx.AsyncClient(transport=self._transport)
        client = AsyncInstantly(
            api_key=self.api_key(scopes),
            base_url=options.pop("base_url", self.base_url),
            http_client=http,
            **options,
        )
        client._owns_http = True  # closing the client closes its in-memory httpx client
        return client

    def fail_next(
        self,
        operation_id: str,
        *,
        status: int | None = None,
        exception: BaseException | type[BaseException] | None = None,
        times: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``operation_id`` fail.

        With ``status`` (e.g. 503) the fake answers that status with the body the service
        sends; with ``exception`` (e.g. ``httpx.ReadTimeout``) the transport raises it.
        """
        self._operation(operation_id)
        if (status is None) == (exception is None):
            raise ValueError("fail_next() needs exactly one of status= or exception=")
        status_arg: object = status
        exception_arg: object = exception
        times_arg: object = times
        if status_arg is not None and not (
            isinstance(status_arg, int) and 400 <= status_arg <= 599
        ):
            raise ValueError(f"status must be an error status (400-599), got {status!r}")
        if exception_arg is not None and not (
            isinstance(exception_arg, BaseException)
            or (isinstance(exception_arg, type) and issubclass(exception_arg, BaseException))
        ):
            raise TypeError(f"exception must be an exception class or instance, got {exception!r}")
        if not isinstance(times_arg, int) or times_arg < 1:
            raise ValueError(f"times must be a positive int, got {times!r}")
        queue = self._faults.setdefault(operation_id, deque())
        queue.extend(_Fault(status, exception, retry_after) for _ in range(times))

    def fail_next_job(self) -> None:
        """The next background job started ends in ``failed`` instead of ``success``."""
        self._fail_jobs += 1

    def add(
        self, collection: str, item: Mapping[str, Any] | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Store an item as if the service had it, e.g. ``fake.add("emails", subject="Hi")``.

        ``collection`` is a path below ``/api/v2`` (``"campaigns"``,
        ``"ai-agents/sales/<id>/guidance-rules"``). Missing required fields, the id and the
        timestamps are filled in from the document. Returns a copy of the stored item.
        """
        template, values = self._collection(collection)
        source = {**(item or {}), **fields}
        stored = self._new_item(template, values, source, keep_key=True)
        return copy.deepcopy(stored)

    def items(self, collection: str) -> list[dict[str, Any]]:
        """Copies of the items stored in ``collection`` (see :meth:`add`), oldest first."""
        template, values = self._collection(collection)
        return copy.deepcopy(list(self._store.bucket(template, values).values()))

    def get(self, collection: str, key: str) -> dict[str, Any] | None:
        """A copy of one stored item, or None."""
        template, values = self._collection(collection)
        found = self._store.bucket(template, values).get(key)
        return copy.deepcopy(found) if found is not None else None

    # ------------------------------------------------------------------ setup helpers

    def _operation(self, operation_id: str) -> dict[str, Any]:
        op = self._data["operations"].get(operation_id)
        if op is None:
            raise ValueError(f"unknown operation id {operation_id!r} (see docs/reference.md)")
        result: dict[str, Any] = op
        return result

    def _collection(self, name: str) -> tuple[str, tuple[str, ...]]:
        path = _norm("/api/v2/" + name.strip("/").removeprefix("api/v2/"))
        templates = sorted(self._data["collections"], key=lambda t: (t.count("{"), t))
        for template in templates:
            regex = "/".join(
                "([^/]+)" if re.fullmatch(r"\{[^}/]+\}", s) else re.escape(s)
                for s in template.split("/")
            )
            found = re.fullmatch(regex, path)
            if found:
                return template, tuple(found.groups())
        known = ", ".join(t.removeprefix("/api/v2/") for t in self._data["collections"])
        raise ValueError(f"no collection {name!r}; collections: {known}")

    def _compile_routes(self) -> dict[str, list[_Route]]:
        routes: dict[str, list[_Route]] = {}
        for oid, op in self._data["operations"].items():
            template = _norm(op["path"])
            segments = template.split("/")
            regex = "/".join(
                "([^/]+)" if re.fullmatch(r"\{[^}/]+\}", s) else re.escape(s) for s in segments
            )
            literals = sum(1 for s in segments if not s.startswith("{"))
            routes.setdefault(op["method"], []).append(
                _Route(oid, re.compile(f"^{regex}/?$"), _param_names(template), literals)
            )
        for entries in routes.values():
            entries.sort(key=lambda r: (-r.literals, r.operation_id))
        return routes

    # ------------------------------------------------------------------ values

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def _now(self) -> str:
        moment = datetime.datetime.fromtimestamp(self._clock(), datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def _new_id(self, schema: Mapping[str, Any]) -> str:
        example = schema.get("example")
        if isinstance(example, str) and re.fullmatch(r"[0-9a-f]{24}", example):
            return f"{self._random.getrandbits(96):024x}"
        return self._uuid()

    def _server_value(self, name: str, schema: dict[str, Any]) -> Any:
        kinds = schema.get("type")
        kinds = [kinds] if isinstance(kinds, str) else (kinds or [])
        if "string" not in kinds or "enum" in schema:
            return Builder.MISSING
        if name == "id":
            return self._new_id(schema)
        if schema.get("format") == "date" and (name.startswith("timestamp") or "date" in name):
            return self._now()[:10]
        if (
            name.startswith("timestamp")
            or name.endswith("_at")
            or schema.get("format") == "date-time"
        ):
            return self._now()
        if name in ("organization", "organization_id", "workspace_id", "workspace"):
            return self.workspace_id
        return Builder.MISSING

    def _new_item(
        self,
        template: str,
        values: tuple[str, ...],
        source: Mapping[str, Any],
        *,
        keep_key: bool = False,
    ) -> dict[str, Any]:
        """Build an item of collection ``template`` from ``source`` and store it."""
        coll = self._data["collections"][template]
        schema = self._schemas.resolve(coll["schema"])
        props: dict[str, Any] = schema.get("properties") or {}
        key = coll["key"] or "id"
        kept = {k: v for k, v in source.items() if k in props or not props}
        item = self._builder.build(schema, kept)
        if not isinstance(item, dict):
            item = {}
        if key == "id" and not (keep_key and "id" in source):
            item["id"] = self._new_id(props.get("id", {}))
        elif key in source:
            item[key] = source[key]
        bucket = self._store.bucket(template, values)
        bucket[str(item.get(key))] = item
        return item

    # ------------------------------------------------------------------ request handling

    def _handle(self, request: httpx.Request) -> httpx.Response:
        oid: str | None = None
        status: int | None = None
        body: Any = None
        try:
            body = json.loads(request.content) if request.content else None
        except ValueError:
            body = request.content.decode("utf-8", "replace")
        try:
            route = self._route(request)
            oid = route[0] if route else None
            if oid is not None:
                self._inject_fault(oid, request)
            response = self._respond(request, route, body)
            status = response.status_code
            return response
        finally:
            self.requests.append(
                RecordedRequest(
                    operation_id=oid,
                    method=request.method,
                    path=request.url.path,
                    query=dict(request.url.params),
                    json=body,
                    headers=request.headers,
                    status=status,
                )
            )

    def _route(self, request: httpx.Request) -> tuple[str, dict[str, str]] | None:
        raw = request.url.raw_path.decode("ascii").split("?", 1)[0]
        for route in self._routes.get(request.method, []):
            found = route.pattern.match(raw)
            if found:
                params = {
                    n: urllib.parse.unquote(v)
                    for n, v in zip(route.names, found.groups(), strict=True)
                }
                return route.operation_id, params
        return None

    def _inject_fault(self, oid: str, request: httpx.Request) -> None:
        queue = self._faults.get(oid)
        if not queue or queue[0].exception is None:
            return
        exc = queue.popleft().exception
        if exc is not None:
            if isinstance(exc, type):
                message = f"injected by FakeInstantly.fail_next({oid!r})"
                if issubclass(exc, httpx.RequestError):
                    raise exc(message, request=request)
                raise exc(message)
            raise exc

    def _respond(
        self, request: httpx.Request, route: tuple[str, dict[str, str]] | None, body: Any
    ) -> httpx.Response:
        try:
            if route is None:
                path = request.url.path
                raise _Answer(
                    404,
                    {
                        "message": f"Route {request.method}:{path} not found",
                        "error": "Not Found",
                        "statusCode": 404,
                    },
                )
            oid, params = route
            op = self._data["operations"][oid]
            fault = self._pending_status(oid)
            if fault is not None:
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                raise _Answer(
                    fault.status or 500, self._error_body(op, fault.status or 500), headers
                )
            call = _Call(oid, op, self._meta[oid], params, {}, body, request)
            self._authorize(call)
            self._limit(call)
            self._validate(call)
            self._check_parents(call)
            status, answer = self._dispatch(call)
        except _Answer as answer_:
            return self._response(answer_.status, answer_.body, answer_.headers)
        media = op["media"]
        if media is None or status == 204:
            return httpx.Response(status)
        if media != "application/json":
            text = answer if isinstance(answer, str) else ""
            return httpx.Response(status, text=text, headers={"Content-Type": media})
        return self._response(status, answer)

    @staticmethod
    def _response(
        status: int, body: Any, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        content = json.dumps(body, separators=(",", ":")).encode()
        all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return httpx.Response(status, content=content, headers=all_headers)

    def _pending_status(self, oid: str) -> _Fault | None:
        queue = self._faults.get(oid)
        if queue and queue[0].status is not None and queue[0].exception is None:
            return queue.popleft()
        return None

    def _error_body(self, op: Mapping[str, Any], status: int, message: str | None = None) -> Any:
        schema = op["errors"].get(str(status))
        if schema is not None:
            body = self._builder.sample(schema)
            if isinstance(body, dict):
                if message is not None and "message" in body:
                    body["message"] = message
                return body
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return {"statusCode": status, "error": phrase, "message": message or phrase}

    def _fail(
        self, call: _Call, status: int, message: str | None = None, **headers: str
    ) -> _Answer:
        return _Answer(status, self._error_body(call.op, status, message), headers)

    # ------------------------------------------------------------------ checks

    def _authorize(self, call: _Call) -> None:
        header = call.request.headers.get("authorization")
        if not header:
            raise self._fail(call, 401, "Missing Authorization header")
        scheme, _, key = header.partition(" ")
        scopes = self._keys.get(key.strip()) if scheme.lower() == "bearer" else None
        if scopes is None:
            raise self._fail(call, 401, "Invalid API key")
        for group in call.meta.scope_requirements:
            if not scopes.intersection(group):
                raise self._fail(call, 403, "API key does not have the required scope")

    def _limit(self, call: _Call) -> None:
        if not self._rate_limits:
            return
        now = self._clock()
        windows: list[tuple[tuple[str, int], RateLimit]] = [
            (("*", i), limit) for i, limit in enumerate(DEFAULT_RATE_LIMITS)
        ]
        windows += [
            ((call.operation_id, i), limit) for i, limit in enumerate(call.meta.rate_limits)
        ]
        wait = 0.0
        for key, limit in windows:
            granted = self._windows.setdefault(key, deque())
            while granted and granted[0] + limit.seconds <= now:
                granted.popleft()
            if len(granted) >= limit.requests:
                wait = max(wait, granted[0] + limit.seconds - now)
        if wait > 0:
            raise self._fail(call, 429, None, **{"Retry-After": str(max(1, math.ceil(wait)))})
        for key, _ in windows:
            self._windows[key].append(now)

    def _validate(self, call: _Call) -> None:
        query = call.request.url.params
        for name, param in call.op["params"].items():
            where = param["in"]
            if where == "path":
                continue
            values = query.get_list(name)
            if not values:
                if param["required"]:
                    raise self._fail(call, 400, f"querystring must have required property '{name}'")
                continue
            value = self._schemas.coerce(values if len(values) > 1 else values[0], param["schema"])
            problem = self._schemas.error(value, param["schema"], f"querystring/{name}")
            if problem:
                raise self._fail(call, 400, problem)
            call.query[name] = value
        schema = call.op["body"]
        if schema is None:
            return
        if call.body is None:
            if call.op["body_required"]:
                raise self._fail(call, 400, "body must be object")
            call.body = {}
            return
        problem = self._schemas.error(call.body, schema, "body")
        if problem:
            raise self._fail(call, 400, problem)

    def _values(self, template: str, params: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(params[name] for name in _param_names(template))

    def _item(self, call: _Call, item_template: str) -> tuple[dict[str, dict[str, Any]], str]:
        """The bucket holding the item ``item_template`` names in this call, and its key."""
        collection, _, last = item_template.rpartition("/")
        bucket = self._store.bucket(collection, self._values(collection, call.params))
        return bucket, call.params[last.strip("{}")]

    def _check_parents(self, call: _Call) -> None:
        for parent in call.op["parents"]:
            bucket, key = self._item(call, parent)
            if key not in bucket:
                raise self._fail(call, 404)

    # ------------------------------------------------------------------ behaviour

    def _dispatch(self, call: _Call) -> tuple[int, Any]:
        from ._fake_behaviours import HANDLERS

        handler = HANDLERS.get(call.operation_id)
        if handler is not None:
            return call.op["status"], handler(self, call)
        kind = call.op["kind"]
        method = getattr(self, f"_do_{kind}")
        return call.op["status"], method(call)

    def _answer(self, call: _Call, source: Any) -> Any:
        return self._builder.build(call.op["response"], source)

    def _body(self, call: _Call) -> dict[str, Any]:
        return call.body if isinstance(call.body, dict) else {}

    def _do_list(self, call: _Call, items: list[dict[str, Any]] | None = None) -> Any:
        template = call.op["collection"]
        coll = self._data["collections"][template]
        props = self._schemas.resolve(coll["schema"]).get("properties") or {}
        if items is None:
            items = list(self._store.bucket(template, self._values(template, call.params)).values())
        pagination = call.meta.pagination
        skip = {pagination.cursor_param, pagination.limit_param} if pagination else set()
        for name, wanted in call.query.items():
            if name in props and name not in skip:
                allowed = wanted if isinstance(wanted, list) else [wanted]
                items = [i for i in items if i.get(name) in allowed]
        return self._page(call, items, coll["key"] or "id")

    def _page(self, call: _Call, items: list[dict[str, Any]], key: str) -> Any:
        pagination = call.meta.pagination
        response = self._schemas.resolve(call.op["response"])
        if pagination is None:
            if "array" in (response.get("type") or []):
                return self._answer(call, items)
            return self._answer(call, {"items": items})
        source = call.query if pagination.cursor_in == "query" else self._body(call)
        cursor = source.get(pagination.cursor_param)
        if cursor:
            keys = [str(i.get(key)) for i in items]
            items = items[keys.index(str(cursor)) + 1 :] if str(cursor) in keys else []
        limit = source.get(pagination.limit_param) if pagination.limit_param else None
        size = int(limit) if isinstance(limit, (int, float)) and limit >= 1 else 100
        page = items[:size]
        answer: dict[str, Any] = {pagination.items_field: page}
        if len(items) > size and page:
            answer[pagination.next_cursor_field] = str(page[-1].get(key))
        return self._answer(call, answer)

    def _do_create(self, call: _Call) -> Any:
        template = call.op["collection"]
        coll = self._data["collections"][template]
        values = self._values(template, call.params)
        body = self._body(call)
        key = coll["key"]
        bucket = self._store.bucket(template, values)
        if key and key != "id" and str(body.get(key)) in bucket and "409" in call.op["errors"]:
            raise self._fail(call, 409)
        from ._fake_behaviours import on_create

        return self._answer(call, self._new_item(template, values, on_create(self, call, body)))

    def _do_read(self, call: _Call) -> Any:
        bucket, key = self._item(call, call.op["parents"][-1])
        return self._answer(call, bucket[key])

    def _do_update(self, call: _Call) -> Any:
        bucket, key = self._item(call, call.op["parents"][-1])
        item = bucket[key]
        self._merge(call.op["collection"], item, self._body(call))
        return self._answer(call, item)

    def _do_delete(self, call: _Call) -> Any:
        bucket, key = self._item(call, call.op["parents"][-1])
        return self._answer(call, bucket.pop(key))

    def _merge(self, template: str, item: dict[str, Any], changes: Mapping[str, Any]) -> None:
        schema = self._schemas.resolve(self._data["collections"][template]["schema"])
        props = schema.get("properties") or {}
        for name, value in changes.items():
            if name in props and not self._schemas.resolve(props[name]).get("readOnly"):
                item[name] = copy.deepcopy(value)
        for name in ("timestamp_updated", "updated_at"):
            if name in props:
                item[name] = self._now()

    def _singleton(self, call: _Call, template: str) -> dict[str, Any]:
        key = (template, self._values(template, call.params))
        state = self._store.singletons.get(key)
        if state is None:
            schema = self._data["collections"][template]["schema"]
            state = self._builder.sample(schema)
            if not isinstance(state, dict):
                state = {}
            for name, value in call.params.items():
                if name in (self._schemas.resolve(schema).get("properties") or {}):
                    state[name] = value
            self._store.singletons[key] = state
        return state

    def _do_singleton_read(self, call: _Call) -> Any:
        return self._answer(call, self._singleton(call, call.op["collection"]))

    def _do_singleton_update(self, call: _Call) -> Any:
        state = self._singleton(call, call.op["collection"])
        self._merge(call.op["collection"], state, self._body(call))
        return self._answer(call, state)

    def _do_singleton_delete(self, call: _Call) -> Any:
        template = call.op["collection"]
        state = self._singleton(call, template)
        del self._store.singletons[(template, self._values(template, call.params))]
        return self._answer(call, state)

    def _do_action(self, call: _Call) -> Any:
        op = call.op
        body = self._body(call)
        if "returns_item" in op:
            bucket, key = self._item(call, op["returns_item"])
            from ._fake_behaviours import on_item_action

            on_item_action(self, call, bucket[key])
            return self._answer(call, bucket[key])
        if "returns_singleton" in op:
            return self._answer(call, self._singleton(call, op["returns_singleton"]))
        if "creates" in op:
            template = op["creates"]
            if template == _JOBS:
                return self._answer(call, self._start_job(call, None))
            return self._answer(call, self._new_item(template, (), body))
        return self._answer(call, body)

    # ------------------------------------------------------------------ background jobs

    def _start_job(
        self,
        call: _Call,
        on_success: Callable[[], dict[str, Any]] | None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Store a pending background job; ``on_success`` runs when it succeeds."""
        from ._fake_behaviours import JOB_TYPES

        job_type = JOB_TYPES.get(call.operation_id)
        source = {"status": "pending", "progress": 0, **fields}
        if job_type:
            source["type"] = job_type
        job = self._new_item(_JOBS, (), source)
        fail = self._fail_jobs > 0
        self._fail_jobs -= 1 if fail else 0
        self._jobs[job["id"]] = _Job(fail=fail, on_success=on_success)
        return job

    def _advance_job(self, job: dict[str, Any]) -> None:
        """One poll: pending -> in-progress -> success (or failed)."""
        state = self._jobs.get(str(job.get("id")))
        if state is None or job.get("status") not in ("pending", "in-progress"):
            return
        if job["status"] == "pending":
            job["status"], job["progress"] = "in-progress", 50
        elif state.fail:
            job["status"] = "failed"
        else:
            job["status"], job["progress"] = "success", 100
            if state.on_success is not None:
                data = state.on_success()
                if data:
                    job["data"] = {**(job.get("data") or {}), **data}
        job["updated_at"] = self._now()
