"""The one place that knows every layer: routes, socket handlers and event subscribers."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from hub.core import Hub
from realtime import broadcast, chat, rooms
from realtime.server import Realtime
from web.auth import authenticate
from web.pages import api_docs
from web.routes.auth import AuthController, me
from web.routes.files import FileController
from web.routes.groups import GroupController, get_participant
from web.routes.ops import health, readiness
from web.routes.organizations import OrganizationController
from web.routes.staff import AssignmentController, StaffController
from web.routes.users import UserController

# Everything under /api/v1 needs a signed-in caller, except handlers marked `exclude_from_auth`.
API = Router(
    path="/api/v1",
    guards=[authenticate],
    route_handlers=[
        AuthController,
        me,
        UserController,
        OrganizationController,
        GroupController,
        get_participant,
        StaffController,
        AssignmentController,
        FileController,
    ],
)

PUBLIC: list[ControllerRouterHandler] = [health, readiness, api_docs]


def build_realtime(hub: Hub) -> Realtime:
    """The Socket.IO server with every event handler, subscribed to the domain events it broadcasts."""
    realtime = Realtime(hub)
    rooms.register(realtime)
    chat.register(realtime)
    broadcast.subscribe(realtime)
    return realtime
