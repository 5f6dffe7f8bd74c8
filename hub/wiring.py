"""The one place that knows every layer: routes, socket handlers and event subscribers."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from hub.core import Hub
from web.auth import authenticate
from web.pages import api_docs
from web.routes.auth import AuthController, me
from web.routes.ops import health, readiness
from web.routes.organizations import OrganizationController
from web.routes.users import UserController

# Everything under /api/v1 needs a signed-in caller, except handlers marked `exclude_from_auth`.
API = Router(
    path="/api/v1",
    guards=[authenticate],
    route_handlers=[AuthController, me, UserController, OrganizationController],
)

PUBLIC: list[ControllerRouterHandler] = [health, readiness, api_docs]


def subscribe_all(hub: Hub) -> None:
    """Register the event subscribers (realtime broadcast, notifications...) on the hub's bus."""
    del hub  # subscribers arrive with the realtime and notification layers
