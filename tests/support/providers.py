"""A local stand-in for Twilio's and SendGrid's HTTP APIs: it records every request the real clients send.

`behaviours` scripts the next answers ("ok", "500", "slow"); when empty, every request succeeds.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}

    def json(self) -> Any:
        return json.loads(self.body)


class RecordingProvider:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.behaviours: list[str] = []
        self.slow_seconds = 3.0
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with provider._lock:
                    behaviour = provider.behaviours.pop(0) if provider.behaviours else "ok"
                    provider.requests.append(
                        Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                if behaviour == "slow":
                    time.sleep(provider.slow_seconds)
                if behaviour == "500":
                    return self._answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
                if self.path.startswith("/2010-04-01/"):
                    sid = "SM" + secrets.token_hex(16)
                    return self._answer(201, {"sid": sid, "status": "queued", "body": "", "num_segments": "1"})
                self._answer(202, None, {"X-Message-Id": "msg" + secrets.token_hex(8)})

            def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = b"" if payload is None else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def sms(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/2010-04-01/")]

    def mail(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v3/mail/send"]


@contextmanager
def recording_provider() -> Iterator[RecordingProvider]:
    provider = RecordingProvider()
    thread = threading.Thread(target=provider.server.serve_forever, name="fake-provider", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()
