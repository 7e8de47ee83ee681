"""instantly_async.API_SPEC: which upstream document the generated code was built from."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import instantly_async
from instantly_async import API_SPEC, ApiSpec

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "instantly-openapi"


def test_api_spec_records_the_upstream_document_and_our_openapi_yaml() -> None:
    assert isinstance(API_SPEC, ApiSpec)
    assert API_SPEC.version == "2.0.0"
    assert API_SPEC.date is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", API_SPEC.date)
    assert API_SPEC.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", API_SPEC.sha256)
    openapi = (REPO / "openapi.yaml").read_bytes()
    assert API_SPEC.openapi_sha256 == hashlib.sha256(openapi).hexdigest()
    assert API_SPEC.generator.startswith("openapi-python-client ")
    assert API_SPEC.repairs == ()


def test_the_upstream_hash_is_the_published_file_when_it_is_at_hand() -> None:
    assert API_SPEC.date is not None
    upstream = SHARED / f"{API_SPEC.date}.json"
    if not upstream.is_file():  # reference data beside the clone (CI has it)
        return
    assert hashlib.sha256(upstream.read_bytes()).hexdigest() == API_SPEC.sha256


def test_api_spec_is_resolved_lazily() -> None:
    code = (
        "import sys, instantly_async\n"
        "assert 'instantly_async._api_spec' not in sys.modules\n"
        "print(instantly_async.API_SPEC.version)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == API_SPEC.version
    assert "API_SPEC" in instantly_async.__all__
