"""A webhook receiver: a plain ASGI app that checks and parses Instantly webhook deliveries.

Run it (uvicorn is in the dev extra; any ASGI server works)::

    INSTANTLY_WEBHOOK_SECRET=s3cret python examples/webhook_receiver.py --port 8000

then create the webhook so that Instantly sends the secret with every delivery::

    await client.webhook.create(
        target_hook_url="https://your.host/webhooks/instantly",
        event_type="all_events",
        headers={"X-Webhook-Secret": "s3cret"},
    )

A delivery with the right secret is answered 200 and printed; a wrong or missing secret gets
401, a body that is not an event 400. Answer quickly: do slow work after answering (a queue,
a background task), since Instantly retries deliveries that time out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from instantly_async import webhooks

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PATH = "/webhooks/instantly"
MAX_BODY = 1024 * 1024


def handle(event: webhooks.WebhookEvent) -> None:
    """Your code: here, one line per event."""
    who = event.lead_email or event.email_account or "-"
    print(f"received {event.event_type} for {who} (campaign {event.campaign_name})", flush=True)
    if event.event_type == "reply_received":
        print(f"  reply: {event.reply_text_snippet!r}", flush=True)


def make_app(secret: str) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI application, checking deliveries against ``secret``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope["path"] != PATH:
            await respond(send, 404, {"error": "not found"})
            return
        if scope["method"] != "POST":
            await respond(send, 405, {"error": "use POST"})
            return
        body = await read_body(receive)
        if body is None:
            await respond(send, 413, {"error": "body too large"})
            return
        try:
            event = webhooks.parse(body, scope["headers"], secret=secret)
        except webhooks.WebhookVerificationError:
            await respond(send, 401, {"error": "unauthorized"})
            return
        except webhooks.WebhookPayloadError as error:
            await respond(send, 400, {"error": str(error)})
            return
        handle(event)
        await respond(send, 200, {"ok": True})

    return app


async def read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def respond(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    secret = os.environ.get("INSTANTLY_WEBHOOK_SECRET", "")
    if not secret:
        print("Set INSTANTLY_WEBHOOK_SECRET to the secret your webhook sends.", file=sys.stderr)
        return 2
    import uvicorn

    print(f"listening on http://{args.host}:{args.port}{PATH}", flush=True)
    uvicorn.run(make_app(secret), host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
