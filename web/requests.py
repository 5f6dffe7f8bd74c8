"""JSON bodies nested deeper than `MAX_JSON_DEPTH` (64) are refused (422) before any parser sees them.

Decoders recurse once per level of nesting: `[[[[...]]]]` a few thousand levels deep made every JSON
endpoint, sign-in included, answer 500. The raw bytes are scanned first (`domains.kernel.json_depth`).

`json_depth_limit` is a Litestar middleware: it buffers the body of a request that may carry JSON (any
content type but forms and multipart uploads) up to `SCAN_LIMIT_BYTES`, answers 422 if it is too deep, and
otherwise hands the same bytes on. Bodies larger than that are passed through unscanned: the app refuses
them as too large (413) unless the route streams them, and streaming routes do not parse JSON.
"""

from __future__ import annotations

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPRequestEvent, HTTPResponseStartEvent, Receive, ReceiveMessage, Scope, Send

from domains.kernel.json_depth import too_deep, too_deep_message

SCAN_LIMIT_BYTES = 1024 * 1024  # the app's request_max_body_size
NOT_JSON = (b"multipart/", b"application/x-www-form-urlencoded")


def _may_carry_json(scope: Scope) -> bool:
    if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = dict(scope["headers"]).get(b"content-type", b"").lower()
    return not content_type.startswith(NOT_JSON)


def json_depth_limit(app: ASGIApp) -> ASGIApp:
    """The middleware (see the module's docstring)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not _may_carry_json(scope):
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more, other = 0, True, None
        while more and size <= SCAN_LIMIT_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                other = message  # the client went away; the app hears it after what was read
                break
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if other is None and not more and too_deep(body):
            await _refuse(send, too_deep_message())
            return
        first: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": more}
        pending: list[ReceiveMessage] = [first]
        if other is not None:
            pending.append(other)

        async def replay() -> ReceiveMessage:
            return pending.pop(0) if pending else await receive()

        await app(scope, replay, send)

    return middleware


async def _refuse(send: Send, detail: str) -> None:
    body = msgspec.json.encode({"status_code": 422, "detail": detail})
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 422,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
