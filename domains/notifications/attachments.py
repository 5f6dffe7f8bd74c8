"""Attachments rendered when a message is delivered, so they show the latest state (a rooming list)."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import HotelRoom, Participant, RoomingList, RoomOccupant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


async def render_attachment(session: AsyncSession, reference: dict[str, Any] | None) -> Attachment | None:
    if not reference or reference.get("kind") != "rooming_list":
        return None
    rooming_list = await session.get(RoomingList, uuid.UUID(str(reference["id"])))
    if rooming_list is None:
        return None
    rows = await session.execute(
        select(HotelRoom.label, HotelRoom.room_type, HotelRoom.notes, Participant.name)
        .outerjoin(RoomOccupant, RoomOccupant.room_id == HotelRoom.id)
        .outerjoin(Participant, Participant.id == RoomOccupant.participant_id)
        .where(HotelRoom.rooming_list_id == rooming_list.id)
        .order_by(HotelRoom.position, Participant.name)
    )
    table = [(label, room_type, name or "", notes) for label, room_type, notes, name in rows.all()]
    safe = "".join(c if c.isalnum() else "-" for c in rooming_list.hotel_name).strip("-") or "hotel"
    return Attachment(f"rooming-list-{safe}.xlsx", XLSX, _workbook(rooming_list.hotel_name, table))


def _workbook(title: str, table: list[tuple[str, str, str, str]]) -> bytes:
    # openpyxl ships no type hints (no stub package installed).
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = "Rooming list"
    sheet.append([title])
    sheet.append(["Room", "Type", "Guest", "Notes"])
    for row in table:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
