"""instantly-async quickstart: the README snippet, runnable.

Run it against the Prism mock server (no traffic to Instantly; ``make demo`` does all this)::

    INSTANTLY_API_KEY=dummy INSTANTLY_BASE_URL=http://127.0.0.1:4010 python examples/quickstart.py

Without ``INSTANTLY_BASE_URL`` it talks to the real API (https://api.instantly.ai) with your
key, and then it really creates a workspace member (user@example.com, role editor).

Add ``trio`` as the first argument to run it on trio instead of asyncio.
"""

from __future__ import annotations

import os
import sys

import anyio

from instantly_async import AsyncInstantly, AuthenticationError, PermissionDeniedError

DEFAULT_BASE_URL = "https://api.instantly.ai"


async def main() -> int:
    api_key = os.environ.get("INSTANTLY_API_KEY", "")
    if not api_key.strip():
        print("Set INSTANTLY_API_KEY (any value works against the Prism mock).", file=sys.stderr)
        return 2
    base_url = os.environ.get("INSTANTLY_BASE_URL") or DEFAULT_BASE_URL
    print(f"using {base_url}")

    async with AsyncInstantly(api_key=api_key, base_url=base_url) as client:
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

        # Errors are typed; a 401/403 names the scopes the operation accepts. On the Prism mock,
        # `Prefer: code=401` asks for the documented 401 answer of the operation.
        mock_401 = client.with_options(headers={"Prefer": "code=401"})
        try:
            await mock_401.workspace_member.list(limit=1)
        except (AuthenticationError, PermissionDeniedError) as error:
            print(f"caught {type(error).__name__} (HTTP {error.status_code}): {error.message}")
            print(f"required scopes (any one): {', '.join(error.required_scopes)}")
        else:
            print("no error: this API key has one of the scopes listWorkspaceMember needs")
    return 0


if __name__ == "__main__":
    backend = sys.argv[1] if len(sys.argv) > 1 else "asyncio"
    sys.exit(anyio.run(main, backend=backend))
