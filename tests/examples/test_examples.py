"""The examples in examples/, run as users would: on MockTransport, or over loopback HTTP.

(examples/quickstart.py runs against Prism in tests/contract/test_quickstart.py and, from the
installed wheel, in tests/packaging/test_wheel.py.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from instantly_async import AsyncInstantly
from instantly_async.types import BulkAddLeadsLeadsItemParam

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- background jobs


class MovingJob:
    """POST /leads/move starts a job; each GET of it moves it one state further."""

    def __init__(self, *states: tuple[str, int]) -> None:
        self.states = list(states)
        self.moves: list[Any] = []

    def job(self, status: str, progress: int) -> dict[str, Any]:
        return {
            "id": "job-1",
            "workspace_id": "ws-1",
            "type": "move-leads",
            "progress": progress,
            "status": status,
            "created_at": "2026-01-01T00:00:00.000Z",
            "updated_at": "2026-01-01T00:00:00.000Z",
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/api/v2/leads/move":
            self.moves.append(json.loads(request.content))
            return httpx.Response(200, json=self.job("pending", 0))
        if request.method == "GET" and request.url.path == "/api/v2/background-jobs/job-1":
            status, progress = self.states.pop(0) if len(self.states) > 1 else self.states[0]
            return httpx.Response(200, json=self.job(status, progress))
        return httpx.Response(404, json={"message": "not found"})


def client_for(handler: MovingJob) -> AsyncInstantly:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncInstantly(api_key="test-key", http_client=http)


@pytest.mark.anyio
async def test_background_jobs_example_moves_and_waits(capsys: pytest.CaptureFixture[str]) -> None:
    example = load("background_jobs")
    server = MovingJob(("pending", 0), ("in-progress", 40), ("success", 100))
    async with client_for(server) as client:
        done = await example.move_and_wait(client, "camp-a", "camp-b", poll_interval=0)
    assert done.status == "success"
    assert server.moves == [{"campaign": "camp-a", "to_campaign_id": "camp-b"}]
    assert capsys.readouterr().out.splitlines() == [
        "started background job job-1 (move-leads)",
        "  job job-1: pending (0%)",
        "  job job-1: in-progress (40%)",
        "  job job-1: success (100%)",
        "done: success",
    ]


@pytest.mark.anyio
async def test_background_jobs_example_reports_a_failed_job(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load("background_jobs")
    server = MovingJob(("in-progress", 10), ("failed", 10))
    async with client_for(server) as client:
        done = await example.move_and_wait(client, "camp-a", "camp-b", poll_interval=0)
    assert done is None
    assert capsys.readouterr().out.splitlines()[-1] == "the job ended as failed at 10%"


@pytest.mark.anyio
async def test_background_jobs_example_gives_up_after_its_timeout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load("background_jobs")
    server = MovingJob(("in-progress", 10))
    async with client_for(server) as client:
        done = await example.move_and_wait(client, "camp-a", "camp-b", timeout=0)
    assert done is None
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "gave up waiting; the job is still pending: check it later"


@pytest.mark.anyio
async def test_background_jobs_example_on_the_fake(capsys: pytest.CaptureFixture[str]) -> None:
    """The same example against instantly_async.testing.FakeInstantly: the leads really move."""
    from instantly_async.testing import FakeInstantly

    example = load("background_jobs")
    fake = FakeInstantly()
    source = fake.add("campaigns", name="Source")
    target = fake.add("campaigns", name="Target")
    async with fake.client() as client:
        leads: list[BulkAddLeadsLeadsItemParam] = [
            {"email": f"lead{i}@example.com"} for i in range(3)
        ]
        await client.lead.bulk_add(campaign_id=source["id"], leads=leads)
        done = await example.move_and_wait(client, source["id"], target["id"], poll_interval=0)
        moved = [str(lead.email) async for lead in client.lead.list(campaign=target["id"])]
    assert done.status == "success"
    assert sorted(moved) == ["lead0@example.com", "lead1@example.com", "lead2@example.com"]
    statuses = [line.split(": ")[1] for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert statuses == ["pending (0%)", "in-progress (50%)", "success (100%)"]


# --------------------------------------------------------------------------- webhook receiver

SECRET = "example-secret"
PATH = "/webhooks/instantly"
DELIVERY = {
    "timestamp": "2026-03-02T09:15:27.512Z",
    "event_type": "reply_received",
    "workspace": "ws-1",
    "campaign_id": "camp-1",
    "campaign_name": "Q2 outreach",
    "lead_email": "jane@example.com",
    "reply_text_snippet": "Sounds good",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def receiver() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """examples/webhook_receiver.py served by uvicorn on a free loopback port."""
    port = _free_port()
    env = {**os.environ, "INSTANTLY_WEBHOOK_SECRET": SECRET, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py"), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # readiness: until it accepts connections (at most ~30 s)
            if process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        assert process.poll() is None, process.communicate()
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def test_webhook_receiver_example_over_http(
    receiver: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = receiver
    body = json.dumps(DELIVERY).encode()
    good = {"X-Webhook-Secret": SECRET, "Content-Type": "application/json"}
    with httpx.Client(base_url=base, trust_env=False, timeout=10) as http:
        accepted = http.post(PATH, content=body, headers=good)
        wrong = http.post(PATH, content=body, headers={**good, "X-Webhook-Secret": "nope"})
        missing = http.post(PATH, content=body, headers={"Content-Type": "application/json"})
        garbage = http.post(PATH, content=b"{not json", headers=good)
        get = http.get(PATH)
        elsewhere = http.post("/other", content=body, headers=good)
    assert accepted.status_code == 200 and accepted.json() == {"ok": True}
    assert wrong.status_code == 401
    assert missing.status_code == 401
    assert garbage.status_code == 400 and "not JSON" in garbage.json()["error"]
    assert get.status_code == 405
    assert elsewhere.status_code == 404
    process.terminate()
    out, _ = process.communicate(timeout=20)
    assert out.splitlines() == [
        f"listening on {base}{PATH}",
        "received reply_received for jane@example.com (campaign Q2 outreach)",
        "  reply: 'Sounds good'",
    ]


def test_background_jobs_example_runs_on_the_fake_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "background_jobs.py"), "--fake"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("started background job ")
    assert lines[-2:] == ["done: success", "25 leads are now in campaign 'Target'"]


def test_webhook_receiver_example_needs_its_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "INSTANTLY_WEBHOOK_SECRET"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Set INSTANTLY_WEBHOOK_SECRET" in done.stderr
