"""`chat:*` events: thin adapters over ConversationService."""

from __future__ import annotations

import msgspec

from domains.conversations.service import ConversationService
from realtime.connections import Ack, Connection
from realtime.schemas import DeleteMessage, EditMessage, HistoryPage, MarkRead, SendMessage
from realtime.server import Realtime

DEFAULT_PAGE = 50


async def on_send(rt: Realtime, connection: Connection, request: SendMessage) -> Ack:
    room = connection.joined(request.room)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).post_message(
            connection.principal, connection.name, room, request.client_id, request.text
        )
    return {"message": msgspec.to_builtins(message)}


async def on_history(rt: Realtime, connection: Connection, request: HistoryPage) -> Ack:
    room = connection.joined(request.room)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        messages = await ConversationService(uow.session, uow.bus).history(
            room, request.before_seq, request.limit or DEFAULT_PAGE
        )
    return {
        "room": room,
        "messages": msgspec.to_builtins(messages),
        "has_more": bool(messages) and messages[0].seq > 1,
    }


async def on_edit(rt: Realtime, connection: Connection, request: EditMessage) -> Ack:
    room = connection.joined(request.room)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).edit_message(
            connection.principal, room, request.message_id, request.text
        )
    return {"message": msgspec.to_builtins(message)}


async def on_delete(rt: Realtime, connection: Connection, request: DeleteMessage) -> Ack:
    room = connection.joined(request.room)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).delete_message(
            connection.principal, room, request.message_id
        )
    return {"message": msgspec.to_builtins(message)}


async def on_read(rt: Realtime, connection: Connection, request: MarkRead) -> Ack:
    room = connection.joined(request.room)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        seq = await ConversationService(uow.session, uow.bus).mark_read(connection.principal, room, request.seq)
    return {"room": room, "seq": seq}


def register(rt: Realtime) -> None:
    rt.on("chat:send", lambda connection, request: on_send(rt, connection, request), SendMessage)
    rt.on("chat:history", lambda connection, request: on_history(rt, connection, request), HistoryPage)
    rt.on("chat:edit", lambda connection, request: on_edit(rt, connection, request), EditMessage)
    rt.on("chat:delete", lambda connection, request: on_delete(rt, connection, request), DeleteMessage)
    rt.on("chat:read", lambda connection, request: on_read(rt, connection, request), MarkRead)
