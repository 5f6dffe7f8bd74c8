"""A bare python-socketio server with the hub's chat event names: no auth, no persistence, no presence.

`python -m bench.bare_server --port P` — the baseline the realtime benchmark measures next to the hub.
It runs on uvicorn with the same websocket implementation and Socket.IO settings as `python -m hub run`.
"""

from __future__ import annotations

import argparse
import itertools
import time
import uuid
from typing import Any

import socketio
import uvicorn

Ack = dict[str, Any]


def build_app() -> socketio.ASGIApp:
    sio = socketio.AsyncServer(async_mode="asgi", max_http_buffer_size=1024 * 1024)
    seqs: dict[str, itertools.count[int]] = {}

    async def join(sid: str, data: Any = None) -> Ack:
        room = data.get("room") if isinstance(data, dict) else None
        if not isinstance(room, str):
            return {"ok": False, "error": "invalid"}
        await sio.enter_room(sid, room)
        return {"ok": True, "room": room, "seq": 0, "members": [], "missed": [], "resync": False}

    async def leave(sid: str, data: Any = None) -> Ack:
        room = data.get("room") if isinstance(data, dict) else None
        if not isinstance(room, str):
            return {"ok": False, "error": "invalid"}
        await sio.leave_room(sid, room)
        return {"ok": True, "room": room}

    async def send(sid: str, data: Any = None) -> Ack:
        if not isinstance(data, dict) or not isinstance(data.get("room"), str):
            return {"ok": False, "error": "invalid"}
        room = data["room"]
        seq = next(seqs.setdefault(room, itertools.count(1)))
        message = {
            "id": str(uuid.uuid4()),
            "text": data.get("text"),
            "client_id": data.get("client_id"),
            "author": {"id": sid, "name": "bench"},
            "created_at": time.time(),
        }
        await sio.emit("chat:message", {"room": room, "seq": seq, "message": message}, room=room)
        return {"ok": True, "message": message}

    sio.on("room:join", join)
    sio.on("room:leave", leave)
    sio.on("chat:send", send)
    return socketio.ASGIApp(sio, socketio_path="socket.io")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--ws", default="websockets-sansio", help="uvicorn websocket implementation (the hub's)")
    parser.add_argument("--deflate", action="store_true", help="accept permessage-deflate (the hub does not)")
    args = parser.parse_args()
    uvicorn.run(
        build_app(),
        host=args.host,
        port=args.port,
        ws=args.ws,
        ws_per_message_deflate=args.deflate,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
