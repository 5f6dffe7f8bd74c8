from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, PrimaryKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class RoomSequence(OrgScoped, Base):
    """The last seq handed out in a room; one UPDATE per event takes the row lock and serializes writers.

    Keyed by organization and room: every organization's `board:dispatch` is a room of its own, counting
    from 1, so no operator learns how many messages another posted."""

    __tablename__ = "room_sequences"
    __table_args__ = (PrimaryKeyConstraint("org_id", "room"),)

    room: Mapped[str] = mapped_column(String(80))
    last_seq: Mapped[int] = mapped_column(default=0)


class RoomEvent(OrgScoped, Base):
    """The room's log: everything a member must see, in order. Rejoining replays it from `since`."""

    __tablename__ = "room_events"
    __table_args__ = (UniqueConstraint("org_id", "room", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    room: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatMessage(OrgScoped, Base):
    """A chat message as it stands now (edits and deletions applied)."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("room", "author_id", "client_id"),
        Index("ix_chat_messages_room_seq", "room", "seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    room: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int]
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text)
    file_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class RoomRead(OrgScoped, Base):
    """How far a user has read in a room."""

    __tablename__ = "room_reads"

    room: Mapped[str] = mapped_column(String(80), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedFile(OrgScoped, Base):
    """A file shared in a room; the bytes live content-addressed in storage under `sha256`."""

    __tablename__ = "shared_files"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    room: Mapped[str] = mapped_column(String(80), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
