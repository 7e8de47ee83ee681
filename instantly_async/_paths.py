"""Path parameters: a value always stays exactly one segment of its operation's path.

httpx removes ``.`` and ``..`` segments when it builds a URL, and servers, proxies and CDNs
go further: they decode percent-escapes (sometimes twice), apply Unicode compatibility
forms, treat ``\\`` like ``/``, cut ``;parameters`` off a segment, and merge empty
segments. A value that turns into ``.``, ``..`` or nothing under any of these could address
another endpoint (``DELETE /api/v2/leads/.`` is ``DELETE /api/v2/leads``, the bulk delete),
so it is refused with an :class:`~instantly_async.InvalidRequestError` (a ``ValueError``)
before anything is sent.

Two checks use the rules below: the generated resource methods check each value they are
given (:func:`check_value`), and the client checks the final path of every request against
its operation's template (:func:`check_path`), so no code path can bypass them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import unquote

from ._exceptions import InvalidRequestError

__all__ = ["check_path", "check_value", "segment_problem"]

# What a percent-encoded segment may hold: unreserved characters and %XX escapes
# (``urllib.parse.quote(value, safe="")`` produces exactly these).
_ENCODED_SEGMENT = re.compile(r"(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+")
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]+")
# Separators some server or proxy treats as ending a segment once the value is decoded.
_SEPARATORS = re.compile(r"[/\\;]")
# Stripped from the ends of a piece before comparing it with "." and "..".
_STRIPPED = "".join(chr(c) for c in range(33)) + "\x7f"
_DOTS = frozenset({"", ".", ".."})
_SHOWN = 60


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "...'"


def segment_problem(text: str) -> str | None:
    """Why ``text`` (a decoded path segment) could address another path, else None."""
    if text in _DOTS:
        return "it is empty or a dot segment"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid Unicode text (lone surrogate)"
    # Decode until nothing changes (each round shortens the text): a server or proxy
    # may decode more than once.
    while "%" in text:
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if any(p.strip(_STRIPPED) in _DOTS for p in _SEPARATORS.split(text)):
        return "once decoded it is empty, a dot segment, or has one after a separator (/ \\ ;)"
    return None


def check_value(method: str, name: str, value: object) -> None:
    """Refuse a path parameter value that would not stay one path segment.

    ``method`` names the facade method (``lead.delete``), ``name`` its parameter.
    """
    if value is None:
        raise InvalidRequestError(f"{method}() needs a value for {name!r}, got None")
    if type(value) is str and value not in _DOTS and _UNRESERVED.fullmatch(value):
        return  # the common case: an id of unreserved characters cannot leave its segment
    problem = segment_problem(value if isinstance(value, str) else str(value))
    if problem is not None:
        raise InvalidRequestError(
            f"{method}(): {name!r} must stay one path segment, and {_shown(value)} would "
            f"not ({problem}); nothing was sent"
        )


@functools.lru_cache(maxsize=512)
def _template(path: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    pattern = ""
    for part in re.split(r"(\{[^{}/]+\})", path):
        if part.startswith("{") and part.endswith("}"):
            names.append(part[1:-1])
            pattern += "([^/]*)"
        else:
            pattern += re.escape(part)
    return re.compile(pattern), tuple(names)


def _facade_name(operation_id: str) -> str:
    from ._generated.namespaces import FACADE_NAMES

    namespace, method = FACADE_NAMES.get(operation_id, ("", operation_id))
    return f"{namespace}.{method}" if namespace else method


def _python_name(name: str) -> str:
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^0-9A-Za-z]+", "_", snake).strip("_").lower()


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@functools.lru_cache(maxsize=512)
def _reserved(method: str, template: str) -> dict[str, frozenset[str]]:
    """Per parameter: the values (lower case) that would spell another operation's path.

    ``GET /api/v2/campaigns/{id}`` with ``id="analytics"`` is ``GET /api/v2/campaigns/analytics``,
    another operation; routers often match case-insensitively, hence the lower case.
    """
    from ._generated.operations import OPERATIONS

    mine = template.split("/")
    found: dict[str, set[str]] = {s[1:-1]: set() for s in mine if _is_param(s)}
    for op in OPERATIONS.values():
        other = op.path.split("/")
        if op.method != method or op.path == template or len(other) != len(mine):
            continue
        for i, segment in enumerate(mine):
            if not _is_param(segment) or _is_param(other[i]):
                continue
            if all(
                j == i or _is_param(a) or _is_param(b) or a.lower() == b.lower()
                for j, (a, b) in enumerate(zip(mine, other, strict=True))
            ):
                found[segment[1:-1]].add(other[i].lower())
    return {name: frozenset(values) for name, values in found.items() if values}


def _decoded(segment: str) -> str:
    text = segment
    while "%" in text:
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return unicodedata.normalize("NFKC", text).strip(_STRIPPED).lower()


# A parameter segment the checks below always accept: unreserved characters only, and not a
# dot segment (the values that spell another operation's path are excluded per template).
_PLAIN_SEGMENT = r"(?!\.\.?(?:/|$)){reserved}[A-Za-z0-9\-._~]+"


@functools.lru_cache(maxsize=512)
def _plain(method: str, template: str) -> re.Pattern[str] | None:
    """``template`` as a regex that matches the paths :func:`check_path` accepts without
    looking further: every parameter a plain segment, none spelling another operation.
    None when a parameter is not a whole segment (those paths take the full check)."""
    reserved = _reserved(method, template)
    segments = template.split("/")
    if any("{" in s and not (_is_param(s) and s.count("{") == 1) for s in segments):
        return None
    pattern = []
    for segment in segments:
        if _is_param(segment):
            words = sorted(reserved.get(segment[1:-1], ()))
            taken = "(?!(?i:" + "|".join(map(re.escape, words)) + ")(?:/|$))" if words else ""
            pattern.append(_PLAIN_SEGMENT.format(reserved=taken))
        else:
            pattern.append(re.escape(segment))
    return re.compile("/".join(pattern))


def check_path(operation_id: str, method: str, template: str, path: str) -> None:
    """Refuse ``path`` unless it is ``template`` with each parameter one encoded segment
    that spells no other operation's path."""
    if path == template:  # no parameters (a "{" in a value is always percent-encoded)
        return
    fast = _plain(method, template)
    if fast is not None and fast.fullmatch(path):
        return  # the common case, in one match
    regex, names = _template(template)
    match = regex.fullmatch(path)
    if match is None:
        raise InvalidRequestError(
            f"{_facade_name(operation_id)}(): request path {_shown(path)} does not match the "
            f"operation's path {template!r}; nothing was sent"
        )
    reserved = _reserved(method, template) if names else {}
    for name, segment in zip(names, match.groups(), strict=True):
        plain = "%" not in segment and segment not in _DOTS
        if plain and _ENCODED_SEGMENT.fullmatch(segment):
            problem = None  # the common case: unreserved characters only, not a dot segment
        elif _ENCODED_SEGMENT.fullmatch(segment):
            problem = segment_problem(unquote(segment))
        else:
            problem = "it is not percent-encoded" if segment else "it is empty"
        if problem is None and name in reserved and _decoded(segment) in reserved[name]:
            problem = f"it spells the path of another {method} operation"
        if problem is not None:
            raise InvalidRequestError(
                f"{_facade_name(operation_id)}(): {_python_name(name)!r} must stay one path "
                f"segment of {template!r}, and {_shown(unquote(segment))} would not "
                f"({problem}); nothing was sent"
            )
