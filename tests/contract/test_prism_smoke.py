"""Smoke tests of the Prism harness itself, on a tiny hand-written OpenAPI 3.1 document.

They pin down the Prism behaviour that tests/_prism.py documents (violation header, auth,
``Prefer``), independently of the repo's generated openapi.yaml.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from _prism import (
    StartPrism,
    assert_no_request_violations,
    assert_request_violation,
    prism_problem,
    request_violations,
    response_violations,
)

pytestmark = pytest.mark.anyio

SMOKE_SPEC = """\
openapi: 3.1.0
info: {title: prism smoke, version: "1.0"}
servers: [{url: "https://api.example.invalid"}]
security: [{bearerAuth: []}]
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
paths:
  /api/v2/items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 100}}
      responses:
        "200":
          description: A page of items.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Item"}}
              examples:
                first: {value: {items: [{id: "a", name: "first"}]}}
                second: {value: {items: [{id: "b", name: "second"}]}}
        "400":
          description: Invalid request.
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
              example: {error: "Bad Request"}
        "401":
          description: Missing or invalid API key.
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
              example: {error: "Unauthorized"}
  /api/v2/things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}}
      responses:
        "200":
          description: The created thing; its example deliberately breaks the schema.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
              example: {id: 1}
"""

AUTH = {"Authorization": "Bearer test-key"}


@pytest.fixture(scope="module")
def smoke_url(start_prism: StartPrism, tmp_path_factory: pytest.TempPathFactory) -> str:
    spec = tmp_path_factory.mktemp("smoke-spec") / "openapi.yaml"
    spec.write_text(SMOKE_SPEC, encoding="utf-8")
    return start_prism(spec)


@pytest.fixture
async def client(smoke_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=smoke_url, trust_env=False, timeout=10) as c:
        yield c


async def test_valid_request_has_no_violations(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/items", params={"limit": 5}, headers=AUTH)
    assert response.status_code == 200
    assert_no_request_violations(response)
    assert request_violations(response) == []
    assert response.json() == {"items": [{"id": "a", "name": "first"}]}


async def test_wrong_query_type_is_a_request_violation(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/items", params={"limit": "many"}, headers=AUTH)
    # The document defines a 400, so Prism answers with it and reports in sl-violations.
    assert response.status_code == 400
    entry = assert_request_violation(response, "query", "limit")
    assert entry["code"] == "type"
    with pytest.raises(AssertionError, match=r"request\.query\.limit"):
        assert_no_request_violations(response)


async def test_invalid_body_without_documented_400_is_found_too(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/v2/things", json={"name": 3}, headers=AUTH)
    # No 400/422 documented: Prism's own 422 problem, violations in the body, no header.
    assert response.status_code == 422
    assert "sl-violations" not in response.headers
    problem = prism_problem(response)
    assert problem is not None
    assert problem["type"].endswith("#UNPROCESSABLE_ENTITY")
    assert_request_violation(response, "body")


async def test_missing_bearer_token_is_a_request_violation(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/items")
    assert response.status_code == 401
    entry = assert_request_violation(response)
    assert entry["code"] == 401
    assert response.json() == {"error": "Unauthorized"}


async def test_lowercase_bearer_scheme_is_rejected(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/items", headers={"Authorization": "bearer test-key"})
    assert response.status_code == 401
    assert request_violations(response)


async def test_prefer_code_and_example(client: httpx.AsyncClient) -> None:
    unauthorized = await client.get("/api/v2/items", headers={**AUTH, "Prefer": "code=401"})
    assert unauthorized.status_code == 401
    assert_no_request_violations(unauthorized)

    second = await client.get("/api/v2/items", headers={**AUTH, "Prefer": "example=second"})
    assert second.status_code == 200
    assert second.json() == {"items": [{"id": "b", "name": "second"}]}

    unknown = await client.get("/api/v2/items", headers={**AUTH, "Prefer": "example=nope"})
    assert unknown.status_code == 404
    with pytest.raises(AssertionError, match="NOT_FOUND"):
        assert_no_request_violations(unknown)


async def test_response_violations_are_not_request_violations(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/v2/things", json={"name": "n"}, headers=AUTH)
    assert response.status_code == 200
    assert_no_request_violations(response)
    assert {tuple(v["location"]) for v in response_violations(response)} >= {
        ("response", "body"),
        ("response", "body", "id"),
    }


async def test_unknown_path_is_reported(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/nowhere", headers=AUTH)
    assert response.status_code == 404
    assert [v["code"] for v in request_violations(response)] == ["NO_PATH_MATCHED_ERROR"]


# --------------------------------------------------------------- helpers, without Prism


def _fake(headers: dict[str, str], body: object = None, status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", "http://127.0.0.1:1/x")
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, headers=headers, content=content, request=request)


def test_request_violations_filters_header_by_side() -> None:
    header = json.dumps(
        [
            {"location": ["request", "query", "a"], "severity": "Error", "code": "type"},
            {"location": ["response", "body"], "severity": "Error", "code": "required"},
        ]
    )
    response = _fake({"sl-violations": header})
    assert [v["location"] for v in request_violations(response)] == [["request", "query", "a"]]
    assert [v["location"] for v in response_violations(response)] == [["response", "body"]]


def test_request_violations_reads_prism_problem_body() -> None:
    problem = {
        "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
        "status": 422,
        "validation": [
            {"location": ["body"], "severity": "Error", "code": "required", "message": "m"},
            {"severity": "Error", "code": "required", "message": "Body parameter is required"},
        ],
    }
    response = _fake({"content-type": "application/problem+json"}, problem, 422)
    assert [v["location"] for v in request_violations(response)] == [
        ["request", "body"],
        ["request"],
    ]


def test_plain_responses_have_no_violations() -> None:
    response = _fake({"content-type": "application/json"}, {"type": "lead"})
    assert request_violations(response) == []
    assert prism_problem(response) is None
    assert_no_request_violations(response)
