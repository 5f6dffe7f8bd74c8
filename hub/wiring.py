"""The one place that knows every layer: routes, socket handlers and event subscribers."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from litestar import Router
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from ai.bot.assistant import Bot
from ai.encoder import Encoder
from ai.recommend.index import CatalogIndexes
from domains.alerts.events import AlertRaised
from domains.alerts.ports import AlertConfig, Online, nobody_online
from domains.assignments.events import StaffAssigned
from domains.catalog.events import CatalogItemAdded, CatalogItemChanged, CatalogItemRetired
from domains.itineraries.events import ItineraryChanged
from domains.kernel.rooms import user_room
from domains.kernel.runtime import Hub
from domains.kernel.storage import LocalStorage
from domains.notifications.alerts import AlertEscalation, AlertRouting
from domains.notifications.local_outbox import LocalOutbox
from domains.notifications.service import NotificationConfig
from domains.notifications.subscribers import OutboxSubscribers
from domains.reminders.events import ReminderSent
from domains.reminders.service import ReminderService
from domains.rooming.events import RoomingListUpdated
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.events import VoucherTransitioned
from hub.worker.outbox import outbox_jobs
from hub.worker.scheduler import Job
from realtime import bot, broadcast, chat, itinerary, rooms
from realtime.presence import PresenceStore, presence_store
from realtime.server import Realtime
from web.auth import authenticate
from web.deps import web_dependencies
from web.pages import api_docs
from web.routes.alerts import AlertController, alerts_page
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
        AlertController,
    ],
)

PUBLIC: list[ControllerRouterHandler] = [health, readiness, api_docs, *PAGES, alerts_page]


def notification_config(hub: Hub) -> NotificationConfig:
    """The settings the notification domain takes in its constructors."""
    return NotificationConfig(mail_domain=hub.settings.mail_domain, quiet_hours=hub.settings.quiet_hours)


def alert_config(hub: Hub) -> AlertConfig:
    return AlertConfig(escalate_after=timedelta(minutes=hub.settings.alert_escalation_minutes))


def who_is_online(presence: PresenceStore) -> Online:
    """The alerts' presence port: which users have a live connection, from this process's presence store
    (in Redis, every process's connections; embedded, this one's)."""

    async def online(user_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        return {user_id for user_id in user_ids if await presence.entries(user_room(user_id))}

    return online


def build_web_dependencies(hub: Hub, assistant: Assistant) -> dict[str, Provide]:
    """What route handlers receive: the per-request unit of work and services, and the per-process
    objects (file storage, the local outbox, voucher codes, notification settings, the assistant and the
    catalog indexes), built here once."""
    settings = hub.settings
    return web_dependencies(
        storage=LocalStorage(settings.files_dir),
        outbox=LocalOutbox(settings.outbox_dir),
        voucher_codes=VoucherCodes.from_secret(hub.tokens.secret),
        notification_config=notification_config(hub),
        assistant=assistant.bot,
        catalog_indexes=assistant.indexes,
    )


def build_jobs(hub: Hub) -> list[Job]:
    """The periodic work: chase missing data, escalate unacknowledged alerts, deliver the outbox."""

    async def send_reminders() -> None:
        async with hub.unit_of_work() as uow:
            await ReminderService(uow.session, uow.bus).send_due(hub.clock())

    async def escalate_alerts() -> None:
        async with hub.unit_of_work() as uow:
            await AlertEscalation(uow.session, uow.bus, alert_config(hub), notification_config(hub)).escalate_due(
                hub.clock()
            )

    return [
        Job("reminders", hub.settings.reminder_interval_seconds, send_reminders),
        Job("alerts", hub.settings.alert_interval_seconds, escalate_alerts),
        *outbox_jobs(hub, notification_config(hub)),
    ]


def subscribe(hub: Hub, online: Online = nobody_online) -> None:
    """Who reacts to which event, all in this file:

    - inside the unit of work, committed with the change or not at all: the notification outbox
      (`subscribe_notifications`, below) and the routing of alerts (`subscribe_alerts`), which asks
      `online` (the presence port, `who_is_online`) who of the group's staff is online;
    - after commit: the recommender's catalog index (`CatalogItemAdded/Changed/Retired`, in
      `build_assistant`: only a serving process holds one) and the sockets, which hear every event
      (`realtime.broadcast`, subscribed in `build_realtime`).
    """
    subscribe_notifications(hub)
    subscribe_alerts(hub, online)


def subscribe_alerts(hub: Hub, online: Online) -> None:
    """A raised alert is routed in its own transaction: in the app to whoever is online, else SMS and email."""
    routing = AlertRouting(alert_config(hub), notification_config(hub), online)
    hub.subscribers.subscribe_in_transaction(routing.alert_raised, AlertRaised)


def subscribe_notifications(hub: Hub) -> None:
    """The events that concern partners and staff queue their messages in the transaction that causes them."""
    outbox = OutboxSubscribers(notification_config(hub))
    in_transaction = hub.subscribers.subscribe_in_transaction
    in_transaction(outbox.assignment_requested, StaffAssigned)
    in_transaction(outbox.voucher_transitioned, VoucherTransitioned)
    in_transaction(outbox.rooming_list_updated, RoomingListUpdated)
    in_transaction(outbox.itinerary_changed, ItineraryChanged)
    in_transaction(outbox.partner_of_item_changed, ItineraryChanged)
    in_transaction(outbox.reminder_due, ReminderSent)


@dataclass(frozen=True, slots=True)
class Assistant:
    """The AI of one serving process, built once: the travelers' bot and the recommendation indexes, which
    share one sentence encoder (one model in memory, one cache)."""

    bot: Bot
    indexes: CatalogIndexes


def build_assistant(hub: Hub) -> Assistant:
    """The assistant and the catalog indexes it shares with the recommendation route; the indexes follow
    catalog changes right after they commit."""
    indexes = CatalogIndexes(hub, Encoder())
    hub.subscribers.subscribe(indexes.catalog_changed, CatalogItemAdded, CatalogItemChanged, CatalogItemRetired)
    return Assistant(Bot(hub, indexes), indexes)


def build_realtime(hub: Hub, assistant: Assistant) -> Realtime:
    """The Socket.IO server with every event handler, subscribed to the domain events it broadcasts."""
    realtime = Realtime(hub, presence=presence_store(hub))
    rooms.register(realtime)
    chat.register(realtime)
    itinerary.register(realtime)
    bot.register(realtime, assistant.bot)
    broadcast.subscribe(realtime)
    return realtime


async def warm_up(assistant: Assistant) -> None:
    """Load the assistant's models in the background at startup, so no traveler waits for them."""
    await assistant.bot.classifier()
