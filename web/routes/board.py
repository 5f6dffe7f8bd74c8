"""`/api/v1/board` and `/api/v1/groups/{id}/missing`: the dispatcher's live overview."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import msgspec
from litestar import Request, get
from litestar.params import FromPath, FromQuery

from domains.kernel.errors import Invalid
from domains.reminders.completeness import area_status, missing_for
from domains.views.board import BoardRow, board_rows, open_alerts
from realtime.server import Realtime
from web.deps import HubDep, ServicesDep
from web.guards import OFFICE
from web.routes.presenters import group_out

MAX_WINDOW_DAYS = 366


@get("/board", guards=[OFFICE], tags=["board"])
async def board(
    request: Request[Any, Any, Any],
    hub: HubDep,
    services: ServicesDep,
    date_from: FromQuery[date | None] = None,
    to: FromQuery[date | None] = None,
) -> dict[str, Any]:
    """Groups travelling in the window (default: the next 14 days) with completeness per area,
    the people assigned and whether each is online now, and their open alerts; `alerts` lists every
    open alert of the organization, whatever the window."""
    start = date_from or hub.clock().date()
    end = to or start + timedelta(days=14)
    if end < start or (end - start).days > MAX_WINDOW_DAYS:
        raise Invalid(f"the window must run forwards and span at most {MAX_WINDOW_DAYS} days")
    rows = await board_rows(services.session, start, end)
    realtime: Realtime = request.app.state.realtime
    online = await realtime.online({p["user_id"] for row in rows for p in row.people if p["user_id"]})
    today = hub.clock().date()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "alerts": msgspec.to_builtins(await open_alerts(services.session)),
        "groups": [
            {
                "group": group_out(row.group),
                "areas": row.areas,
                "missing": [item.view() for item in row.missing],
                "cadence": row.cadence(today),
                "people": [p | {"online": p["user_id"] in online} for p in row.people],
                "alerts": msgspec.to_builtins(row.alerts),
            }
            for row in rows
        ],
    }


@get("/groups/{group_id:uuid}/missing", guards=[OFFICE], tags=["board"])
async def group_missing(group_id: FromPath[uuid.UUID], hub: HubDep, services: ServicesDep) -> dict[str, Any]:
    """What the group still lacks, each item with its severity, and how often it is being chased."""
    group = await services.groups.get_group(group_id)
    items = (await missing_for(services.session, [group]))[group.id]
    row = BoardRow(group=group, missing=items)
    return {
        "group_id": str(group.id),
        "items": [item.view() for item in items],
        "areas": area_status(items),
        "cadence": row.cadence(hub.clock().date()),
    }
