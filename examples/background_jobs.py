"""Move leads to another campaign and wait for the background job that does it.

Against the real API (this really moves the leads)::

    INSTANTLY_API_KEY=... python examples/background_jobs.py FROM_CAMPAIGN_ID TO_CAMPAIGN_ID

or, with no account and no network, against the in-process fake of ``instantly_async.testing``
(two campaigns and 25 leads made up for the run)::

    python examples/background_jobs.py --fake

``client.lead.move()`` answers at once with a ``BackgroundJob``; ``background_job.wait()``
polls it (with backoff, under the client's rate limits) until it succeeds, fails or times out.
The test suite runs :func:`move_and_wait` on ``httpx.MockTransport`` and on the fake.
"""

from __future__ import annotations

import sys

import anyio

from instantly_async import AsyncInstantly, BackgroundJobFailed, BackgroundJobTimeout
from instantly_async._generated.models.background_job import BackgroundJob
from instantly_async.types import BulkAddLeadsLeadsItemParam


def report(job: BackgroundJob) -> None:
    """Called with every new state of the job."""
    print(f"  job {job.id}: {job.status} ({job.progress:g}%)", flush=True)


async def move_and_wait(
    client: AsyncInstantly,
    from_campaign: str,
    to_campaign: str,
    *,
    timeout: float = 600.0,
    poll_interval: float = 1.0,
) -> BackgroundJob | None:
    """Move every lead of ``from_campaign`` to ``to_campaign``; the finished job, or None."""
    job = await client.lead.move(campaign=from_campaign, to_campaign_id=to_campaign)
    print(f"started background job {job.id} ({job.type_})")
    try:
        done = await client.background_job.wait(
            job, timeout=timeout, poll_interval=poll_interval, on_progress=report
        )
    except BackgroundJobFailed as error:
        print(f"the job ended as {error.job.status} at {error.job.progress:g}%")
        return None
    except BackgroundJobTimeout as error:
        print(f"gave up waiting; the job is still {error.job.status}: check it later")
        return None
    print(f"done: {done.status}")
    return done


async def main(from_campaign: str, to_campaign: str) -> int:
    async with AsyncInstantly() as client:  # api_key from INSTANTLY_API_KEY
        done = await move_and_wait(client, from_campaign, to_campaign)
    return 0 if done is not None else 1


async def main_on_fake() -> int:
    from instantly_async.testing import FakeInstantly

    fake = FakeInstantly()
    source = fake.add("campaigns", name="Source")
    target = fake.add("campaigns", name="Target")
    async with fake.client() as client:
        leads: list[BulkAddLeadsLeadsItemParam] = [
            {"email": f"lead{i}@example.com"} for i in range(25)
        ]
        await client.lead.bulk_add(campaign_id=source["id"], leads=leads)
        done = await move_and_wait(client, source["id"], target["id"], poll_interval=0.1)
        moved = [lead async for lead in client.lead.list(campaign=target["id"])]
    print(f"{len(moved)} leads are now in campaign {target['name']!r}")
    return 0 if done is not None else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--fake"]:
        sys.exit(anyio.run(main_on_fake))
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(anyio.run(main, sys.argv[1], sys.argv[2]))
