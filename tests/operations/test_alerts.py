"""A traveler's emergency is kept as an alert until someone acknowledges it: told in the app to whoever of the
group's staff is online, else by SMS and email to the coordinator on duty, escalated to the next coordinator
and the dispatcher when nobody answers, once, whatever the number of processes. Reminders of missing data go
to whoever owes the data, never to travelers."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import CACHE_FILE, product_classifier
from domains.alerts.service import AlertService
from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.conversations.handoff import HandoffService
from domains.groups.schemas import BookingCreate, GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.bus import capture_events
from domains.kernel.db import utcnow
from domains.kernel.errors import Forbidden, NotFound
from domains.kernel.rooms import BOARD, user_room
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from domains.models import Alert, AlertDelivery, Group, Notification, Organization
from domains.notifications.alerts import AlertEscalation
from domains.reminders.events import ReminderSent
from domains.reminders.service import ReminderService
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import HotelVoucherCreate, PartnerCreate, RoomCount
from domains.vouchers.service import VoucherService
from hub.wiring import alert_config, build_jobs, notification_config, subscribe, who_is_online
from realtime.presence import Member, MemoryPresence
from tests.support.builders import Person, a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub

CARLA_PHONE = "+351912000006"
CORA_PHONE = "+351912000007"
ANA_PHONE = "+351912000001"
HELP = "Help! My wife fell and is bleeding"


@pytest.fixture(scope="session")
async def intents() -> IntentClassifier:
    """The product intent classifier from the hub's usual cache (var/ai), trained there on first use only."""
    return await asyncio.to_thread(product_classifier)


@dataclass
class Emergency:
    """Lisbon Spring: coordinator on duty Carla (phone and email), a second coordinator Cora, guide Ana,
    dispatcher Dana, traveler Tom."""

    org: Organization
    group: Group
    carla: Person
    cora: Person
    ana: Person
    dana: Person
    tom: Person


def principal(person: Person) -> Principal:
    return Principal(person.user.id, person.user.org_id, Role(person.user.role), uuid.uuid4())


async def an_emergency_world(hub: Hub) -> Emergency:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    cora = await a_person(hub, org, Role.COORDINATOR, "Cora")
    ana = await a_person(hub, org, Role.GUIDE, "Ana")
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    tom = await a_person(hub, org, Role.TRAVELER, "Tom")
    async with hub.unit_of_work(org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        start = date.today()
        group = await groups.create_group(
            org.id, GroupCreate(name="Lisbon Spring", start_date=start, end_date=start + timedelta(days=4))
        )
        staff = StaffService(uow.session, uow.bus)
        assignments = AssignmentService(uow.session, uow.bus)
        crew = [
            (StaffCreate(name="Carla", role="coordinator", phone=CARLA_PHONE, email=carla.email,
                         user_id=carla.user.id), "coordinator", True),
            (StaffCreate(name="Cora", role="coordinator", phone=CORA_PHONE, user_id=cora.user.id),
             "coordinator", False),
            (StaffCreate(name="Ana", role="guide", phone=ANA_PHONE, user_id=ana.user.id), "guide", True),
        ]  # fmt: skip
        for data, role, primary in crew:
            person = await staff.add_staff(org.id, data)
            await assignments.assign(
                group.id,
                AssignmentCreate(
                    staff_id=person.id, role=role, start_date=group.start_date, end_date=group.end_date,
                    primary=primary,
                ),
            )  # fmt: skip
        booking = await groups.add_booking(group.id, BookingCreate(reference="BK-ALERT"))
        await groups.add_participant(
            group.id, ParticipantCreate(name="Tom", user_id=tom.user.id, booking_id=booking.id)
        )
    return Emergency(org=org, group=group, carla=carla, cora=cora, ana=ana, dana=dana, tom=tom)


async def tom_asks_for_help(hub: Hub, world: Emergency) -> Alert:
    """What the assistant does with "Help! My wife fell and is bleeding": hand the conversation to the group."""
    async with hub.unit_of_work(world.group.org_id) as uow:
        await HandoffService(uow.session, uow.bus).hand_off(
            principal(world.tom), "Tom", world.group.id, "emergency",
            [{"from": "traveler", "text": HELP}, {"from": "bot", "text": "I've alerted your coordinator."}], "en",
        )  # fmt: skip
    async with hub.unit_of_work(world.group.org_id) as uow:
        return (await uow.session.execute(select(Alert).where(Alert.group_id == world.group.id))).scalar_one()


async def told(hub: Hub, alert: Alert) -> list[tuple[str, str, int]]:
    async with hub.unit_of_work(alert.org_id) as uow:
        rows = await uow.session.execute(
            select(AlertDelivery)
            .where(AlertDelivery.alert_id == alert.id)
            .order_by(AlertDelivery.level, AlertDelivery.name)
        )
        return [(row.name, row.channel, row.level) for row in rows.scalars()]


async def messages(hub: Hub, group: Group) -> list[tuple[str, str]]:
    """The alert's SMS and emails queued for this group, as (channel, address), sorted."""
    async with hub.unit_of_work(group.org_id) as uow:
        rows = await uow.session.execute(
            select(Notification.channel, Notification.recipient).where(
                Notification.group_id == group.id, Notification.category == "escalation.alert"
            )
        )
        return sorted((channel, recipient) for channel, recipient in rows.all())


async def escalate(hub: Hub, at: object) -> int:
    async with hub.unit_of_work() as uow:
        return await AlertEscalation(uow.session, uow.bus, alert_config(hub), notification_config(hub)).escalate_due(
            at  # type: ignore[arg-type]
        )


async def test_an_emergency_nobody_is_online_for_goes_to_the_coordinator_on_duty_then_escalates_once(
    private_hub: Hub,
) -> None:
    hub = private_hub  # the escalation job sweeps every organization: only this story's may be there
    subscribe(hub)  # as a process without sockets: nobody is online
    world = await an_emergency_world(hub)
    alert = await tom_asks_for_help(hub, world)
    assert (alert.kind, alert.reason, alert.traveler_name, alert.message) == ("emergency", "emergency", "Tom", HELP)
    assert alert.acknowledged_at is None and alert.level == 0

    # Nobody of the group is online: the coordinator on duty gets an SMS and an email, urgent (no quiet hours).
    assert await told(hub, alert) == [("Carla", "sms+email", 0)]
    assert await messages(hub, world.group) == sorted([("email", world.carla.email), ("sms", CARLA_PHONE)])
    async with hub.unit_of_work(world.group.org_id) as uow:
        sms = await uow.session.scalar(
            select(Notification).where(
                Notification.recipient == CARLA_PHONE, Notification.category == "escalation.alert"
            )
        )
    assert sms is not None and sms.urgent and sms.body.startswith("EMERGENCY ") and HELP in sms.body

    # Not yet due: nothing happens. Due: the next coordinator and the dispatcher, never Carla again.
    assert alert.next_escalation_at is not None
    assert await escalate(hub, alert.next_escalation_at - timedelta(seconds=1)) == 0
    due = alert.next_escalation_at
    assert await escalate(hub, due) == 1
    assert await escalate(hub, due) == 0  # the same instant again: that step is taken
    assert await told(hub, alert) == [("Carla", "sms+email", 0), ("Cora", "sms", 1), ("Dana", "email", 1)]
    # The next step finds nobody left to tell, and the alert stops escalating (it stays open on the board).
    assert await escalate(hub, due + alert_config(hub).escalate_after) == 0
    async with hub.unit_of_work(world.group.org_id) as uow:
        still = await uow.session.get(Alert, alert.id)
    assert still is not None and still.next_escalation_at is None and still.acknowledged_at is None
    expected = [("sms", CARLA_PHONE), ("sms", CORA_PHONE), ("email", world.carla.email), ("email", world.dana.email)]
    assert sorted(await messages(hub, world.group)) == sorted(expected)


async def test_whoever_of_the_staff_is_online_sees_it_in_the_app_and_no_sms_goes_out(private_hub: Hub) -> None:
    hub = private_hub
    presence = MemoryPresence()  # this process's presence store, as realtime keeps it
    subscribe(hub, online=who_is_online(presence))
    world = await an_emergency_world(hub)
    await presence.put(
        user_room(world.carla.user.id), "carla-laptop", Member(str(world.carla.user.id), "Carla", "online")
    )

    with capture_events(hub.subscribers) as events:
        alert = await tom_asks_for_help(hub, world)
    assert await told(hub, alert) == [("Carla", "in_app", 0)]
    assert await messages(hub, world.group) == []  # she saw it: no SMS, no email
    [raised] = [event for event in events if event.name == "alert.raised"]
    # The board, and each of the group's staff wherever they are signed in; never a traveler, never the group room.
    staff = {user_room(person.user.id) for person in (world.carla, world.cora, world.ana)}
    assert set(raised.audience) == {BOARD, *staff}

    # She did not acknowledge: the escalation skips her (she saw it) and tells Cora and the dispatcher.
    assert alert.next_escalation_at is not None
    assert await escalate(hub, alert.next_escalation_at) == 1
    assert [name for name, _, level in await told(hub, alert) if level == 1] == ["Cora", "Dana"]


async def test_two_processes_escalate_each_alert_once(private_hub: Hub) -> None:
    """Two hub processes' schedulers, each with its own engine on the same database, race over the same alerts."""
    hub = private_hub
    subscribe(hub)
    other = Hub(hub.settings)
    try:
        worlds = [await an_emergency_world(hub) for _ in range(3)]
        alerts = [await tom_asks_for_help(hub, world) for world in worlds]
        due = max(alert.next_escalation_at for alert in alerts if alert.next_escalation_at)
        results = await asyncio.gather(
            escalate(hub, due), escalate(other, due), escalate(hub, due), escalate(other, due)
        )
        assert sum(results) == 3
        for world, alert in zip(worlds, alerts, strict=True):
            assert [name for name, _, level in await told(hub, alert) if level == 1] == ["Cora", "Dana"]
            sent = await messages(hub, world.group)
            assert len(sent) == len(set(sent)) == 4  # Carla's SMS and email, Cora's SMS, Dana's email
            async with hub.unit_of_work(world.group.org_id) as uow:
                assert (await uow.session.get(Alert, alert.id)).level == 1  # type: ignore[union-attr]
    finally:
        await other.close()


async def test_the_scheduled_job_escalates_after_the_configured_time(private_hub: Hub) -> None:
    """`HUB_ALERT_ESCALATION_MINUTES=0`: the hub's own `alerts` job escalates on its next run."""
    hub = Hub(private_hub.settings.model_copy(update={"alert_escalation_minutes": 0}))
    try:
        subscribe(hub)
        world = await an_emergency_world(hub)
        alert = await tom_asks_for_help(hub, world)
        [job] = [job for job in build_jobs(hub) if job.name == "alerts"]
        await job.run()
        assert [name for name, _, level in await told(hub, alert) if level == 1] == ["Cora", "Dana"]
    finally:
        await hub.close()


async def test_acknowledging_records_who_and_when_once_and_stops_the_escalation(private_hub: Hub) -> None:
    hub = private_hub
    subscribe(hub)
    world = await an_emergency_world(hub)
    stranger = await a_person(hub, await an_organization(hub, "Porto Trips"), Role.COORDINATOR, "Sergio")
    alert = await tom_asks_for_help(hub, world)

    with capture_events(hub.subscribers) as events:
        async with hub.unit_of_work(world.group.org_id) as uow:
            first = await AlertService(uow.session, uow.bus).acknowledge(principal(world.ana), alert.id)
        async with hub.unit_of_work(world.group.org_id) as uow:
            second = await AlertService(uow.session, uow.bus).acknowledge(principal(world.dana), alert.id)
    assert first.acknowledged and first.acknowledged_by_name == "Ana" and first.acknowledged_at is not None
    assert (second.acknowledged_by_name, second.acknowledged_at) == ("Ana", first.acknowledged_at)
    assert [event.name for event in events if event.name.startswith("alert.")] == ["alert.acknowledged"]
    assert await escalate(hub, utcnow() + timedelta(days=1)) == 0

    for person, error in ((world.tom, Forbidden), (stranger, NotFound)):
        with pytest.raises(error):
            async with hub.unit_of_work(person.user.org_id) as uow:
                await AlertService(uow.session, uow.bus).acknowledge(principal(person), alert.id)


async def test_reminders_go_to_whoever_owes_the_data_and_never_to_travelers(private_hub: Hub) -> None:
    hub = private_hub
    subscribe(hub)
    world = await an_emergency_world(hub)  # travels today; Carla and Ana proposed, not confirmed; no driver
    async with hub.unit_of_work(world.group.org_id) as uow:
        vouchers = VoucherService(uow.session, uow.bus, VoucherCodes(b"k" * 32))
        hotel = await vouchers.add_partner(
            world.group.org_id, PartnerCreate(name="Hotel Avenida", kind="hotel", email="desk@avenida.example")
        )
        await vouchers.issue(
            world.group.id,
            HotelVoucherCreate(
                check_in=world.group.start_date, check_out=world.group.end_date,
                rooms=[RoomCount(type="double", count=1)], partner_id=hotel.id,
            ),
            world.carla.user.id,
        )  # fmt: skip

    with capture_events(hub.subscribers) as events:
        async with hub.unit_of_work() as uow:
            sent = await ReminderService(uow.session, uow.bus).send_due(utcnow())
    assert [reminder.group_id for reminder in sent] == [world.group.id]
    [reminder] = [event for event in events if isinstance(event, ReminderSent)]
    # Live, the group's staff and the board hear it; the group room, where its travelers are, does not.
    assert reminder.audience == (f"group:{world.group.id}#staff", BOARD)

    async with hub.unit_of_work(world.group.org_id) as uow:
        rows = (
            await uow.session.execute(
                select(Notification).where(
                    Notification.group_id == world.group.id, Notification.category == "reminder.missing_data"
                )
            )
        ).scalars()
        to = {row.recipient: row.body for row in rows}
    # Carla runs the group: the whole list. Ana owes her confirmation, the hotel its voucher. Tom nothing.
    assert set(to) == {world.carla.email, CORA_PHONE, ANA_PHONE, "desk@avenida.example"}
    hotel_mail = to["desk@avenida.example"]
    assert "not confirmed by the supplier" in hotel_mail and "no driver assigned" not in hotel_mail
    assert "missing 1 item(s)" in to[ANA_PHONE]


async def test_the_inbox_and_the_board_show_an_alert_until_it_is_acknowledged(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    world = await an_emergency_world(hub)
    alert = await tom_asks_for_help(hub, world)
    dana = bearer(await sign_in(http, world.dana))
    ana = bearer(await sign_in(http, world.ana))
    window = {"date_from": world.group.start_date.isoformat()}

    board = (await http.get("/api/v1/board", params=window, headers=dana)).json()
    assert str(alert.id) in [a["id"] for a in board["alerts"]]
    [row] = [row for row in board["groups"] if row["group"]["id"] == str(world.group.id)]
    assert [(a["kind"], a["traveler_name"], a["message"]) for a in row["alerts"]] == [("emergency", "Tom", HELP)]
    inbox = (await http.get("/api/v1/alerts", headers=ana)).json()
    assert [a["id"] for a in inbox] == [str(alert.id)]  # Ana works the group

    # A guide of another group sees none of it; a traveler may not ask; bad input is a 4xx.
    other = await a_tour_group(hub, "Porto Autumn", org=world.org)
    stranger = bearer(await sign_in(http, other.guide))
    assert (await http.get("/api/v1/alerts", headers=stranger)).json() == []
    tom = bearer(await sign_in(http, world.tom))
    assert (await http.get("/api/v1/alerts", headers=tom)).status_code == 403
    assert (await http.post(f"/api/v1/alerts/{alert.id}/acknowledge", headers=tom)).status_code == 403
    assert (await http.get("/api/v1/alerts", params={"show": "maybe"}, headers=ana)).status_code == 422
    assert (await http.post(f"/api/v1/alerts/{uuid.uuid4()}/acknowledge", headers=ana)).status_code == 404
    assert (await http.post("/api/v1/alerts/not-an-id/acknowledge", headers=ana)).status_code in (404, 422)

    first = await http.post(f"/api/v1/alerts/{alert.id}/acknowledge", headers=ana)
    assert first.status_code == 200 and first.json()["acknowledged_by_name"] == "Ana"
    again = await http.post(f"/api/v1/alerts/{alert.id}/acknowledge", headers=dana)
    assert again.status_code == 200 and again.json()["acknowledged_by_name"] == "Ana"
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]

    board = (await http.get("/api/v1/board", params=window, headers=dana)).json()
    assert str(alert.id) not in [a["id"] for a in board["alerts"]]
    assert (await http.get("/api/v1/alerts", headers=ana)).json() == []
    every = (await http.get("/api/v1/alerts", params={"show": "all"}, headers=ana)).json()
    assert [(a["id"], a["acknowledged_by_name"]) for a in every] == [(str(alert.id), "Ana")]


async def test_no_sms_when_the_coordinator_is_online_in_the_room(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub, intents: IntentClassifier
) -> None:
    """Through the real assistant and the real presence of the running hub (Redis in scale-out)."""
    intents.save(server.settings.data_dir / "ai" / CACHE_FILE)  # the hub's assistant loads it, no training
    world = await an_emergency_world(hub)
    carla, tom = LiveClient("carla"), LiveClient("tom")
    await carla.connect(server.url, (await sign_in(http, world.carla))["access_token"])
    await tom.connect(server.url, (await sign_in(http, world.tom))["access_token"])
    try:
        assert (await carla.join(f"group:{world.group.id}"))["ok"] and (await tom.join(f"group:{world.group.id}"))["ok"]
        asked = await http.post(
            "/api/v1/bot/messages", json={"text": HELP}, headers=bearer(await sign_in(http, world.tom))
        )
        assert asked.status_code == 200 and asked.json()["handoff"] is True, asked.text
        raised = await carla.wait_for("alert:raised")
        await carla.wait_for("bot:handoff")  # the room's own card, after which Tom's copy has arrived too
        await tom.wait_for("bot:handoff")
    finally:
        await carla.close()
        await tom.close()
    assert raised["alert"]["kind"] == "emergency" and raised["alert"]["message"] == HELP
    assert len(carla.received["alert:raised"]) == 1  # once: to her own room, not to each room she is in
    assert tom.received["alert:raised"] == []  # travelers never hear of alerts
    [alert] = (await http.get("/api/v1/alerts", headers=bearer(await sign_in(http, world.carla)))).json()
    assert [(d["name"], d["channel"]) for d in alert["deliveries"]] == [("Carla", "in_app")]
    assert await messages(hub, world.group) == []  # she saw it in the app: no SMS, no email
