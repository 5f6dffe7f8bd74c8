"""The web app's pages: server-rendered shells that small ES modules fill from the API (docs/web.md).

Pages are outside `/api/v1`: they read the `hub_session` cookie themselves, and send anyone without a
valid one to `/signin?next=<where they were going>`. A page only decides who may see it and hands the
template what it needs to start; the data comes from the API, so pages and API share one set of rules.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from litestar import MediaType, Request, Response, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domains.auth.service import AuthService, Identity
from domains.conversations.access import RoomAccess
from domains.groups.lifecycle import STATUSES
from domains.kernel.errors import Forbidden, Invalid, NotFound, Unauthenticated
from domains.kernel.lookup import get_scoped
from domains.kernel.runtime import Hub
from domains.kernel.security import OFFICE_ROLES, SESSION_COOKIE, Role
from domains.models import Group
from web.deps import HubDep
from web.routes.web_session import HOME_BY_ROLE

Req = Request[Any, Any, Any]
# Personal pages must never be served from a shared or back/forward cache to the next person.
NO_STORE = {"Cache-Control": "no-store"}
FIELD_AND_TRAVELERS = frozenset({Role.GUIDE, Role.DRIVER, Role.TRAVELER})


# A `next` is a path (and query) of this site in plain URL characters: no scheme, no host, no second slash or
# backslash after the first (browsers read `//host` and `/\\host` as another site), no spaces or control
# characters (browsers drop tabs and newlines, so `/<TAB>/evil.example` becomes `//evil.example`), no fragment.
NEXT_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")
NEXT_MAX_CHARS = 2000
STAND_IN_ORIGIN = "https://hub.invalid"


def safe_next(target: str | None) -> str | None:
    """Where to go after signing in: `target` when it is exactly a path on this site, else None (the caller then
    uses the person's start page). Decided here, on the server; the page's script only follows it."""
    if not target or len(target) > NEXT_MAX_CHARS or not NEXT_PATH.fullmatch(target):
        return None
    # Resolved the way a browser resolves it against our origin, it must stay there, unchanged: no dot segments.
    path = urlsplit(target).path
    resolved = urlsplit(urljoin(STAND_IN_ORIGIN + "/", target))
    if f"{resolved.scheme}://{resolved.netloc}" != STAND_IN_ORIGIN or resolved.path != path or "//" in path:
        return None
    return target


def signin_redirect(request: Req) -> Redirect:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/signin?next={quote(here, safe='/')}", headers=NO_STORE)


async def page_identity(request: Req, hub: Hub) -> Identity | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        async with hub.unit_of_work() as uow:
            return await AuthService(uow.session, uow.bus, hub.tokens).identify(token)
    except Unauthenticated:
        return None


def user_view(identity: Identity) -> dict[str, str]:
    user = identity.user
    return {"id": str(user.id), "name": user.name, "role": user.role, "home": HOME_BY_ROLE.get(user.role, "/")}


def render(name: str, identity: Identity | None, status_code: int = 200, **context: Any) -> Template:
    return Template(
        template_name=name,
        context={"user": user_view(identity) if identity else None, **context},
        status_code=status_code,
        headers=NO_STORE,
        media_type=MediaType.HTML,
    )


def refused(identity: Identity, message: str, status_code: int = 403) -> Template:
    return render("refused.html", identity, status_code=status_code, message=message, title="Not available")


async def signed_in_page(request: Req, hub: Hub, allowed: AbstractSet[Role] | None) -> Identity | Redirect | Template:
    identity = await page_identity(request, hub)
    if identity is None:
        return signin_redirect(request)
    if identity.totp_enrollment_required:
        # Staff of an organization that requires two-factor sign-in enrol before anything else.
        return render("enrol.html", identity, title="Set up two-factor sign-in")
    if allowed is not None and identity.principal.role not in allowed:
        return refused(identity, "This page is not part of your role. Use the links above.")
    return identity


@get("/", include_in_schema=False)
async def home(request: Req, hub: HubDep) -> Redirect:
    """Each role has a start page: the board for the office, "my trips" for guides, drivers and travelers."""
    identity = await page_identity(request, hub)
    if identity is None:
        return Redirect("/signin", headers=NO_STORE)
    return Redirect(HOME_BY_ROLE.get(identity.user.role, "/signin"), headers=NO_STORE)


@get("/signin", include_in_schema=False)
async def signin(request: Req, hub: HubDep) -> Redirect | Template:
    target = safe_next(request.query_params.get("next"))
    identity = await page_identity(request, hub)
    if identity is not None:
        return Redirect(target or HOME_BY_ROLE.get(identity.user.role, "/"), headers=NO_STORE)
    return render(
        "signin.html",
        None,
        title="Sign in",
        next=target or "",
        expired=request.query_params.get("expired") == "1",
        signed_out=request.query_params.get("signed_out") == "1",
    )


@get("/signout", include_in_schema=False)
async def signout() -> Template:
    """The page's script posts the logout (a write, so it carries the CSRF token), then opens /signin."""
    return render("signout.html", None, title="Signing out")


@get("/board", include_in_schema=False)
async def board_page(request: Req, hub: HubDep) -> Redirect | Template:
    identity = await signed_in_page(request, hub, OFFICE_ROLES)
    if not isinstance(identity, Identity):
        return identity
    today = hub.clock().date().isoformat()
    statuses = [status for status in STATUSES if status != "cancelled"]  # the board leaves cancelled groups out
    return render("board.html", identity, title="Dispatch board", today=today, statuses=statuses)


@get("/partner", include_in_schema=False)
async def partner_page(request: Req, hub: HubDep) -> Redirect | Template:
    identity = await signed_in_page(request, hub, {Role.PARTNER})
    if not isinstance(identity, Identity):
        return identity
    return render("partner.html", identity, title="Vouchers")


@get("/me", include_in_schema=False)
async def me_page(request: Req, hub: HubDep) -> Redirect | Template:
    identity = await signed_in_page(request, hub, FIELD_AND_TRAVELERS)
    if not isinstance(identity, Identity):
        return identity
    return render("me.html", identity, title="My trip")


@get("/groups/{group_id:str}", include_in_schema=False)
async def group_page(group_id: FromPath[str], request: Req, hub: HubDep) -> Redirect | Template:
    """A group's room, for the people who may join `group:<id>` (the same rule as the socket join)."""
    identity = await signed_in_page(request, hub, None)
    if not isinstance(identity, Identity):
        return identity
    try:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            key = await RoomAccess(uow.session).check_join(identity.principal, f"group:{group_id}")
            assert key.id is not None
            group = await get_scoped(uow.session, Group, key.id, "group")
    except (Forbidden, Invalid, NotFound):
        # One answer for "no such group" and "not yours", so ids of other groups cannot be probed.
        return refused(identity, "This group does not exist or is not one of yours.", status_code=404)
    return render("group.html", identity, title=group.name, group=group_view(group))


def group_view(group: Group) -> dict[str, Any]:
    return {
        "id": str(group.id),
        "number": group.number,
        "name": group.name,
        "status": group.status,
        "start_date": group.start_date.isoformat(),
        "end_date": group.end_date.isoformat(),
        "timezone": group.timezone,
        "cities": list(group.cities or []),
    }


@get("/favicon.ico", include_in_schema=False, media_type="image/svg+xml")
async def favicon() -> Response[bytes]:
    # Browsers ask for it on every first visit; an answer keeps the logs free of 404s.
    return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#1f5f8b"/></svg>'
)

PAGES = [home, signin, signout, board_page, partner_page, me_page, group_page, favicon]
