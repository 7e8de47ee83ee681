"""AsyncInstantly._call: parsing 2xx responses, and bodies that do not parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from _core_support import Server, get_request, harness, make_op

from instantly_async import APIResponseValidationError

GET_LEAD = make_op("getLead", "GET", "/api/v2/leads/{id}")


@dataclass
class Lead:
    id: str
    email: str

    @classmethod
    def from_dict(cls, data: Any) -> Lead:
        data = dict(data)
        return cls(id=data["id"], email=data["email"].lower())


def parse_lead(response: httpx.Response) -> Lead:
    return Lead.from_dict(response.json())


@pytest.mark.anyio
async def test_call_parses_a_2xx_response() -> None:
    server = Server(httpx.Response(200, json={"id": "abc", "email": "A@B.C"}))
    async with harness(server) as h:
        lead = await h.client._call(GET_LEAD, get_request(), parse_lead)
    assert lead == Lead("abc", "a@b.c")


@pytest.mark.parametrize(
    ("response", "cause"),
    [
        (httpx.Response(200, html="<html><body>Maintenance</body></html>"), ValueError),
        (httpx.Response(200, text="OK"), ValueError),
        (httpx.Response(200, content=b""), ValueError),
        (httpx.Response(200, json=[1, 2, 3]), TypeError),  # dict() of a list
        (httpx.Response(200, json="a string"), ValueError),
        (httpx.Response(200, json={"id": "abc"}), KeyError),
        (httpx.Response(200, json={"id": "abc", "email": 5}), AttributeError),
        (httpx.Response(200, content=b"null"), TypeError),
        (httpx.Response(200, content=b"\xff\xfe{"), ValueError),
    ],
    ids=["html", "text", "empty", "list", "string", "missing", "wrong-type", "null", "bytes"],
)
@pytest.mark.anyio
async def test_unparseable_body_is_a_validation_error(
    response: httpx.Response, cause: type[Exception]
) -> None:
    async with harness(Server(response)) as h:
        with pytest.raises(APIResponseValidationError) as caught:
            await h.client._call(GET_LEAD, get_request(), parse_lead)
    error = caught.value
    assert isinstance(error.__cause__, cause)
    assert error.body == response.text
    assert error.status_code == 200
    assert error.response is not None
    assert (error.operation_id, error.method) == ("getLead", "GET")
    assert error.url == "https://api.instantly.ai/api/v2/leads/abc"
    assert str(error).startswith("getLead (GET /api/v2/leads/{id}) returned 200")
    assert repr(response.text[:20])[1:-1] in str(error)


@pytest.mark.anyio
async def test_long_bodies_are_cut_in_the_message_only() -> None:
    html = "<html>" + "x" * 5000 + "</html>"
    async with harness(Server(httpx.Response(200, html=html))) as h:
        with pytest.raises(APIResponseValidationError) as caught:
            await h.client._call(GET_LEAD, get_request(), parse_lead)
    assert caught.value.body == html
    assert len(str(caught.value)) < 500
    assert "text/html" in str(caught.value)


def no_data(response: httpx.Response) -> Lead | None:
    return None


@pytest.mark.anyio
async def test_parser_returning_none_is_a_validation_error_unless_allowed() -> None:
    server = Server(httpx.Response(200, json={"unexpected": True}))
    async with harness(server) as h:
        with pytest.raises(APIResponseValidationError, match="no data"):
            await h.client._call(GET_LEAD, get_request(), no_data)
        nothing: object = await h.client._call(GET_LEAD, get_request(), no_data, allow_none=True)
        assert nothing is None


@pytest.mark.anyio
async def test_any_parser_error_is_a_validation_error_with_its_cause() -> None:
    def broken(response: httpx.Response) -> Lead:
        raise RuntimeError("bug in the parser")

    async with harness(Server(httpx.Response(200, json={}))) as h:
        with pytest.raises(APIResponseValidationError, match="bug in the parser") as caught:
            await h.client._call(GET_LEAD, get_request(), broken)
    assert isinstance(caught.value.__cause__, RuntimeError)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "kind"), [(b'[{"id": "a"}]', "array"), (b'"done"', "string"), (b"null", "null")]
)
async def test_a_body_of_another_kind_is_named_in_the_message(body: bytes, kind: str) -> None:
    from instantly_async import AsyncInstantly

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with AsyncInstantly(
        api_key="k", http_client=httpx.AsyncClient(transport=transport), max_retries=0
    ) as client:
        with pytest.raises(APIResponseValidationError) as caught:
            await client.workspace_member.get("m1")
    assert f"the body is a JSON {kind};" in str(caught.value)
    assert caught.value.operation_id == "getWorkspaceMember"
