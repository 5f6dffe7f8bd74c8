"""What clients send on each socket event, decoded at the door (`Realtime.on(..., schema=...)`) the way
HTTP bodies are. Unknown keys are ignored, as they always were; the domain checks what only it can know
(who may do what, whether a text is blank)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, TypeVar, overload

import msgspec
from msgspec import Meta

from domains.conversations.service import MAX_CLIENT_ID
from domains.itineraries.schemas import ClientOpId, Op
from domains.kernel.errors import Invalid

T = TypeVar("T")

# Seqs, `since`, `before_seq`, `limit`: non-negative and at most what an INTEGER column holds (PostgreSQL's is
# 32-bit), so `since: 2**63` is `invalid` with the field named rather than an overflow in the database driver.
MAX_INT = 2**31 - 1
NonNegative = Annotated[int, Meta(ge=0, le=MAX_INT)]
ClientId = Annotated[str, Meta(min_length=1, max_length=MAX_CLIENT_ID)]


class InRoom(msgspec.Struct):
    """`room:leave`, `presence:typing`: an event about a room the connection joined."""

    room: str


class JoinRoom(msgspec.Struct):
    room: str
    since: NonNegative | None = None  # the last seq the client has; what came after is replayed


class SetStatus(msgspec.Struct):
    status: Literal["online", "away"]


class SendMessage(msgspec.Struct):
    room: str
    client_id: ClientId  # the client's own id for the message: a resend stores nothing twice
    text: str


class EditMessage(msgspec.Struct):
    room: str
    message_id: uuid.UUID
    text: str


class DeleteMessage(msgspec.Struct):
    room: str
    message_id: uuid.UUID


class MarkRead(msgspec.Struct):
    room: str
    seq: NonNegative


class HistoryPage(msgspec.Struct):
    room: str
    before_seq: NonNegative | None = None
    limit: NonNegative | None = None


class ApplyOp(msgspec.Struct):
    group_id: uuid.UUID
    client_op_id: ClientOpId
    base_seq: NonNegative  # the last seq the client had applied when it made the op
    op: Op


class AskBot(msgspec.Struct):
    text: str


@overload
def decoded(data: object, schema: type[T]) -> T: ...
@overload
def decoded(data: object, schema: Any) -> Any: ...
def decoded(data: object, schema: Any) -> Any:
    """`data` as `schema` (a struct, or a union such as `Op`), or `invalid` naming what does not fit,
    e.g. "Expected `int`, got `str` - at `$.seq`"."""
    try:
        return msgspec.convert(data, schema)
    except msgspec.ValidationError as exc:
        raise Invalid(str(exc)) from None
