"""The top of our document: version check, fixed info and servers, security schemes, tags."""

from __future__ import annotations

import copy

from ...rules import Rule
from ...schema_keywords import DROPPED
from ..base import NormalizeError, State, as_object, esc, name_or_fail, tag_name


def openapi_version(st: State) -> None:
    version = str(st.src.get("openapi", ""))
    if not version.startswith("3."):
        raise NormalizeError("/openapi", f"unsupported OpenAPI version {version!r}")
    if "paths" not in st.src:
        raise NormalizeError("", "not an OpenAPI document (no 'paths')")
    st.components = as_object(st.src.get("components", {}), "/components", "'components'")
    st.upstream_schemas = as_object(
        st.components.get("schemas", {}), "/components/schemas", "'schemas'"
    )


def document(st: State) -> None:
    st.out = {
        "openapi": "3.1.0",
        "info": {
            "title": "Instantly API V2",
            "version": str(st.src.get("info", {}).get("version", "0")),
        },
        "servers": [{"url": "https://api.instantly.ai"}],
        "security": copy.deepcopy(st.src.get("security", [{"ApiKeyAuth": []}])),
        "tags": [],
        "paths": {},
        "components": {"securitySchemes": {}, "schemas": st.schemas},
    }


def security_schemes(st: State) -> None:
    schemes = st.components.get("securitySchemes", {})
    for name, scheme in as_object(schemes, "/components/securitySchemes", "schemes").items():
        sptr = f"/components/securitySchemes/{esc(name)}"
        st.out["components"]["securitySchemes"][name] = {
            k: copy.deepcopy(v)
            for k, v in as_object(scheme, sptr, "a security scheme").items()
            if k not in DROPPED
        }


def declared_tags(st: State) -> None:
    for i, tag in enumerate(st.src.get("tags", [])):
        tag_obj = as_object(tag, f"/tags/{i}", "a tag")
        name = name_or_fail(tag_name, tag_obj.get("name"), f"/tags/{i}/name")
        if name not in st.tags:
            st.tags.append(name)


OPENAPI_VERSION = Rule("openapi-version", openapi_version, "OpenAPI 3.x with paths")
DOCUMENT = Rule("document", document, "the fixed top of our document (info, servers, security)")
SECURITY_SCHEMES = Rule("security-schemes", security_schemes, "schemes without prose")
TAGS = Rule("tags", declared_tags, "declared tags, then the operations' tags, in order")
