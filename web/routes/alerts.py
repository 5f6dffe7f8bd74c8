"""`/api/v1/alerts`: the alerts inbox of the group's staff (all groups for the office), and `/alerts`, its
screen. Acknowledging is idempotent: the second acknowledgement answers who acknowledged first."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from domains.alerts.schemas import AlertOut
from domains.auth.service import Identity
from domains.kernel.errors import Invalid
from domains.kernel.security import OFFICE_ROLES, Role
from web.deps import HubDep, IdentityDep, ServicesDep
from web.guards import STAFF
from web.routes.pages import render, signed_in_page


class AlertController(Controller):
    path = "/alerts"
    tags = ["alerts"]
    guards = [STAFF]

    @get("/")
    async def inbox(
        self,
        identity: IdentityDep,
        services: ServicesDep,
        show: FromQuery[str] = "open",
        group_id: FromQuery[uuid.UUID | None] = None,
    ) -> list[AlertOut]:
        """Alerts of the groups you work (every group for the office): `show=open` (default) or `all`,
        open ones first, newest first."""
        if show not in ("open", "all"):
            raise Invalid("show must be 'open' or 'all'")
        return await services.alerts.inbox(identity.principal, open_only=show == "open", group_id=group_id)

    @get("/{alert_id:uuid}")
    async def get_alert(self, alert_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep) -> AlertOut:
        return await services.alerts.get(identity.principal, alert_id)

    @post("/{alert_id:uuid}/acknowledge", status_code=200)
    async def acknowledge(
        self, alert_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> AlertOut:
        """Record that you have it in hand: who and when. Acknowledged already: the answer names who did."""
        return await services.alerts.acknowledge(identity.principal, alert_id)


@get("/alerts", include_in_schema=False)
async def alerts_page(request: Request[Any, Any, Any], hub: HubDep) -> Redirect | Template:
    """The alerts inbox for the office and for guides and drivers (of their groups)."""
    identity = await signed_in_page(request, hub, OFFICE_ROLES | {Role.GUIDE, Role.DRIVER})
    if not isinstance(identity, Identity):
        return identity
    return render("alerts.html", identity, title="Alerts")
