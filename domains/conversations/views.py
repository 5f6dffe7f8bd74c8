"""What clients see of a chat message and a shared file (socket acks, room events, HTTP)."""

from __future__ import annotations

import msgspec

from domains.models import ChatMessage, SharedFile


class Author(msgspec.Struct):
    id: str
    name: str


class FileView(msgspec.Struct):
    id: str
    name: str
    size: int
    content_type: str
    url: str
    uploaded_by: str


class MessageView(msgspec.Struct):
    id: str
    room: str
    seq: int
    client_id: str
    author: Author
    kind: str
    text: str  # empty once deleted
    file: FileView | None
    created_at: str
    edited_at: str | None
    deleted: bool


def message_view(message: ChatMessage, file: SharedFile | None = None) -> MessageView:
    deleted = message.deleted_at is not None
    return MessageView(
        id=str(message.id),
        room=message.room,
        seq=message.seq,
        client_id=message.client_id,
        author=Author(id=str(message.author_id), name=message.author_name),
        kind=message.kind,
        text="" if deleted else message.text,
        file=file_view(file) if file is not None and not deleted else None,
        created_at=message.created_at.isoformat(),
        edited_at=message.edited_at.isoformat() if message.edited_at else None,
        deleted=deleted,
    )


def file_view(file: SharedFile) -> FileView:
    return FileView(
        id=str(file.id),
        name=file.name,
        size=file.size,
        content_type=file.content_type,
        url=f"/api/v1/files/{file.id}",
        uploaded_by=str(file.uploaded_by),
    )
