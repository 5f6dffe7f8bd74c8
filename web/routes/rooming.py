"""Rooming lists per hotel: rooms, validation against the group, and CSV/XLSX import as a difference."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, JSONBody

from domains.kernel.errors import Invalid, TooLarge, UnsupportedType
from domains.rooming.importer import XLSX_TYPE, detect_kind, parse_rooming_file
from domains.rooming.schemas import (
    ImportResult,
    RoomIn,
    RoomingListCreate,
    RoomingListOut,
    RoomingListUpdate,
    RoomOut,
)
from domains.rooming.service import RoomingService, RoomingView
from web.deps import HubDep, IdentityDep, ServicesDep
from web.guards import OFFICE
from web.uploads import FilePart, boundary_of, file_chunks

IMPORT_MAX_BYTES = 2 * 1024 * 1024
CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "text/comma-separated-values"})


def rooming_out(view: RoomingView) -> RoomingListOut:
    rooming_list = view.rooming_list
    return RoomingListOut(
        id=str(rooming_list.id),
        group_id=str(rooming_list.group_id),
        voucher_id=str(rooming_list.voucher_id) if rooming_list.voucher_id else None,
        hotel_name=rooming_list.hotel_name,
        not_staying=list(rooming_list.not_staying),
        rooms=[
            RoomOut(
                id=str(room.id),
                room=room.label,
                room_type=room.room_type,
                occupants=[str(pid) for pid in occupants],
                notes=room.notes,
            )
            for room, occupants in view.rooms
        ],
        problems=view.problems,
        complete=not (view.problems.missing or view.problems.duplicates or view.problems.unknown),
    )


async def _read_upload(request: Request[Any, Any, Any]) -> tuple[bytes, str | None, str]:
    """The file's bytes, its name if any, and the declared media type (multipart or a raw body)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    part = FilePart()
    if media_type == "multipart/form-data":
        chunks = file_chunks(request.stream(), boundary_of(request.headers.get("content-type", "")), part)
    elif media_type in CSV_TYPES or media_type in (XLSX_TYPE, "application/octet-stream"):
        chunks = request.stream()
    else:
        raise UnsupportedType("send a CSV or XLSX file: multipart/form-data, text/csv or the XLSX media type")
    content = bytearray()
    async for chunk in chunks:
        content.extend(chunk)
        if len(content) > IMPORT_MAX_BYTES:
            raise TooLarge(f"rooming list files are limited to {IMPORT_MAX_BYTES // (1024 * 1024)} MB")
    return bytes(content), part.filename, media_type


class RoomingController(Controller):
    tags = ["rooming"]
    guards = [OFFICE]

    @post("/groups/{group_id:uuid}/rooming-lists")
    async def create(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[RoomingListCreate], services: ServicesDep
    ) -> RoomingListOut:
        rooming = services.rooming
        return rooming_out(await rooming.view((await rooming.create(group_id, data)).id))

    @get("/groups/{group_id:uuid}/rooming-lists")
    async def list_for_group(self, group_id: FromPath[uuid.UUID], services: ServicesDep) -> list[RoomingListOut]:
        rooming = services.rooming
        return [rooming_out(await rooming.view(row.id)) for row in await rooming.list_for_group(group_id)]

    @get("/rooming-lists/{list_id:uuid}")
    async def get_list(self, list_id: FromPath[uuid.UUID], services: ServicesDep) -> RoomingListOut:
        """The rooms, and `problems`: who is missing, in two rooms, or not in the group."""
        return rooming_out(await services.rooming.view(list_id))

    @patch("/rooming-lists/{list_id:uuid}")
    async def update(
        self, list_id: FromPath[uuid.UUID], data: JSONBody[RoomingListUpdate], services: ServicesDep
    ) -> RoomingListOut:
        """Hotel name, voucher, and who is knowingly not staying at this hotel."""
        rooming = services.rooming
        return rooming_out(await rooming.view((await rooming.update(list_id, data)).id))

    @put("/rooming-lists/{list_id:uuid}/rooms")
    async def replace_rooms(
        self, list_id: FromPath[uuid.UUID], data: JSONBody[list[RoomIn]], services: ServicesDep
    ) -> RoomingListOut:
        """The whole room plan; someone in two rooms (or not in the group) is refused with 422."""
        if len(data) > 1000:
            raise Invalid("a rooming list holds at most 1000 rooms")
        rooming = services.rooming
        return rooming_out(await rooming.view((await rooming.replace_rooms(list_id, data)).id))

    @post("/rooming-lists/{list_id:uuid}/import", status_code=200, request_max_body_size=IMPORT_MAX_BYTES + 65536)
    async def import_file(
        self, list_id: FromPath[uuid.UUID], request: Request[Any, Any, Any], identity: IdentityDep, hub: HubDep
    ) -> ImportResult:
        """The hotel's CSV/XLSX (room, room type, guest per row) applied as a difference; safe to repeat."""
        # Two short units of work instead of the request's one: the upload is read and parsed outside any
        # transaction, so a slow client never holds the database.
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            await RoomingService(uow.session, uow.bus).get_list(list_id)  # 404 before reading a whole upload
        content, filename, media_type = await _read_upload(request)
        kind = detect_kind(content, filename)
        if media_type == XLSX_TYPE and kind != "xlsx":
            raise Invalid("the body is not an XLSX workbook")
        # openpyxl is CPU-bound; parsing off the event loop keeps sockets responsive meanwhile.
        rows = await anyio.to_thread.run_sync(parse_rooming_file, content, kind)
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return await RoomingService(uow.session, uow.bus).import_rows(list_id, rows)
