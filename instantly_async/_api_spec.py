"""Which upstream API document this SDK was generated from: ``instantly_async.API_SPEC``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["API_SPEC", "ApiSpec"]


@dataclass(frozen=True)
class ApiSpec:
    """The upstream OpenAPI document the generated code was built from.

    ``sha256`` identifies the upstream document byte for byte (as published);
    ``openapi_sha256`` our normalized ``openapi.yaml`` it was turned into.
    """

    title: str | None
    version: str | None
    """The upstream document's ``info.version``."""
    date: str | None
    """The day the upstream document was published or retrieved (``YYYY-MM-DD``)."""
    sha256: str | None
    openapi_sha256: str
    generator: str
    repairs: tuple[str, ...] = ()
    """Defects of the upstream document that regeneration read in their one safe way."""


def _load() -> ApiSpec:
    path = Path(__file__).resolve().parent / "_generated" / "api_spec.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return ApiSpec(
        title=data.get("title"),
        version=data.get("version"),
        date=data.get("date"),
        sha256=data.get("sha256"),
        openapi_sha256=str(data["openapi_sha256"]),
        generator=str(data["generator"]),
        repairs=tuple(data.get("repairs", ())),
    )


API_SPEC = _load()
