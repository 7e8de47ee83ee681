"""instantly-async quickstart: the README snippet, runnable.

Run it against the Prism mock server (no traffic to Instantly; ``make demo-prism`` does all this)::

    INSTANTLY_API_KEY=dummy INSTANTLY_BASE_URL=http://127.0.0.1:4010 python examples/quickstart.py

Without ``INSTANTLY_BASE_URL`` it talks to the real API (https://api.instantly.ai) with your
key, and then it really creates a workspace member (user@example.com, role editor).

Or with no server at all, on the in-process fake of ``instantly_async.testing`` (it keeps
what you send, pages with real cursors and checks the key's scopes; ``make demo`` runs this)::

    python examples/quickstart.py --fake

Add ``trio`` as an argument to run it on trio instead of asyncio.
"""

from __future__ import annotations

import os
import sys

import anyio

from instantly_async import AsyncInstantly, AuthenticationError, PermissionDeniedError

DEFAULT_BASE_URL = "https://api.instantly.ai"


async def main(fake: bool = False) -> int:
    if fake:
        return await main_on_fake()
    api_key = os.environ.get("INSTANTLY_API_KEY", "")
    if not api_key.strip():
        print("Set INSTANTLY_API_KEY (any value works against the Prism mock).", file=sys.stderr)
        return 2
    base_url = os.environ.get("INSTANTLY_BASE_URL") or DEFAULT_BASE_URL
    print(f"using {base_url}")
    async with AsyncInstantly(api_key=api_key, base_url=base_url) as client:
        await tour(client)

        # Errors are typed; a 401/403 names the scopes the operation accepts. On the Prism mock,
        # `Prefer: code=401` asks for the documented 401 answer of the operation.
        mock_401 = client.with_options(headers={"Prefer": "code=401"})
        await list_members_or_explain(mock_401)
    return 0


async def main_on_fake() -> int:
    """The same tour on the in-process fake, whose workspace starts with two leads."""
    from instantly_async.testing import FakeInstantly

    fake = FakeInstantly()
    for name in ("ada", "grace"):
        fake.add("leads", email=f"{name}@example.com", first_name=name.title())
    print("using the in-process fake Instantly (a workspace with 2 leads)")
    async with fake.client() as client:
        await tour(client)
    # Errors are typed; a 401/403 names the scopes the operation accepts: a key that may only
    # read leads is refused the workspace members.
    async with fake.client(scopes=["leads:read"]) as leads_only:
        await list_members_or_explain(leads_only)
    return 0


async def tour(client: AsyncInstantly) -> None:
    """Create a workspace member, list members (one page, then every item), list leads."""
    # A method per operation: body fields are keyword arguments.
    member = await client.workspace_member.create(email="user@example.com", role="editor")
    print(f"created workspace member {member.email} (id {member.id}, role {member.role})")

    # A list method returns a paginator: await it for one page...
    page = await client.workspace_member.list(limit=10)
    print(
        f"listed one page of workspace members: {len(page.items)} item(s), "
        f"next cursor {page.next_starting_after!r}"
    )

    # ... or iterate it for every item of every page (max_items stops early).
    async for each in client.workspace_member.list(limit=10, max_items=2):
        print(f"workspace member: {each.email} ({each.role})")

    # POST /api/v2/leads/list pages with a cursor in the JSON body; same interface.
    async for lead in client.lead.list(limit=10, max_items=2):
        print(f"lead: {lead.email} (id {lead.id})")


async def list_members_or_explain(client: AsyncInstantly) -> None:
    try:
        await client.workspace_member.list(limit=1)
    except (AuthenticationError, PermissionDeniedError) as error:
        print(f"caught {type(error).__name__} (HTTP {error.status_code}): {error.message}")
        print(f"required scopes (any one): {', '.join(error.required_scopes)}")
    else:
        print("no error: this API key has one of the scopes listWorkspaceMember needs")


if __name__ == "__main__":
    args = sys.argv[1:]
    on_fake = "--fake" in args
    backends = [a for a in args if a != "--fake"] or ["asyncio"]
    sys.exit(anyio.run(main, on_fake, backend=backends[0]))
