"""A stateful, in-process fake of the Instantly API V2 for your tests (asyncio and trio).

::

    from instantly_async.testing import FakeInstantly

    fake = FakeInstantly()
    async with fake.client() as client:  # an AsyncInstantly with an all:all key
        campaign = await client.campaign.create(name="Q3", campaign_schedule=...)
        assert (await client.campaign.get(campaign.id)).name == "Q3"

No server and no network: ``fake.transport`` is an ``httpx`` transport (use it in your own
``httpx.AsyncClient`` if you build one). Everything is derived from the API document at
build time, so every operation answers in the shape the SDK parses:

- **State by path structure**: ``POST`` to a collection creates an item (server fields such
  as ``id``, ``timestamp_created`` and ``organization`` filled in, what you sent stored);
  ``GET``/``PATCH``/``DELETE`` on ``<collection>/{id}`` read, update and delete it (404 when
  it does not exist); list operations page through the stored items with working cursors
  (``limit``, ``starting_after`` / ``next_starting_after``). Other operations answer from
  their response schema, echoing the fields you sent.
- **Checks like the service**: 401 without a valid key, 403 when the key lacks the
  operation's scopes, 400 for a body or query the document rejects (``body must have required
  property 'name'``), 429 with ``Retry-After`` past the workspace limits (100 requests/s,
  6,000/min) or an operation's own limits, against ``clock`` (inject a :class:`FakeClock`).
- **Test helpers**: ``fake.fail_next(operation_id, status=503)`` or
  ``exception=httpx.ReadTimeout``; ``fake.requests`` (every request, with its status);
  ``fake.add(collection, **fields)``, ``fake.items(collection)`` and ``fake.get(collection,
  key)`` to seed and inspect the state; ``fake.fail_next_job()``.

Hand-written behaviour (what the document cannot tell):

- ``POST /leads/list`` (``client.lead.list``) filters the workspace's leads by ``campaign``,
  ``list_id``, ``ids``, ``excluded_ids``, ``contacts`` and ``search``; its cursor is in the body.
- ``POST /leads/add`` (``client.lead.bulk_add``) stores each lead in the campaign or list,
  skipping emails already there (and, with ``skip_if_in_workspace``, anywhere), and counts.
- ``DELETE /leads`` (``client.lead.bulk_delete``) deletes the leads the filters pick.
- ``POST /leads/move`` (``client.lead.move``) starts a background job; the leads move
  (or are copied, ``copy_leads``) when the job succeeds.
- Background jobs (from moving leads, enabling or disabling warmup) go ``pending`` ->
  ``in-progress`` -> ``success`` (``failed`` after ``fake.fail_next_job()``), one step per
  ``GET /background-jobs/{id}``.
- Campaigns are created as drafts (status 0); activate sets 1, pause 2.
"""

from __future__ import annotations

from ._fake import FakeClock, FakeInstantly, RecordedRequest

__all__ = ["FakeClock", "FakeInstantly", "RecordedRequest"]
