"""client.background_job.wait() / watch(): polling a job until it ends, over MockTransport."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import anyio.lowlevel
import httpx
import pytest

from instantly_async import (
    AsyncInstantly,
    BackgroundJobFailed,
    BackgroundJobTimeout,
    NotFoundError,
)
from instantly_async._background_jobs import BackgroundJobs
from instantly_async._generated.models.background_job import BackgroundJob

pytestmark = pytest.mark.anyio

JOB_ID = "66b2f0c0e1a2b3c4d5e6f708"


def job(status: str, progress: float = 0, **extra: Any) -> dict[str, Any]:
    return {
        "id": JOB_ID,
        "workspace_id": "ws-1",
        "type": "move-leads",
        "progress": progress,
        "status": status,
        "created_at": "2026-01-01T00:00:00.000Z",
        "updated_at": "2026-01-01T00:00:01.000Z",
        **extra,
    }


class JobServer:
    """Answers GET /api/v2/background-jobs/{id} with the next state of a script."""

    def __init__(self, *states: dict[str, Any]) -> None:
        self.states: Iterator[dict[str, Any]] = iter(states)
        self.last: dict[str, Any] | None = None
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path != f"/api/v2/background-jobs/{JOB_ID}":
            return httpx.Response(404, json={"statusCode": 404, "message": "Not Found"})
        self.last = next(self.states, self.last)
        return httpx.Response(200, json=self.last)

    def client(self, **kwargs: Any) -> AsyncInstantly:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncInstantly(api_key="test-key", http_client=http, **kwargs)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the poll delays instead of sleeping."""
    recorded: list[float] = []

    async def fake_sleep(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr("instantly_async._background_jobs._sleep", fake_sleep)
    return recorded


async def test_wait_polls_until_success_with_backoff(sleeps: list[float]) -> None:
    server = JobServer(
        job("pending"),
        job("in-progress", 10),
        job("in-progress", 10),
        job("in-progress", 60),
        job("success", 100, data={"moved_lead_emails": ["a@example.com"]}),
    )
    async with server.client() as client:
        assert isinstance(client.background_job, BackgroundJobs)
        done = await client.background_job.wait(JOB_ID, poll_interval=2.0, max_poll_interval=5.0)
    assert isinstance(done, BackgroundJob)
    assert done.status == "success"
    assert done.progress == 100
    assert len(server.requests) == 5
    assert {r.method for r in server.requests} == {"GET"}
    assert sleeps == [2.0, 3.0, 4.5, 5.0]


async def test_wait_reports_each_changed_state(sleeps: list[float]) -> None:
    server = JobServer(job("pending"), job("pending"), job("in-progress", 50), job("success", 100))
    seen: list[tuple[str, float]] = []
    async with server.client() as client:
        await client.background_job.wait(
            JOB_ID, on_progress=lambda j: seen.append((j.status, j.progress))
        )
    assert seen == [("pending", 0), ("in-progress", 50), ("success", 100)]


async def test_wait_awaits_an_async_callback(sleeps: list[float]) -> None:
    server = JobServer(job("in-progress", 5), job("success", 100))
    seen: list[str] = []

    async def report(j: BackgroundJob) -> None:
        await anyio.lowlevel.checkpoint()
        seen.append(j.status)

    async with server.client() as client:
        await client.background_job.wait(JOB_ID, on_progress=report)
    assert seen == ["in-progress", "success"]


async def test_watch_yields_states_and_ends_on_failure(sleeps: list[float]) -> None:
    server = JobServer(job("pending"), job("paused", 20), job("failed", 20))
    async with server.client() as client:
        states = [j.status async for j in client.background_job.watch(JOB_ID)]
    assert states == ["pending", "paused", "failed"]


@pytest.mark.parametrize("final", ["failed", "cancelled"])
async def test_a_failed_job_raises_with_the_job(sleeps: list[float], final: str) -> None:
    server = JobServer(job("in-progress", 40), job(final, 40))
    async with server.client() as client:
        with pytest.raises(BackgroundJobFailed) as caught:
            await client.background_job.wait(JOB_ID)
    assert caught.value.job.status == final
    assert caught.value.job.id == JOB_ID
    assert f"ended as {final}" in str(caught.value)
    assert pickle.loads(pickle.dumps(caught.value)).job.status == final


async def test_timeout_raises_with_the_last_state(sleeps: list[float]) -> None:
    server = JobServer(job("in-progress", 30))
    async with server.client() as client:
        with pytest.raises(BackgroundJobTimeout) as caught:
            await client.background_job.wait(JOB_ID, timeout=0)
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.job.progress == 30
    assert "still in-progress after 0 s" in str(caught.value)
    assert len(server.requests) == 1
    assert sleeps == []


async def test_a_job_object_is_accepted_and_a_finished_one_is_not_polled() -> None:
    server = JobServer(job("success", 100))
    async with server.client() as client:
        running = BackgroundJob.from_dict(job("pending"))
        done = await client.background_job.wait(running, poll_interval=0)
        assert done.status == "success"
        assert len(server.requests) == 1
        again = await client.background_job.wait(done)
    assert again is done
    assert len(server.requests) == 1


async def test_an_unknown_status_is_polled_again(sleeps: list[float]) -> None:
    server = JobServer(job("queued-somewhere-new"), job("success", 100))
    async with server.client() as client:
        done = await client.background_job.wait(JOB_ID)
    assert done.status == "success"
    assert len(server.requests) == 2


async def test_polls_go_through_the_client_pipeline(sleeps: list[float]) -> None:
    """Each poll is a normal get(): errors are typed, the API key is sent."""
    server = JobServer(job("pending"))
    async with server.client() as client:
        with pytest.raises(NotFoundError):
            await client.background_job.wait("someone-elses-job")
    assert server.requests[0].headers["authorization"] == "Bearer test-key"


async def test_with_options_copies_have_wait() -> None:
    server = JobServer(job("success", 100))
    async with server.client() as client:
        copy = client.with_options(max_retries=0)
        assert (await copy.background_job.wait(JOB_ID)).status == "success"


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"job_or_id": ""}, ValueError, "empty string"),
        ({"job_or_id": 42}, TypeError, "BackgroundJob or its id"),
        ({"timeout": -1}, ValueError, "timeout must be"),
        ({"poll_interval": float("nan")}, ValueError, "poll_interval must be"),
        ({"max_poll_interval": True}, ValueError, "max_poll_interval must be"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    server = JobServer(job("success", 100))
    kwargs: dict[str, Any] = {"job_or_id": JOB_ID, **arguments}
    async with server.client() as client:
        with pytest.raises(error, match=message):
            await client.background_job.wait(**kwargs)
    assert server.requests == []


def test_methods_that_start_a_job_say_so() -> None:
    from instantly_async._generated.resources.lead import LeadResource

    doc = LeadResource.move.__doc__ or ""
    assert "background_job.wait" in doc
