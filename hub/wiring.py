"""The one place that knows every layer: routes, socket handlers and event subscribers."""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from ai.bot import bot_for
from ai.index import subscribe_catalog_index
from domains.kernel.runtime import Hub
from domains.reminders.service import ReminderService
from hub.worker.outbox import outbox_jobs, subscribe_notifications
from hub.worker.scheduler import Job
from realtime import bot, broadcast, chat, itinerary, rooms
from realtime.presence import presence_store
from realtime.server import Realtime
from web.auth import authenticate
from web.pages import api_docs
from web.routes.auth import AuthController, me
from web.routes.board import board, group_missing
from web.routes.bot import BotController
from web.routes.catalog import CatalogController
from web.routes.files import FileController
from web.routes.flights import FlightController
from web.routes.groups import GroupController, get_participant
from web.routes.itineraries import ItineraryController
from web.routes.notifications import NotificationSettingsController, OutboxController
from web.routes.ops import health, readiness
from web.routes.organizations import OrganizationController
from web.routes.pages import PAGES
from web.routes.recommendations import group_recommendations
from web.routes.rooming import RoomingController
from web.routes.staff import AssignmentController, StaffController
from web.routes.trips import group_team, my_trips
from web.routes.users import UserController
from web.routes.vouchers import GroupVoucherController, PartnerController, VoucherController
from web.routes.web_session import WebSessionController
from web.routes.webhooks import ProviderWebhooks

# Everything under /api/v1 needs a signed-in caller, except handlers marked `exclude_from_auth`.
API = Router(
    path="/api/v1",
    guards=[authenticate],
    route_handlers=[
        AuthController,
        WebSessionController,
        me,
        UserController,
        OrganizationController,
        GroupController,
        get_participant,
        StaffController,
        AssignmentController,
        FileController,
        board,
        group_missing,
        my_trips,
        group_team,
        FlightController,
        RoomingController,
        PartnerController,
        GroupVoucherController,
        ItineraryController,
        CatalogController,
        group_recommendations,
        VoucherController,
        OutboxController,
        NotificationSettingsController,
        ProviderWebhooks,
        BotController,
    ],
)

PUBLIC: list[ControllerRouterHandler] = [health, readiness, api_docs, *PAGES]


def build_jobs(hub: Hub) -> list[Job]:
    """The periodic work: chase missing data, deliver the outbox."""

    async def send_reminders() -> None:
        async with hub.unit_of_work() as uow:
            await ReminderService(uow.session, uow.bus).send_due(hub.clock())

    return [Job("reminders", hub.settings.reminder_interval_seconds, send_reminders), *outbox_jobs(hub)]


def subscribe(hub: Hub) -> None:
    """Subscribers: the notification outbox (inside the unit of work), the recommender's catalog index."""
    subscribe_notifications(hub)
    subscribe_catalog_index(hub)


def build_realtime(hub: Hub) -> Realtime:
    """The Socket.IO server with every event handler, subscribed to the domain events it broadcasts."""
    realtime = Realtime(hub, presence=presence_store(hub))
    rooms.register(realtime)
    chat.register(realtime)
    itinerary.register(realtime)
    bot.register(realtime)
    broadcast.subscribe(realtime)
    return realtime


async def warm_up(hub: Hub) -> None:
    """Load the assistant's models in the background at startup, so no traveler waits for them."""
    await bot_for(hub).classifier()
