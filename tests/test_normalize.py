"""scripts/normalize.py: one test per normalization rule, on small hand-written documents.

The documents are built here (never the shared upstream snapshots), shaped like the parts of
Instantly's document each rule exists for.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
from codegen import normalize  # noqa: E402
from codegen.normalize import NormalizeError  # noqa: E402

JSON = "application/json"
SCHEMAS = "#/components/schemas/"

# --------------------------------------------------------------------------- builders


def error_body(status: int, error: str, message: str = "Something went wrong") -> dict[str, Any]:
    """An upstream inline error body: `{"statusCode": 401, "error": "Unauthorized", ...}`."""
    return {
        "type": "object",
        "properties": {
            "statusCode": {"type": "number", "enum": [status], "example": status},
            "error": {"type": "string", "enum": [error], "example": error},
            "message": {"type": "string", "example": message},
        },
        "required": ["statusCode", "error", "message"],
    }


def response(schema: dict[str, Any] | None = None, text: str = "Prose") -> dict[str, Any]:
    resp: dict[str, Any] = {"description": text}
    if schema is not None:
        resp["content"] = {JSON: {"schema": schema}}
    return resp


def op(
    operation_id: str,
    *,
    ok: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
    params: list[dict[str, Any]] | None = None,
    description: str = "Does a thing.",
    tag: str = "Lead",
    errors: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An upstream operation answering 200 with ``ok`` (an empty object by default)."""
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": f"Summary of {operation_id}",
        "description": description,
        "tags": [tag],
        "responses": {"200": response(ok if ok is not None else {"type": "object"})},
    }
    if params:
        operation["parameters"] = params
    if body is not None:
        operation["requestBody"] = {"content": {JSON: {"schema": body}}}
    for status, schema in (errors or {}).items():
        operation["responses"][status] = response(schema, text=f"Error prose {status}")
    return operation


def document(
    paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "API Explorer", "description": "Info prose", "version": "2.0.0"},
        "tags": [{"name": "Lead", "description": "Tag prose"}],
        "components": {
            "securitySchemes": {
                "ApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "Auth prose"}
            },
            "schemas": schemas or {},
        },
        "security": [{"ApiKeyAuth": []}],
        "paths": paths,
    }


def one_op(operation: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return document({"/api/v2/things": {"post": operation}}, schemas)


def out_op(out: dict[str, Any], path: str = "/api/v2/things", method: str = "post") -> Any:
    return out["paths"][path][method]


def body_schema(out: dict[str, Any], path: str = "/api/v2/things") -> Any:
    return out_op(out, path)["requestBody"]["content"][JSON]["schema"]


def ok_schema(out: dict[str, Any], path: str = "/api/v2/things", method: str = "post") -> Any:
    return out_op(out, path, method)["responses"]["200"]["content"][JSON]["schema"]


def prop(schema: dict[str, Any], **props: Any) -> dict[str, Any]:
    """An object schema with the given properties."""
    return {"type": "object", "properties": props, **schema}


def fails(doc: dict[str, Any]) -> NormalizeError:
    with pytest.raises(NormalizeError) as info:
        normalize.normalize(doc)
    return info.value


def walk(value: Any, ptr: str = "") -> list[tuple[str, Any]]:
    """Every (pointer, value) in a JSON-like tree."""
    found = [(ptr, value)]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += walk(sub, f"{ptr}/{key}")
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            found += walk(sub, f"{ptr}/{i}")
    return found


LEAD = prop({"title": "Lead"}, id={"type": "string"}, email={"type": "string"})

# --------------------------------------------------------------------------- loading


def test_bom_input(tmp_path: Path) -> None:
    doc = one_op(op("createThing"))
    raw = b"\xef\xbb\xbf" + json.dumps(doc).encode()
    src = tmp_path / "upstream.json"
    src.write_bytes(raw)

    loaded, got_raw = normalize.load_source(str(src))
    assert loaded == doc
    assert got_raw == raw
    out = normalize.normalize(loaded, got_raw)
    assert out["info"]["x-upstream-sha256"] == hashlib.sha256(raw).hexdigest()
    assert out_op(out)["operationId"] == "createThing"

    dest = tmp_path / "openapi.yaml"
    normalize.normalize_file(str(src), dest)
    assert yaml.safe_load(dest.read_text(encoding="utf-8"))["paths"]["/api/v2/things"]


def test_yaml_input(tmp_path: Path) -> None:
    doc = one_op(op("createThing", body=prop({}, name={"type": "string"})))
    src = tmp_path / "upstream.yaml"
    src.write_text(yaml.safe_dump(doc), encoding="utf-8")

    loaded, raw = normalize.load_source(str(src))
    assert loaded == doc
    assert raw == src.read_bytes()
    assert normalize.normalize(loaded) == normalize.normalize(copy.deepcopy(doc))
    assert body_schema(normalize.normalize(loaded))["properties"]["name"] == {"type": "string"}


def test_not_an_openapi_document(tmp_path: Path) -> None:
    src = tmp_path / "list.json"
    src.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(NormalizeError, match="not an OpenAPI document"):
        normalize.load_source(str(src))


# --------------------------------------------------------------------------- names


def test_def_n_schemas_take_their_titles_and_refs_follow() -> None:
    report = prop(
        {"title": "Inbox Placement Blacklist & SpamAssassin Report"},
        lead={"$ref": f"{SCHEMAS}def-0"},
        leads={"type": "array", "items": {"$ref": f"{SCHEMAS}def-0"}},
        either={"anyOf": [{"$ref": f"{SCHEMAS}def-0"}, {"type": "null"}]},
    )
    doc = document(
        {
            "/api/v2/leads/{id}": {
                "get": op("getLead", ok={"$ref": f"{SCHEMAS}def-0"}),
                "post": op("reportLead", ok={"$ref": f"{SCHEMAS}def-1"}),
            }
        },
        {"def-0": LEAD, "def-1": report},
    )
    out = normalize.normalize(doc)

    schemas = out["components"]["schemas"]
    assert list(schemas) == ["Lead", "InboxPlacementBlacklistAndSpamAssassinReport"]
    assert ok_schema(out, "/api/v2/leads/{id}", "get") == {"$ref": f"{SCHEMAS}Lead"}
    assert ok_schema(out, "/api/v2/leads/{id}") == {
        "$ref": f"{SCHEMAS}InboxPlacementBlacklistAndSpamAssassinReport"
    }
    props = schemas["InboxPlacementBlacklistAndSpamAssassinReport"]["properties"]
    assert props["lead"] == {"$ref": f"{SCHEMAS}Lead"}
    assert props["leads"]["items"] == {"$ref": f"{SCHEMAS}Lead"}
    assert props["either"]["anyOf"][0] == {"$ref": f"{SCHEMAS}Lead"}
    assert "def-" not in normalize.dump_yaml(out)


def test_titled_names_with_ampersand_become_identifiers() -> None:
    doc = document(
        {"/api/v2/reports": {"get": op("getReport", ok={"$ref": f"{SCHEMAS}Blacklist & Report"})}},
        {"Blacklist & Report": prop({}, ok={"type": "boolean"})},
    )
    out = normalize.normalize(doc)
    assert list(out["components"]["schemas"]) == ["BlacklistAndReport"]
    assert ok_schema(out, "/api/v2/reports", "get") == {"$ref": f"{SCHEMAS}BlacklistAndReport"}


def test_tags_with_ampersand_become_identifiers() -> None:
    doc = one_op(op("getReport", tag="Inbox Placement Blacklist & SpamAssassin Report"))
    out = normalize.normalize(doc)
    assert out_op(out)["tags"] == ["InboxPlacementBlacklistAndSpamAssassinReport"]
    assert {"name": "InboxPlacementBlacklistAndSpamAssassinReport"} in out["tags"]


def test_inline_titles_do_not_name_classes() -> None:
    doc = one_op(op("createThing", body=prop({"title": "CreateThing"}, a={"type": "string"})))
    schema = body_schema(normalize.normalize(doc))
    assert "title" not in schema
    assert schema["x-title"] == "CreateThing"


# --------------------------------------------------------------------------- shapes


def test_arrays_without_items_hold_anything() -> None:
    ok = prop(
        {},
        tags={"type": "array"},
        maybe={"type": ["array", "null"]},
        implied={"items": {"type": "string"}},
    )
    props = ok_schema(normalize.normalize(one_op(op("listThings", ok=ok))))["properties"]
    assert props["tags"] == {"type": "array", "items": {}}
    assert props["maybe"] == {"type": ["array", "null"], "items": {}}
    assert props["implied"] == {"items": {"type": "string"}, "type": "array"}


def test_enum_mixing_booleans_and_a_string_splits_by_type() -> None:
    """EmailVerification's `[true, false, "pending"]`: an anyOf of a boolean and a string."""
    ok = prop({}, verified={"type": "boolean", "enum": [True, False, "pending"], "readOnly": True})
    verified = ok_schema(normalize.normalize(one_op(op("verify", ok=ok))))["properties"]["verified"]
    assert verified == {
        "anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["pending"]}],
        "readOnly": True,
    }


def test_enum_mixing_strings_and_numbers_splits_by_type() -> None:
    ok = prop(
        {},
        kind={
            "type": "number",
            "enum": ["CAMPAIGN", "LIST", 1, 2],
            "x-enumDescriptions": {"CAMPAIGN": "Campaign", "LIST": "List", "1": "One", "2": "Two"},
        },
    )
    kind = ok_schema(normalize.normalize(one_op(op("getKind", ok=ok))))["properties"]["kind"]
    assert kind == {
        "anyOf": [
            {"type": "number", "enum": [1, 2], "x-enumDescriptions": {"1": "One", "2": "Two"}},
            {
                "type": "string",
                "enum": ["CAMPAIGN", "LIST"],
                "x-enumDescriptions": {"CAMPAIGN": "Campaign", "LIST": "List"},
            },
        ]
    }


def test_enum_types_are_inferred_and_null_folds_into_the_type() -> None:
    ok = prop({}, status={"enum": ["a", "b", None]})
    status = ok_schema(normalize.normalize(one_op(op("getStatus", ok=ok))))["properties"]["status"]
    assert status == {"enum": ["a", "b", None], "type": ["null", "string"]}


def test_type_arrays_with_several_non_null_types_become_anyof() -> None:
    ok = prop(
        {},
        value={
            "type": ["string", "number", "boolean", "null"],
            "minLength": 1,
            "minimum": 0,
            "title": "Value",
            "example": "x",
        },
        nullable={"type": ["null", "string"], "format": "date-time"},
    )
    props = ok_schema(normalize.normalize(one_op(op("getValue", ok=ok))))["properties"]
    assert props["value"] == {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "number", "minimum": 0},
            {"type": "boolean"},
            {"type": "null"},
        ],
        "x-title": "Value",
        "example": "x",
    }
    # one non-null type stays a type array (the generator understands it)
    assert props["nullable"] == {"type": ["null", "string"], "format": "date-time"}


def test_const_on_a_schema_with_several_types_keeps_its_own_type() -> None:
    ok = prop({}, fixed={"type": ["string", "number"], "const": 3})
    fixed = ok_schema(normalize.normalize(one_op(op("getFixed", ok=ok))))["properties"]["fixed"]
    assert fixed == {"type": "number", "const": 3}


# --------------------------------------------------------------------------- validation only


def test_anyof_of_required_branches_moves_to_x_validation() -> None:
    """`DELETE /api/v2/leads`: campaign_id or list_id (the generator wrote invalid Python)."""
    body = prop(
        {"anyOf": [{"required": ["campaign_id"]}, {"required": ["list_id"]}]},
        campaign_id={"type": "string", "description": "Prose"},
        list_id={"type": "string"},
    )
    schema = body_schema(normalize.normalize(one_op(op("deleteLeads", body=body))))
    assert "anyOf" not in schema
    assert schema["x-validation"] == {
        "anyOf": [{"required": ["campaign_id"]}, {"required": ["list_id"]}]
    }
    assert schema["properties"] == {
        "campaign_id": {"type": "string"},
        "list_id": {"type": "string"},
    }


def test_oneof_refining_declared_properties_moves_to_x_validation() -> None:
    body = prop(
        {
            "oneOf": [
                {"required": ["body"], "properties": {"body": {"required": ["html"]}}},
                {"required": ["template_id"]},
            ]
        },
        body=prop({}, html={"type": "string"}),
        template_id={"type": "string"},
    )
    schema = body_schema(normalize.normalize(one_op(op("forwardEmail", body=body))))
    assert "oneOf" not in schema
    assert schema["x-validation"]["oneOf"][1] == {"required": ["template_id"]}


def test_if_then_else_moves_to_x_validation() -> None:
    body = prop(
        {
            "if": {"properties": {"category": {"enum": [0]}}, "required": ["category"]},
            "then": {"required": ["options"], "description": "Prose"},
            "else": {"required": ["instruction"]},
        },
        category={"type": "number"},
        options={"type": "array", "items": {"type": "string"}},
        instruction={"type": "string"},
    )
    schema = body_schema(normalize.normalize(one_op(op("createGuidance", body=body))))
    assert schema["x-validation"] == {
        "if": {"properties": {"category": {"enum": [0]}}, "required": ["category"]},
        "then": {"required": ["options"]},
        "else": {"required": ["instruction"]},
    }
    assert not {"if", "then", "else"} & set(schema)


def test_not_and_allof_of_nots_move_to_x_validation() -> None:
    body = prop(
        {"allOf": [{"not": {"required": ["a", "b"]}}, {"not": {"required": ["c", "d"]}}]},
        a={"type": "string"},
        b={"type": "string"},
        c={"type": "string", "not": {"enum": [""]}},
        d={"type": "string"},
    )
    schema = body_schema(normalize.normalize(one_op(op("findLeads", body=body))))
    assert schema["x-validation"] == {
        "allOf": [{"not": {"required": ["a", "b"]}}, {"not": {"required": ["c", "d"]}}]
    }
    assert "allOf" not in schema
    assert schema["properties"]["c"] == {"type": "string", "x-validation": {"not": {"enum": [""]}}}


def test_contains_moves_to_x_validation() -> None:
    variants = {
        "type": "array",
        "items": prop({}, v_disabled={"type": "boolean"}),
        "minItems": 1,
        "contains": {"type": "object", "not": {"required": ["v_disabled"]}},
    }
    ok = prop({}, variants=variants)
    got = ok_schema(normalize.normalize(one_op(op("getSequence", ok=ok))))["properties"]["variants"]
    assert "contains" not in got
    assert got["x-validation"] == {
        "contains": {"type": "object", "not": {"required": ["v_disabled"]}}
    }
    assert got["items"]["properties"] == {"v_disabled": {"type": "boolean"}}


def test_real_unions_stay() -> None:
    payload = {
        "anyOf": [
            prop({"required": ["campaign_id"]}, campaign_id={"type": "string"}),
            prop({}, url={"type": "string"}),
            {"$ref": f"{SCHEMAS}def-0"},
        ]
    }
    out = normalize.normalize(
        one_op(op("getPayload", ok=prop({}, payload=payload)), {"def-0": LEAD})
    )
    got = ok_schema(out)["properties"]["payload"]
    assert "x-validation" not in got
    assert len(got["anyOf"]) == 3
    assert got["anyOf"][2] == {"$ref": f"{SCHEMAS}Lead"}


def test_branches_with_undeclared_properties_are_a_real_union() -> None:
    """Plain properties the parent does not declare are new shape, not a refinement."""
    body = prop(
        {
            "anyOf": [
                {"properties": {"url": {"type": "string"}}, "required": ["url"]},
                {"properties": {"file_id": {"type": "string"}}, "required": ["file_id"]},
            ]
        },
        name={"type": "string"},
    )
    schema = body_schema(normalize.normalize(one_op(op("uploadThing", body=body))))
    assert "x-validation" not in schema
    assert [set(b["properties"]) for b in schema["anyOf"]] == [{"url"}, {"file_id"}]


def test_a_union_mixing_shapes_and_validation_only_branches_fails() -> None:
    body = prop({"anyOf": [{"type": "string"}, {"required": ["a"]}]}, a={"type": "string"})
    error = fails(one_op(op("createThing", body=body)))
    assert error.pointer == (
        "/paths/~1api~1v2~1things/post/requestBody/content/application~1json/schema/anyOf/1"
    )


def test_x_validation_keeps_a_property_named_description_and_renames_refs() -> None:
    body = prop(
        {
            "anyOf": [
                {"required": ["description"], "description": "Prose"},
                {"required": ["lead"], "properties": {"lead": {"$ref": f"{SCHEMAS}def-0"}}},
            ]
        },
        description={"type": "string"},
        lead={"$ref": f"{SCHEMAS}def-0"},
    )
    schema = body_schema(normalize.normalize(one_op(op("createThing", body=body), {"def-0": LEAD})))
    assert schema["x-validation"] == {
        "anyOf": [
            {"required": ["description"]},
            {"required": ["lead"], "properties": {"lead": {"$ref": f"{SCHEMAS}Lead"}}},
        ]
    }


# --------------------------------------------------------------------------- request bodies


def test_type_null_request_body_is_removed() -> None:
    doc = document(
        {
            "/api/v2/things/{id}/pause": {"post": op("pauseThing", body={"type": "null"})},
            "/api/v2/things": {"post": op("createThing", body=prop({}, a={"type": "string"}))},
        }
    )
    out = normalize.normalize(doc)
    assert "requestBody" not in out_op(out, "/api/v2/things/{id}/pause")
    assert body_schema(out)["properties"] == {"a": {"type": "string"}}


def test_one_value_enums_become_const_on_the_request_side_only() -> None:
    body = prop(
        {}, kind={"type": "string", "enum": ["lead"]}, any={"type": "string", "enum": ["a", "b"]}
    )
    param = {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["fast"]}}
    ok = prop({}, kind={"type": "string", "enum": ["lead"]})
    out = normalize.normalize(one_op(op("createThing", body=body, params=[param], ok=ok)))
    props = body_schema(out)["properties"]
    assert props["kind"] == {"type": "string", "const": "lead"}
    assert props["any"] == {"type": "string", "enum": ["a", "b"]}
    assert out_op(out)["parameters"][0]["schema"] == {"type": "string", "const": "fast"}
    # responses keep their enums: upstream adds values to them over time
    assert ok_schema(out)["properties"]["kind"] == {"type": "string", "enum": ["lead"]}


# --------------------------------------------------------------------------- error bodies


def test_identical_error_bodies_are_hoisted_and_unique_ones_stay_inline() -> None:
    unauthorized_a = error_body(401, "Unauthorized", "Missing Authorization header")
    unauthorized_b = error_body(401, "Unauthorized", "Invalid API key")  # other example only
    not_found = error_body(404, "Not Found")
    doc = document(
        {
            "/api/v2/leads": {"get": op("listLeads", errors={"401": unauthorized_a})},
            "/api/v2/leads/{id}": {
                "get": op("getLead", errors={"401": unauthorized_b, "404": not_found})
            },
        }
    )
    out = normalize.normalize(doc)

    ref = {"$ref": f"{SCHEMAS}UnauthorizedError"}
    list_leads = out_op(out, "/api/v2/leads", "get")["responses"]
    get_lead = out_op(out, "/api/v2/leads/{id}", "get")["responses"]
    assert list_leads["401"]["content"][JSON]["schema"] == ref
    assert get_lead["401"]["content"][JSON]["schema"] == ref
    assert list(out["components"]["schemas"]) == ["UnauthorizedError"]
    shared = out["components"]["schemas"]["UnauthorizedError"]["properties"]
    assert shared["statusCode"] == {"type": "number", "const": 401, "example": 401}
    assert shared["error"] == {"type": "string", "const": "Unauthorized", "example": "Unauthorized"}
    # a body used once stays inline, with its enums
    inline = get_lead["404"]["content"][JSON]["schema"]
    assert inline["properties"]["error"]["enum"] == ["Not Found"]
    assert get_lead["404"]["description"] == "Not Found"


def test_error_bodies_differing_in_a_property_named_example_stay_apart() -> None:
    first = error_body(400, "Bad Request")
    first["properties"]["example"] = {"type": "string"}
    second = error_body(400, "Bad Request")
    second["properties"]["example"] = {"type": "number"}
    doc = document(
        {
            "/a": {
                "get": op("getA", errors={"400": first}),
                "put": op("putA", errors={"400": first}),
            },
            "/b": {
                "get": op("getB", errors={"400": second}),
                "put": op("putB", errors={"400": second}),
            },
        }
    )
    schemas = normalize.normalize(doc)["components"]["schemas"]
    assert sorted(schemas) == ["BadRequestError", "BadRequestError2"]


def test_hoisted_error_names_do_not_clash_with_upstream_schemas() -> None:
    body = error_body(429, "Too Many Requests")
    doc = document(
        {"/a": {"get": op("getA", errors={"429": body}), "put": op("putA", errors={"429": body})}},
        {"TooManyRequestsError": prop({}, other={"type": "string"})},
    )
    schemas = normalize.normalize(doc)["components"]["schemas"]
    assert list(schemas) == ["TooManyRequestsError", "TooManyRequestsError2"]


# --------------------------------------------------------------------------- prose -> facts

SCOPES_PROSE = (
    "Lists leads.\n\nRequires one of the following scopes: "
    "`leads:read`, `leads:all`, `all:read`, `all:all`"
)
GROUPS_PROSE = (
    "Pauses accounts.\n\n\nRequires all of the following scope groups:\n"
    "- One of `ai_agents:update`, `ai_agents:all`, `all:update`, `all:all`\n"
    "- One of `accounts:update`, `accounts:all`, `all:update`, `all:all`"
)


def test_required_scopes_are_parsed() -> None:
    doc = document(
        {
            "/a": {"get": op("getA", description=SCOPES_PROSE)},
            "/b": {"get": op("getB", description="No scopes stated.")},
        }
    )
    out = normalize.normalize(doc)
    assert out_op(out, "/a", "get")["x-required-scopes"] == [
        "leads:read",
        "leads:all",
        "all:read",
        "all:all",
    ]
    assert "x-required-scopes" not in out_op(out, "/b", "get")
    assert "x-required-scope-groups" not in out_op(out, "/a", "get")


def test_required_scope_groups_are_parsed() -> None:
    out = out_op(normalize.normalize(one_op(op("pauseAccounts", description=GROUPS_PROSE))))
    assert out["x-required-scope-groups"] == [
        ["ai_agents:update", "ai_agents:all", "all:update", "all:all"],
        ["accounts:update", "accounts:all", "all:update", "all:all"],
    ]
    # scopes that are enough on their own: those in every group
    assert out["x-required-scopes"] == ["all:update", "all:all"]


def test_a_scope_statement_repeated_shortened_counts_once() -> None:
    """`POST /api/v2/email-verification` states its scopes twice, first only one of them."""
    prose = "Verifies.\n\nRequires one of the following scopes: `ev:create`\n\n\n" + (
        "Requires one of the following scopes: `ev:create`, `ev:all`, `all:create`, `all:all`"
    )
    out = out_op(normalize.normalize(one_op(op("verifyEmail", description=prose))))
    assert out["x-required-scopes"] == ["ev:create", "ev:all", "all:create", "all:all"]


def test_scope_statements_that_disagree_fail() -> None:
    prose = (
        "Requires one of the following scopes: `a:read`\n"
        "Requires one of the following scopes: `b:read`, `all:all`"
    )
    error = fails(one_op(op("getA", description=prose)))
    assert error.pointer == "/paths/~1api~1v2~1things/post/description"
    assert "disagree" in str(error)


def test_scope_prose_in_an_unknown_form_fails() -> None:
    prose = "Requires the `leads:read` scope."
    error = fails(one_op(op("getA", description=prose)))
    assert error.pointer == "/paths/~1api~1v2~1things/post/description"


@pytest.mark.parametrize(
    ("prose", "limits"),
    [
        (
            "**Rate Limit:** This endpoint has a rate limit of 20 requests per minute, unlike others",
            [{"requests": 20, "seconds": 60}],
        ),
        (
            "This request has a rate limit of 30 request per minute, or 900 requests per hour",
            [{"requests": 30, "seconds": 60}, {"requests": 900, "seconds": 3600}],
        ),
        (
            "Rate limit: 500 requests per 30 days per workspace",
            [{"requests": 500, "seconds": 30 * 86400, "per": "workspace"}],
        ),
        (
            "- 75 requests per minute per workspace\n- 150 requests per minute per IP",
            [
                {"requests": 75, "seconds": 60, "per": "workspace"},
                {"requests": 150, "seconds": 60, "per": "ip"},
            ],
        ),
        ("The number of emails sent per day, at most 30 per day", []),
        ("It will return a maximum number of 66 suggestions per extension (tld) requested", []),
    ],
)
def test_rate_limits_are_parsed(prose: str, limits: list[dict[str, Any]]) -> None:
    assert normalize.parse_rate_limits(prose) == limits
    out = out_op(normalize.normalize(one_op(op("getA", description=prose))))
    assert out.get("x-rate-limits", []) == limits


# --------------------------------------------------------------------------- pagination

LIST_RESPONSE = prop(
    {},
    items={"type": "array", "items": {"$ref": f"{SCHEMAS}def-0"}},
    next_starting_after={"type": "string"},
)


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": "Prose"}


def test_query_cursor_pagination() -> None:
    params = [query("limit", {"type": "integer"}), query("starting_after", {"type": "string"})]
    doc = document(
        {"/api/v2/accounts": {"get": op("listAccounts", params=params, ok=LIST_RESPONSE)}},
        {"def-0": LEAD},
    )
    out = out_op(normalize.normalize(doc), "/api/v2/accounts", "get")
    assert out["x-pagination"] == {
        "cursor_param": "starting_after",
        "cursor_in": "query",
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
        "limit_param": "limit",
    }


def test_body_cursor_pagination_through_a_ref() -> None:
    """`POST /api/v2/leads/list`: the cursor and the limit are in the JSON body."""
    body = prop({}, limit={"type": "integer"}, starting_after={"type": "string"})
    doc = document(
        {
            "/api/v2/leads/list": {
                "post": op("listLeads", body=body, ok={"$ref": f"{SCHEMAS}def-1"})
            }
        },
        {"def-0": LEAD, "def-1": {**LIST_RESPONSE, "title": "Lead List Page"}},
    )
    out = out_op(normalize.normalize(doc), "/api/v2/leads/list")
    assert out["x-pagination"] == {
        "cursor_param": "starting_after",
        "cursor_in": "body",
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
        "limit_param": "limit",
    }


def test_nullable_items_still_paginate() -> None:
    ok = prop(
        {}, items={"type": ["null", "array"], "items": {}}, next_starting_after={"type": "string"}
    )
    params = [query("starting_after", {"type": "string"})]
    out = out_op(normalize.normalize(one_op(op("listThings", params=params, ok=ok))))
    assert out["x-pagination"]["cursor_in"] == "query"
    assert "limit_param" not in out["x-pagination"]


def test_no_pagination_without_next_starting_after() -> None:
    ok = prop({}, items={"type": "array", "items": {}})
    params = [query("limit", {"type": "integer"}), query("starting_after", {"type": "string"})]
    out = out_op(normalize.normalize(one_op(op("listThings", params=params, ok=ok))))
    assert "x-pagination" not in out


def test_no_pagination_without_a_cursor_parameter() -> None:
    params = [query("limit", {"type": "integer"})]
    doc = document(
        {"/api/v2/things": {"get": op("listThings", params=params, ok=LIST_RESPONSE)}},
        {"def-0": LEAD},
    )
    assert "x-pagination" not in out_op(normalize.normalize(doc), "/api/v2/things", "get")


# --------------------------------------------------------------------------- prose is dropped


def test_descriptions_are_dropped_but_a_property_named_description_is_kept() -> None:
    tag = prop(
        {"title": "Custom Tag", "description": "Schema prose"},
        description={"type": "string", "description": "Property prose"},
        label={"type": "string", "description": "Property prose 2"},
    )
    body = prop(
        {"description": "Body prose", "required": ["description"]},
        description={"type": ["string", "null"], "description": "Body property prose"},
    )
    operation = op(
        "createTag",
        body=body,
        ok={"$ref": f"{SCHEMAS}def-0"},
        params=[query("dry_run", {"type": "boolean", "description": "Schema prose 2"})],
        description="Operation prose",
        errors={"404": error_body(404, "Not Found")},
    )
    operation["requestBody"]["description"] = "Request body prose"
    out = normalize.normalize(one_op(operation, {"def-0": tag}))

    prose = {
        "Info prose",
        "Tag prose",
        "Auth prose",
        "Schema prose",
        "Schema prose 2",
        "Property prose",
        "Property prose 2",
        "Body prose",
        "Body property prose",
        "Operation prose",
        "Request body prose",
        "Prose",
        "Error prose 404",
    }
    text = normalize.dump_yaml(out)
    assert not [p for p in prose if p in text]
    for ptr, value in walk(out):
        if ptr.endswith("/description"):
            # only the HTTP reason phrase of a response, or a property named description
            assert "/responses/" in ptr or "/properties/description" in ptr, ptr
            if "/responses/" in ptr and not ptr.endswith("/properties/description"):
                assert value in ("OK", "Not Found"), ptr
    schema = out["components"]["schemas"]["CustomTag"]
    assert schema["properties"]["description"] == {"type": "string"}
    assert body_schema(out)["properties"] == {"description": {"type": ["string", "null"]}}
    assert body_schema(out)["required"] == ["description"]


# --------------------------------------------------------------------------- determinism


def big_document() -> dict[str, Any]:
    body = error_body(401, "Unauthorized")
    params = [query("limit", {"type": "integer"}), query("starting_after", {"type": "string"})]
    return document(
        {
            "/api/v2/leads": {
                "get": op(
                    "listLeads",
                    params=params,
                    ok=LIST_RESPONSE,
                    description=SCOPES_PROSE + "\n\n20 requests per minute",
                    errors={"401": body, "404": error_body(404, "Not Found")},
                ),
                "delete": op(
                    "deleteLeads",
                    body=prop(
                        {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
                        a={"type": "string"},
                        b={"enum": [True, False, "pending"]},
                    ),
                    errors={"401": body, "429": error_body(429, "Too Many Requests")},
                ),
            },
            "/api/v2/leads/{id}": {
                "get": op("getLead", ok={"$ref": f"{SCHEMAS}def-0"}, errors={"429": body})
            },
        },
        {"def-0": LEAD, "def-1": prop({"title": "A & B"}, x={"type": ["string", "number"]})},
    )


def test_same_input_gives_identical_yaml() -> None:
    doc = big_document()
    pristine = copy.deepcopy(doc)
    first = normalize.dump_yaml(normalize.normalize(doc, b"raw"))
    assert doc == pristine  # the input is not modified
    second = normalize.dump_yaml(normalize.normalize(copy.deepcopy(pristine), b"raw"))
    assert first == second
    assert "&" not in first.replace("A & B", "")  # no YAML anchors
    assert "*id" not in first


# --------------------------------------------------------------------------- loud failures


def test_unknown_schema_keyword_fails_with_its_pointer() -> None:
    lead = prop({"title": "Lead"}, meta={"type": "object", "patternProperties": {"^x": {}}})
    doc = document({"/a": {"get": op("getA", ok={"$ref": f"{SCHEMAS}def-0"})}}, {"def-0": lead})
    error = fails(doc)
    assert error.pointer == "/components/schemas/def-0/properties/meta/patternProperties"
    assert "/components/schemas/def-0/properties/meta/patternProperties" in str(error)
    assert "patternProperties" in str(error)


def test_unknown_keyword_inside_x_validation_fails_with_its_pointer() -> None:
    body = prop({"not": {"dependentSchemas": {}}}, a={"type": "string"})
    error = fails(one_op(op("createA", body=body)))
    assert error.pointer == (
        "/paths/~1api~1v2~1things/post/requestBody/content/application~1json/schema"
        "/not/dependentSchemas"
    )


def test_a_dangling_ref_is_read_as_an_open_object_and_reported() -> None:
    doc = document(
        {"/api/v2/leads/{id}": {"get": op("getLead", ok={"$ref": f"{SCHEMAS}def-7"})}},
        {"def-0": LEAD},
    )
    out = normalize.normalize(doc)
    pointer = (
        "/paths/~1api~1v2~1leads~1{id}/get/responses/200/content/application~1json/schema/$ref"
    )
    assert ok_schema(out, "/api/v2/leads/{id}", "get") == {"type": "object"}
    [repair] = normalize.repairs(out)
    assert repair.startswith(pointer + ": ")
    assert "def-7" in repair and "open object" in repair


def test_a_dangling_ref_in_a_list_and_in_x_validation() -> None:
    items = {"type": "array", "items": {"$ref": f"{SCHEMAS}def-38"}}
    refined = {"properties": {"a": {"$ref": f"{SCHEMAS}def-39"}}}
    body = prop({"oneOf": [{"required": ["a"]}, refined]}, a={"type": "string"})
    out = normalize.normalize(one_op(op("listEvents", ok=items, body=body)))
    assert ok_schema(out)["items"] == {"type": "object"}
    # validation only: a dangling $ref there constrains nothing
    assert body_schema(out)["x-validation"]["oneOf"][1] == {"properties": {"a": {}}}
    assert [r.split(": ")[0].rsplit("/", 2)[-2:] for r in normalize.repairs(out)] == [
        ["a", "$ref"],
        ["items", "$ref"],
    ]


def test_no_repairs_means_no_repairs_key() -> None:
    out = normalize.normalize(one_op(op("getThing")))
    assert "x-upstream-repairs" not in out["info"]
    assert normalize.repairs(out) == []


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("post", "/api/v2/oauth/google/init", "postOauthGoogleInit"),
        ("get", "/api/v2/accounts/{email}", "getAccountsByEmail"),
        ("delete", "/api/v2/lead-lists/{id}/items", "deleteLeadListsByIdItems"),
        ("get", "/health", "getHealth"),
    ],
)
def test_derived_operation_ids(method: str, path: str, expected: str) -> None:
    assert normalize.derived_operation_id(method, path) == expected


def test_a_missing_operation_id_is_derived_and_reported() -> None:
    operation = op("unused")
    del operation["operationId"]
    doc = document({"/api/v2/oauth/google/init": {"post": operation}})
    out = normalize.normalize(doc)
    assert out_op(out, "/api/v2/oauth/google/init")["operationId"] == "postOauthGoogleInit"
    assert normalize.repairs(out) == [
        "/paths/~1api~1v2~1oauth~1google~1init/post/operationId: "
        "missing, derived as 'postOauthGoogleInit'"
    ]


def test_a_derived_operation_id_that_clashes_fails_with_its_pointer() -> None:
    operation = op("unused")
    del operation["operationId"]
    doc = document({"/api/v2/things": {"get": op("getThings"), "post": operation}})
    doc["paths"]["/api/v2/other"] = {"get": op("postThings")}
    error = fails(doc)
    assert error.pointer == "/paths/~1api~1v2~1other/get/operationId"


def test_an_operation_id_that_is_not_a_string_fails() -> None:
    doc = one_op({**op("x"), "operationId": 7})
    assert fails(doc).pointer == "/paths/~1api~1v2~1things/post/operationId"


def test_an_external_ref_fails_with_its_pointer() -> None:
    doc = one_op(op("getThing", ok={"$ref": "other.json#/Thing"}))
    error = fails(doc)
    assert error.pointer.endswith("/responses/200/content/application~1json/schema/$ref")


def test_duplicate_operation_id_fails_with_its_pointer() -> None:
    doc = document({"/a": {"get": op("getThing")}, "/b": {"get": op("getThing")}})
    error = fails(doc)
    assert error.pointer == "/paths/~1b/get/operationId"
    assert "/paths/~1a/get/operationId" in str(error)


def test_operation_ids_giving_the_same_module_name_fail() -> None:
    doc = document({"/a": {"get": op("listLeads")}, "/b": {"get": op("list_leads")}})
    assert fails(doc).pointer == "/paths/~1b/get/operationId"


@pytest.mark.parametrize(
    ("mutate", "pointer"),
    [
        (
            lambda d: d["paths"]["/a"]["get"]["requestBody"].update({"$ref": "#/x"}),
            "/paths/~1a/get/requestBody/$ref",
        ),
        (
            lambda d: d["paths"]["/a"]["get"]["requestBody"]["content"][JSON]["schema"].update(
                {"discriminator": {"propertyName": "a"}}
            ),
            "/paths/~1a/get/requestBody/content/application~1json/schema/discriminator",
        ),
        (
            lambda d: d["paths"]["/a"]["get"].update({"callbacks": {}}),
            "/paths/~1a/get/callbacks",
        ),
        (
            lambda d: d["paths"]["/a"]["get"]["parameters"][0].update({"content": {}}),
            "/paths/~1a/get/parameters/0/content",
        ),
        (
            lambda d: d["components"]["schemas"]["def-0"].update({"title": "123"}),
            "/components/schemas/def-0/title",
        ),
        (
            lambda d: d["components"]["schemas"]["def-0"].pop("title"),
            "/components/schemas/def-0",
        ),
    ],
    ids=[
        "requestBody-ref",
        "schema-keyword",
        "operation-keyword",
        "parameter-keyword",
        "title-not-a-name",
        "def-N-without-title",
    ],
)
def test_other_unknowns_fail_with_their_pointer(mutate: Any, pointer: str) -> None:
    operation = op(
        "getA",
        ok={"$ref": f"{SCHEMAS}def-0"},
        body=prop({}, a={"type": "string"}),
        params=[query("q", {"type": "string"})],
    )
    doc = document({"/a": {"get": operation}}, {"def-0": copy.deepcopy(LEAD)})
    mutate(doc)
    assert fails(doc).pointer == pointer


@pytest.mark.parametrize(
    ("mutate", "pointer"),
    [
        (lambda d: d["paths"].update({"/b": ["get"]}), "/paths/~1b"),
        (lambda d: d["paths"]["/a"].update({"put": "getA"}), "/paths/~1a/put"),
        (
            lambda d: d["paths"]["/a"]["get"]["parameters"][0].pop("in"),
            "/paths/~1a/get/parameters/0",
        ),
        (
            lambda d: d["paths"]["/a"]["get"].update({"requestBody": []}),
            "/paths/~1a/get/requestBody",
        ),
        (
            lambda d: d["paths"]["/a"]["get"]["responses"].update({"404": "Not found"}),
            "/paths/~1a/get/responses/404",
        ),
        (lambda d: d.update({"tags": ["Lead"]}), "/tags/0"),
        (lambda d: d["components"].update({"schemas": []}), "/components/schemas"),
    ],
    ids=["path-item", "operation", "parameter-in", "request-body", "response", "tag", "schemas"],
)
def test_malformed_structure_fails_with_its_pointer(mutate: Any, pointer: str) -> None:
    """Not a crash (KeyError, AttributeError) but an error that says where."""
    operation = op("getA", params=[query("q", {"type": "string"})])
    doc = document({"/a": {"get": operation}})
    mutate(doc)
    assert fails(doc).pointer == pointer


def test_ref_with_a_sibling_that_would_be_lost_fails() -> None:
    ok = prop({}, lead={"$ref": f"{SCHEMAS}def-0", "readOnly": True})
    doc = one_op(op("getA", ok=ok), {"def-0": LEAD})
    assert fails(doc).pointer.endswith("/schema/properties/lead/readOnly")


# --------------------------------------------------------------------------- CLI


def test_cli_reports_the_pointer_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = one_op(op("getA", ok={"type": "object", "frobnicate": 1}))
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    dest = tmp_path / "openapi.yaml"

    assert normalize.main([str(src), "-o", str(dest)]) != 0
    err = capsys.readouterr().err
    assert (
        "/paths/~1api~1v2~1things/post/responses/200/content/application~1json/schema/frobnicate"
        in err
    )
    assert len(err.strip().splitlines()) == 1
    assert not dest.exists()


def test_cli_reports_each_repair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = one_op(op("getA", ok={"$ref": f"{SCHEMAS}Missing"}))
    src = tmp_path / "dangling.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    dest = tmp_path / "openapi.yaml"
    assert normalize.main([str(src), "-o", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "normalize: repaired /paths/~1api~1v2~1things/post/responses/200" in out
    assert "x-upstream-repairs" in dest.read_text(encoding="utf-8")


def test_cli_writes_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "good.json"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps(one_op(op("getA"))).encode())
    dest = tmp_path / "openapi.yaml"
    assert normalize.main([str(src), "-o", str(dest)]) == 0
    assert str(dest) in capsys.readouterr().out
    assert yaml.safe_load(dest.read_text(encoding="utf-8"))["openapi"] == "3.1.0"


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert normalize.main([str(tmp_path / "nope.json"), "-o", str(tmp_path / "o.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


# --------------------------------------------------------------------------- examples


def test_examples_are_made_to_fit_their_schema() -> None:
    ok = {
        "type": "object",
        "properties": {
            "day": {"type": "string", "format": "date", "example": "1970-01-01T00:00:00.000Z"},
            "days": {"type": "string", "format": "date", "examples": ["1970-01-01T05:00:00Z"]},
            "at": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "1970-01-01"},
            "kind": {"type": "string", "enum": ["a", "b"], "example": "gpt-5"},
            "count": {"type": "number", "example": "ten"},
            "fine": {"type": "string", "format": "date-time", "example": "1970-01-01T00:00:00Z"},
        },
    }
    props = ok_schema(normalize.normalize(one_op(op("getThing", ok=ok))))["properties"]
    assert props["day"]["example"] == "1970-01-01"  # a date-time placeholder keeps its date
    assert props["days"]["examples"] == ["1970-01-01"]
    for name in ("at", "kind", "count"):  # no fit: dropped, so Prism never serves it
        assert "example" not in props[name], name
    assert props["fine"]["example"] == "1970-01-01T00:00:00Z"


def test_null_example_on_a_non_null_type_makes_it_nullable() -> None:
    ok = {
        "type": "object",
        "properties": {
            "emails": {"type": "array", "items": {"type": "string"}, "examples": [None]},
            "mode": {"type": "string", "enum": ["x"], "example": None},
        },
    }
    props = ok_schema(normalize.normalize(one_op(op("getThing", ok=ok))))["properties"]
    assert props["emails"]["type"] == ["array", "null"]
    assert props["mode"]["type"] == ["string", "null"]
    assert None in props["mode"]["enum"]


def test_parameter_examples_fit_too() -> None:
    params = [
        {
            "in": "query",
            "name": "from",
            "schema": {"type": "string", "format": "date"},
            "example": "1970-01-01T00:00:00.000Z",
        }
    ]
    param = out_op(normalize.normalize(one_op(op("getThing", params=params))))["parameters"][0]
    assert param["example"] == "1970-01-01"


def test_no_content_statuses_lose_their_body() -> None:
    operation = op("shareThing")
    operation["responses"] = {"204": response({})}
    out = out_op(normalize.normalize(one_op(operation)))
    assert out["responses"]["204"] == {"description": "No Content"}


def test_source_can_be_a_url(tmp_path: Path) -> None:
    """A URL is fetched (here from a server on loopback), BOM and all."""
    import functools
    import http.server
    import threading

    (tmp_path / "api_v2.json").write_bytes(
        b"\xef\xbb\xbf" + json.dumps(one_op(op("getA"))).encode()
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api_v2.json"
        dest = tmp_path / "openapi.yaml"
        normalize.normalize_file(url, dest)
    finally:
        server.shutdown()
        server.server_close()
    out = yaml.safe_load(dest.read_text(encoding="utf-8"))
    assert [o["operationId"] for o in out["paths"]["/api/v2/things"].values()] == ["getA"]


# --------------------------------------------------------------------------- provenance


def test_the_upstream_date_comes_from_the_file_name_or_last_modified() -> None:
    assert normalize.source_date("../shared/instantly-openapi/2026-08-21.json") == "2026-08-21"
    assert normalize.source_date("https://x.test/api_v2-2025-09-11.yaml") == "2025-09-11"
    modified = "Wed, 21 Oct 2026 07:28:00 GMT"
    assert normalize.source_date("https://x.test/openapi/api_v2.json", modified) == "2026-10-21"


def test_provenance_goes_into_info(tmp_path: Path) -> None:
    src = tmp_path / "2026-08-21.json"
    raw = json.dumps(one_op(op("getA"))).encode()
    src.write_bytes(raw)
    dest = tmp_path / "openapi.yaml"
    assert normalize.normalize_file(str(src), dest) == []
    info = yaml.safe_load(dest.read_text(encoding="utf-8"))["info"]
    assert info["x-upstream-sha256"] == hashlib.sha256(raw).hexdigest()
    assert info["x-upstream-date"] == "2026-08-21"
