"""Chat in rooms: every message and room event gets the room's next seq before anyone hears of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import cache
from typing import Any, cast

import msgspec
from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from domains.conversations.events import (
    FileShared,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    RoomEventRecorded,
)
from domains.conversations.log import Replay, RoomLog
from domains.conversations.views import FileView, MessageView, file_view, message_view
from domains.kernel.bus import EventBus
from domains.kernel.db import dialect_insert, utcnow
from domains.kernel.errors import Forbidden, Invalid, NotFound
from domains.kernel.lookup import get_scoped
from domains.kernel.security import Principal
from domains.models import ChatMessage, RoomRead, SharedFile

MAX_TEXT = 4000
MAX_CLIENT_ID = 64
MAX_PAGE = 100
_MESSAGES = cast(Table, ChatMessage.__table__)


@cache
def _store_statement(
    dialect_insert: Callable[[Table], postgresql.Insert | sqlite.Insert],
) -> ReturningInsert[uuid.UUID]:
    """Store a message, or nothing when its client_id is taken; built once per dialect (chat's hot path)."""
    return (
        dialect_insert(_MESSAGES)
        .on_conflict_do_nothing(index_elements=[_MESSAGES.c.room, _MESSAGES.c.author_id, _MESSAGES.c.client_id])
        .returning(_MESSAGES.c.id)
    )


class ConversationService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def post_message(
        self, author: Principal, author_name: str, room: str, client_id: str, text: str
    ) -> MessageView:
        """Store a message once per `client_id`: a resend returns the stored message and announces nothing."""
        if not 0 < len(client_id) <= MAX_CLIENT_ID:
            raise Invalid(f"client_id must be a string of 1 to {MAX_CLIENT_ID} characters")
        if not text.strip():
            raise Invalid("text must be a non-empty string")
        if len(text) > MAX_TEXT:
            raise Invalid(f"text is longer than {MAX_TEXT} characters")
        message = await self._store(author, author_name, room, client_id, text, kind="text")
        return message_view(message, await self._file_of(message))

    async def share_file(self, author: Principal, author_name: str, room: str, file: SharedFile) -> FileView:
        """A shared file is a chat message of kind `file`, so it is in the room's history and replay."""
        self.session.add(file)
        await self.session.flush()
        await self._store(author, author_name, room, f"file:{file.id}", file.name, kind="file", file=file)
        return file_view(file)

    async def edit_message(self, author: Principal, room: str, message_id: uuid.UUID, text: str) -> MessageView:
        message = await self._own_message(author, room, message_id)
        if not text.strip() or len(text) > MAX_TEXT:
            raise Invalid(f"text must be 1 to {MAX_TEXT} characters")
        message.text = text
        message.edited_at = utcnow()
        view = message_view(message, await self._file_of(message))
        await self._record(MessageEdited, author, room, view)
        return view

    async def delete_message(self, author: Principal, room: str, message_id: uuid.UUID) -> MessageView:
        message = await self._own_message(author, room, message_id)
        message.deleted_at = message.deleted_at or utcnow()
        view = message_view(message)
        await self._record(MessageDeleted, author, room, view)
        return view

    async def history(self, room: str, before_seq: int | None, limit: int) -> list[MessageView]:
        """Messages as they stand now, newest page first, returned oldest-first."""
        limit = max(1, min(limit, MAX_PAGE))
        query = select(ChatMessage).where(ChatMessage.room == room)
        if before_seq is not None:
            query = query.where(ChatMessage.seq < before_seq)
        rows = (await self.session.execute(query.order_by(ChatMessage.seq.desc()).limit(limit))).scalars().all()
        files = await self._files_by_id([row.file_id for row in rows if row.file_id])
        return [message_view(row, files.get(row.file_id)) for row in reversed(rows)]

    async def replay(self, room: str, since: int | None) -> Replay:
        return await RoomLog(self.session, self.bus).replay(room, since)

    async def current_seq(self, room: str) -> int:
        return await RoomLog(self.session, self.bus).current_seq(room)

    async def mark_read(self, reader: Principal, room: str, seq: int) -> int:
        if seq < 0:
            raise Invalid("seq must be a non-negative integer")
        seq = min(seq, await self.current_seq(room))
        position = await self.session.get(RoomRead, (room, reader.user_id))
        if position is None:
            self.session.add(RoomRead(org_id=reader.org_id, room=room, user_id=reader.user_id, seq=seq))
        elif seq > position.seq:  # read positions only move forward
            position.seq, position.updated_at = seq, utcnow()
        return seq

    async def get_file(self, file_id: uuid.UUID) -> SharedFile:
        return await get_scoped(self.session, SharedFile, file_id, "file")

    async def _store(
        self,
        author: Principal,
        author_name: str,
        room: str,
        client_id: str,
        text: str,
        kind: str,
        file: SharedFile | None = None,
    ) -> ChatMessage:
        log = RoomLog(self.session, self.bus)
        seq = await log.next_seq(author.org_id, room)
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "org_id": author.org_id,
            "room": room,
            "seq": seq,
            "author_id": author.user_id,
            "author_name": author_name,
            "client_id": client_id,
            "kind": kind,
            "text": text,
            "file_id": file.id if file else None,
            "created_at": utcnow(),
        }
        # One statement stores the message or finds its client_id taken (a resend, or the same message racing in
        # from another connection); the stored one wins and this seq goes back unused.
        stored = await self.session.execute(_store_statement(dialect_insert(self.session)), values)
        if stored.scalar_one_or_none() is None:
            await log.give_back_seq(author.org_id, room)
            existing = await self._by_client_id(room, author.user_id, client_id)
            if existing is None:  # pragma: no cover - the conflict names a row that must exist
                raise Invalid("the message could not be stored")
            return existing
        message = ChatMessage(**values)  # not added to the session: the row is stored, this only presents it
        await log.record(
            MessagePosted if kind == "text" else FileShared,
            author.org_id,
            author.user_id,
            room,
            seq,
            {"message": msgspec.to_builtins(message_view(message, file))}
            | ({"file": msgspec.to_builtins(file_view(file))} if file else {}),
        )
        return message

    async def _record(self, kind: type[RoomEventRecorded], author: Principal, room: str, view: MessageView) -> None:
        """A change to a message is a room event carrying the message as it now stands (plain JSON, as stored)."""
        data = {"message": msgspec.to_builtins(view)}
        await RoomLog(self.session, self.bus).append(kind, author.org_id, author.user_id, room, data)

    async def _by_client_id(self, room: str, author_id: uuid.UUID, client_id: str) -> ChatMessage | None:
        return (
            await self.session.execute(
                select(ChatMessage).where(
                    ChatMessage.room == room, ChatMessage.author_id == author_id, ChatMessage.client_id == client_id
                )
            )
        ).scalar_one_or_none()

    async def _own_message(self, author: Principal, room: str, message_id: uuid.UUID) -> ChatMessage:
        message = await self.session.get(ChatMessage, message_id)
        if message is None or message.room != room or message.org_id != author.org_id:
            raise NotFound("message not found")
        if message.author_id != author.user_id:
            raise Forbidden("only the author may change a message")
        return message

    async def _file_of(self, message: ChatMessage) -> SharedFile | None:
        return await self.session.get(SharedFile, message.file_id) if message.file_id else None

    async def _files_by_id(self, ids: list[uuid.UUID]) -> dict[uuid.UUID | None, SharedFile]:
        if not ids:
            return {}
        rows = (await self.session.execute(select(SharedFile).where(SharedFile.id.in_(ids)))).scalars().all()
        return {row.id: row for row in rows}
