"""`bot:ask {text}`: a traveler asks the assistant; the ack carries the reply and so does a `bot:reply` event
to every connection of the traveler (`user:<id>`), so their other tabs and devices show the conversation too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ai.bot.assistant import Bot

if TYPE_CHECKING:
    from realtime.server import Ack, Connection, Realtime


async def on_ask(rt: Realtime, assistant: Bot, connection: Connection, data: dict[str, Any]) -> Ack:
    reply = await assistant.answer(connection.principal, data.get("text"))
    body = reply.to_dict()
    await rt.emit("bot:reply", {"question": data.get("text"), **body}, room=f"user:{connection.principal.user_id}")
    return body


def register(rt: Realtime, assistant: Bot) -> None:
    """`assistant`: the process's one assistant (built by the wiring), shared with the HTTP route."""
    rt.on("bot:ask", lambda connection, data: on_ask(rt, assistant, connection, data))
