"""`chat:*` events: thin adapters over ConversationService."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domains.conversations.service import ConversationService
from realtime.rooms import joined_room, optional_int

if TYPE_CHECKING:
    from realtime.server import Ack, Connection, Realtime

DEFAULT_PAGE = 50


async def on_send(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).post_message(
            connection.principal,
            connection.name,
            room,
            data.get("client_id"),
            data.get("text"),
        )
    return {"message": message}


async def on_history(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    before = optional_int(data, "before_seq")
    limit = optional_int(data, "limit") or DEFAULT_PAGE
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        messages = await ConversationService(uow.session, uow.bus).history(room, before, limit)
    return {"room": room, "messages": messages, "has_more": bool(messages) and messages[0]["seq"] > 1}


async def on_edit(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).edit_message(
            connection.principal,
            room,
            data.get("message_id"),
            data.get("text"),
        )
    return {"message": message}


async def on_delete(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        message = await ConversationService(uow.session, uow.bus).delete_message(
            connection.principal, room, data.get("message_id")
        )
    return {"message": message}


async def on_read(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        seq = await ConversationService(uow.session, uow.bus).mark_read(connection.principal, room, data.get("seq"))
    return {"room": room, "seq": seq}


def register(rt: Realtime) -> None:
    rt.on("chat:send", lambda connection, data: on_send(rt, connection, data))
    rt.on("chat:history", lambda connection, data: on_history(rt, connection, data))
    rt.on("chat:edit", lambda connection, data: on_edit(rt, connection, data))
    rt.on("chat:delete", lambda connection, data: on_delete(rt, connection, data))
    rt.on("chat:read", lambda connection, data: on_read(rt, connection, data))
