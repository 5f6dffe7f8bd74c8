"""Socket.IO packets decoded with bounds: an oversized or too deeply nested payload is never parsed.

python-socketio parses an event's JSON (`["chat:send", {...}]`) before any handler runs, so a payload
nested thousands of levels deep raised `RecursionError` inside the library: no ack, a traceback in the log.
Here the packet's JSON text is checked first. When it is too large or too deep, the event still reaches its
handler, with a `Refused` in place of the payload, and `Realtime.on` answers it with the error ack
(`payload_too_large`, `invalid`) on a connection that stays up.

Past the transport cap (`TRANSPORT_BUFFER_BYTES` in realtime/server.py) Engine.IO refuses the message
before it becomes a packet: see docs/realtime.md "Payload limits".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from socketio.packet import Packet

from domains.kernel.errors import DomainError, Invalid, TooLarge
from domains.kernel.json_depth import too_deep, too_deep_message

# The event name at the head of an event packet's JSON: `["chat:send", ...`.
_EVENT_NAME = re.compile(r'\s*\[\s*"([^"\\]{1,100})"')


@dataclass(frozen=True, slots=True)
class Refused:
    """What an event handler receives instead of a payload that was not decoded, and why."""

    error: DomainError


class _BoundedJson:
    """The `json` module python-socketio's packets use, with the checks in front of `loads`."""

    limit = 64 * 1024  # set per server by `bounded_packet`
    max_chars = limit + 1024  # room for the event name and the framing

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return json.dumps(*args, **kwargs)

    @classmethod
    def loads(cls, text: str, *args: Any, **kwargs: Any) -> Any:
        if len(text) > cls.max_chars:  # characters: each is at least one byte of the payload
            return _refused(text, TooLarge(f"the payload is larger than {cls.limit} bytes"))
        if too_deep(text):
            return _refused(text, Invalid(too_deep_message()))
        return json.loads(text, *args, **kwargs)


def _refused(text: str, error: DomainError) -> list[Any]:
    """The event as python-socketio dispatches it: its name, then a `Refused` for its payload. Without a
    readable name there is no handler to answer, and the packet is dropped like an unknown event."""
    found = _EVENT_NAME.match(text[:200])
    return [found.group(1), Refused(error)] if found else ["\x00unreadable"]


def bounded_packet(max_payload_bytes: int) -> type[Packet]:
    """A packet class for `socketio.AsyncServer(serializer=...)` that refuses payloads larger than
    `max_payload_bytes` (with a little room for the event name and framing) or nested too deeply."""

    class BoundedJson(_BoundedJson):
        limit = max_payload_bytes
        max_chars = max_payload_bytes + 1024

    class BoundedPacket(Packet):  # type: ignore[misc]  # python-socketio is untyped
        json = BoundedJson

    return BoundedPacket
