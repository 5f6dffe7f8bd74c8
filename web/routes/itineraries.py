"""`/api/v1/groups/{id}/itinerary`: snapshot (now or `at_seq`), history, restore, exports.

Members of the group room may read (travelers of the group included); staff who may edit may restore.
Live edits travel over Socket.IO (`itinerary:op`, see docs/realtime.md). Exports render in a worker thread,
so a big one never stalls the event loop, and are refused (413) past a size bound.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from anyio import to_thread
from litestar import Controller, MediaType, Response, get, patch, post
from litestar.params import FromPath, JSONBody

from domains.itineraries import exports
from domains.itineraries.schemas import HistoryEntry, ItineraryOut, ItinerarySettings, RestoreRequest
from web.deps import HubDep, IdentityDep, ServicesDep
from web.guards import OFFICE, enrolled
from web.params import OptionalQueryInt, QueryInt

GroupId = FromPath[uuid.UUID]


def _download(name: str, extension: str) -> dict[str, str]:
    safe = "".join(char if char.isalnum() or char in "-_" else "-" for char in name)[:60] or "itinerary"
    return {"Content-Disposition": f'attachment; filename="{safe}-itinerary.{extension}"'}


class ItineraryController(Controller):
    path = "/groups/{group_id:uuid}"
    tags = ["itineraries"]
    guards = [enrolled]

    @get("/itinerary")
    async def get_itinerary(
        self, group_id: GroupId, identity: IdentityDep, services: ServicesDep, at_seq: OptionalQueryInt = None
    ) -> ItineraryOut:
        """The itinerary now (`seq`: rejoin the room with `since` = seq), or as it was at `at_seq`."""
        return await services.itineraries.snapshot(identity.principal, group_id, at_seq)

    @get("/itinerary/history")
    async def get_history(
        self,
        group_id: GroupId,
        identity: IdentityDep,
        services: ServicesDep,
        before_seq: OptionalQueryInt = None,
        limit: QueryInt = 50,
    ) -> list[HistoryEntry]:
        """Who changed what, when: newest first; page back with `before_seq` (limit ≤ 100)."""
        return await services.itineraries.history(identity.principal, group_id, before_seq, limit)

    @post("/itinerary/restore", status_code=200)
    async def restore(
        self, group_id: GroupId, data: JSONBody[RestoreRequest], identity: IdentityDep, services: ServicesDep
    ) -> dict[str, Any]:
        """Bring the itinerary back to how it was at `seq`: a `restore` op, broadcast like any other."""
        applied = await services.itineraries.restore(
            identity.principal, identity.user.name, group_id, data.seq, data.client_op_id
        )
        return msgspec.to_builtins(applied)  # type: ignore[no-any-return]

    @patch("/itinerary/settings", guards=[OFFICE])
    async def settings(
        self, group_id: GroupId, data: JSONBody[ItinerarySettings], identity: IdentityDep, services: ServicesDep
    ) -> ItineraryOut:
        """The travel speed (km/h) the gap check assumes between places; default 30."""
        return await services.itineraries.set_travel_speed(identity.principal, group_id, data.travel_speed_kmh)

    @get("/itinerary.json")
    async def export_json(self, group_id: GroupId, identity: IdentityDep, services: ServicesDep) -> Response[bytes]:
        itinerary = await services.itineraries.snapshot(identity.principal, group_id)
        return Response(
            await to_thread.run_sync(exports.as_json, itinerary),
            media_type=MediaType.JSON,
            headers=_download(itinerary.group_name, "json"),
        )

    @get("/itinerary.ics")
    async def export_ics(
        self, group_id: GroupId, identity: IdentityDep, hub: HubDep, services: ServicesDep
    ) -> Response[bytes]:
        """iCalendar: one event per timed item, in the group's time zone."""
        itinerary = await services.itineraries.snapshot(identity.principal, group_id)
        return Response(
            await to_thread.run_sync(exports.as_ics, itinerary, hub.clock()),
            media_type="text/calendar; charset=utf-8",
            headers=_download(itinerary.group_name, "ics"),
        )

    @get("/itinerary.html", media_type=MediaType.HTML)
    async def export_html(self, group_id: GroupId, identity: IdentityDep, services: ServicesDep) -> Response[bytes]:
        """A printable page (no scripts)."""
        itinerary = await services.itineraries.snapshot(identity.principal, group_id)
        return Response(await to_thread.run_sync(exports.as_html, itinerary), media_type=MediaType.HTML)
