"""`bot:ask {text}`: a traveler asks the assistant; the ack carries the reply and so does a `bot:reply` event
to every connection of the traveler (`user:<id>`), so their other tabs and devices show the conversation too."""

from __future__ import annotations

from ai.bot.assistant import Bot
from domains.kernel.rooms import user_room
from realtime.connections import Ack, Connection
from realtime.schemas import AskBot
from realtime.server import Realtime


async def on_ask(rt: Realtime, assistant: Bot, connection: Connection, request: AskBot) -> Ack:
    reply = await assistant.answer(connection.principal, request.text)
    body = reply.to_dict()
    await rt.emit("bot:reply", {"question": request.text, **body}, room=user_room(connection.principal.user_id))
    return body


def register(rt: Realtime, assistant: Bot) -> None:
    """`assistant`: the process's one assistant (built by the wiring), shared with the HTTP route."""
    rt.on("bot:ask", lambda connection, request: on_ask(rt, assistant, connection, request), AskBot)
