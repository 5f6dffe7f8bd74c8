"""`bot:ask {text}`: a traveler asks the assistant; the ack carries the reply and so does a `bot:reply` event
to every connection of the traveler (`user:<id>`), so their other tabs and devices show the conversation too."""

from __future__ import annotations

from ai.bot import bot_for
from realtime.connections import Ack, Connection
from realtime.schemas import AskBot
from realtime.server import Realtime


async def on_ask(rt: Realtime, connection: Connection, request: AskBot) -> Ack:
    reply = await bot_for(rt.hub).answer(connection.principal, request.text)
    body = reply.to_dict()
    await rt.emit("bot:reply", {"question": request.text, **body}, room=f"user:{connection.principal.user_id}")
    return body


def register(rt: Realtime) -> None:
    rt.on("bot:ask", lambda connection, request: on_ask(rt, connection, request), AskBot)
