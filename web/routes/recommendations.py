"""`GET /api/v1/groups/{id}/recommendations`: catalog items for a group, each with a one-line reason.

Who may see the group room may ask: office staff, the guides and drivers working the group, and the
group's own travelers (others get 403; another organization's group is 404). Query parameters are read
as text and checked here, so a bad value is a 422 with a message rather than a framework 400.
"""

from __future__ import annotations

import math
import uuid
from datetime import date

from litestar import get
from litestar.params import FromPath, FromQuery

from ai.recommend.recommendations import Recommendation, parse_time, recommend_for_group
from domains.itineraries.service import ItineraryService
from domains.kernel.errors import Invalid
from web.deps import CatalogIndexesDep, HubDep, IdentityDep
from web.guards import enrolled


def _int(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{name} must be a whole number") from None


def _price(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        price = float(value)
    except ValueError:
        raise Invalid("max_price must be a number") from None
    if not math.isfinite(price) or price < 0:
        raise Invalid("max_price must be a number ≥ 0")
    return price


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("date must be YYYY-MM-DD") from None


def _near(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lat, lng = (float(part) for part in value.split(","))
    except ValueError:
        raise Invalid("near must be 'lat,lng', like 38.7105,-9.1366") from None
    return lat, lng


@get("/groups/{group_id:uuid}/recommendations", guards=[enrolled], tags=["recommendations"])
async def group_recommendations(
    group_id: FromPath[uuid.UUID],
    identity: IdentityDep,
    hub: HubDep,
    catalog_indexes: CatalogIndexesDep,
    kind: FromQuery[str | None] = None,
    k: FromQuery[str | None] = None,
    city: FromQuery[str | None] = None,
    date: FromQuery[str | None] = None,
    time: FromQuery[str | None] = None,
    max_price: FromQuery[str | None] = None,
    near: FromQuery[str | None] = None,
) -> list[Recommendation]:
    """Best first: `kind` (tour|activity|restaurant|hotel), `k` (1-50, default 10), `city` (default: the
    group's cities), `date` (YYYY-MM-DD; default: the travel dates), `time` (HH:MM local; open then),
    `max_price` (per person), `near` ('lat,lng': within 3 km, closer first)."""
    principal = identity.principal
    async with hub.unit_of_work(principal.org_id) as uow:
        await ItineraryService(uow.session, uow.bus).group_for(principal, group_id)
    parse_time(time)  # a bad time is refused before any work
    return await recommend_for_group(
        catalog_indexes,
        principal.org_id,
        group_id,
        kind=kind or None,
        k=_int(k, "k", 10),
        city=city or None,
        on_date=_date(date),
        at_time=time or None,
        near=_near(near),
        max_price=_price(max_price),
    )
