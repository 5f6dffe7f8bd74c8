"""Domain event names → Socket.IO event names, for live broadcasts and replays alike."""

from __future__ import annotations

from typing import Any

WIRE_NAMES = {
    "message.posted": "chat:message",
    "message.edited": "chat:updated",
    "message.deleted": "chat:updated",
    "file.shared": "file:shared",
    "bot.handoff": "bot:handoff",
}


def wire_name(domain_name: str) -> str:
    return WIRE_NAMES.get(domain_name) or domain_name.replace(".", ":")


def wire_event(domain_name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A replayed event carries its wire name, so clients handle it exactly like the live one."""
    return {"event": wire_name(domain_name), **payload}
