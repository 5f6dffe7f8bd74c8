"""Diego drives for two operators, Lisbon Tours and Porto Trips. His texts reach the operator he texted,
about the request he answers, and only its staff: never the other operator, never the travelers.

Each operator may text from its own number (`PUT /api/v1/notifications/sms-sender`); the number a text
was sent to names the operator. Operators without a number share the hub's default sender.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.groups.schemas import ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.bus import capture_events
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Assignment, Organization, RoomEvent
from domains.notifications.senders import SenderDirectory
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from hub.worker.channels import build_channels
from hub.worker.outbox import deliver_pending
from tests.notifications.conftest import PUBLIC_URL, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN
from tests.support.builders import Person, a_person, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.notification_world import (
    LATER,
    LisbonStay,
    a_mobile,
    a_stay_with_driver_and_hotel,
    notifications_of,
)
from tests.support.providers import RecordingProvider
from tests.support.server import RunningHub

INBOUND = "/api/v1/notifications/twilio/inbound"


def a_landline() -> str:
    return f"+35122{secrets.randbelow(10**7):07d}"


async def texts(client: httpx.AsyncClient, sender: str, to: str, body: str) -> httpx.Response:
    form = {
        "From": sender,
        "To": to,
        "Body": body,
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": TWILIO_SID,
    }
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_URL}{INBOUND}", form)
    answer = await client.post(INBOUND, data=form, headers={"X-Twilio-Signature": signature})
    assert answer.status_code == 200, answer.text
    return answer


async def with_own_number(hub: Hub, org: Organization) -> str:
    number = a_landline()
    async with hub.unit_of_work(org.id) as uow:
        await SenderDirectory(uow.session, "mail.example").set_sms_number(org.id, number)
    return number


async def room_events(hub: Hub, org_id: uuid.UUID, kind: str = "notification.reply") -> list[RoomEvent]:
    async with hub.unit_of_work(org_id) as uow:
        query = select(RoomEvent).where(RoomEvent.type == kind).order_by(RoomEvent.id)
        return list((await uow.session.execute(query)).scalars())


async def status_of(hub: Hub, stay: LisbonStay) -> str:
    async with hub.unit_of_work(stay.org.id) as uow:
        assignment = await uow.session.get(Assignment, stay.assignment_id)
    assert assignment is not None
    return assignment.status


async def two_operators(office: Hub, *, own_numbers: bool) -> tuple[LisbonStay, LisbonStay, str, str]:
    """Lisbon asks Diego first, Porto later: Porto's request is the latest one to his phone."""
    phone = a_mobile()
    lisbon = await a_stay_with_driver_and_hotel(office, driver_phone=phone)
    porto = await a_stay_with_driver_and_hotel(office, driver_phone=phone)
    if not own_numbers:
        return lisbon, porto, TWILIO_FROM, TWILIO_FROM
    return lisbon, porto, await with_own_number(office, lisbon.org), await with_own_number(office, porto.org)


async def test_a_reply_to_one_operators_number_stays_with_that_operator_and_its_request(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    lisbon, porto, lisbon_number, _ = await two_operators(office, own_numbers=True)
    diego = lisbon.driver_phone

    late = await texts(client, diego, lisbon_number, "Running 10 min late, traffic on the bridge")
    yes = await texts(client, diego, lisbon_number, "YES")

    assert "<Message>" not in late.text and "Thank you Diego" in yes.text
    assert await status_of(office, lisbon) == "confirmed"
    assert await status_of(office, porto) == "proposed"  # Porto's later request was not the one answered
    [reply] = await room_events(office, lisbon.org.id)
    assert reply.room == f"group:{lisbon.group.id}" and reply.payload["text"].startswith("Running 10 min late")
    assert await room_events(office, porto.org.id) == []
    forwarded = [r for r in await notifications_of(office, lisbon.org.id) if r.category == "inbound.sms"]
    assert [r.recipient for r in forwarded] == [lisbon.coordinator.email]
    assert [r for r in await notifications_of(office, porto.org.id) if r.category == "inbound.sms"] == []


async def test_operators_sharing_the_default_sender_never_get_each_others_replies(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    lisbon, porto, _, _ = await two_operators(office, own_numbers=False)

    answer = await texts(client, lisbon.driver_phone, TWILIO_FROM, "yes, and my mother is in hospital")

    assert "cannot tell which one" in answer.text
    assert (await status_of(office, lisbon), await status_of(office, porto)) == ("proposed", "proposed")
    assert await room_events(office, lisbon.org.id) == [] and await room_events(office, porto.org.id) == []


async def test_a_text_that_answers_no_request_goes_to_that_operators_board_only(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    lisbon, porto, lisbon_number, _ = await two_operators(office, own_numbers=True)
    rita_phone = a_mobile()
    for stay in (lisbon, porto):  # Rita guides for both; nobody has asked her anything yet
        async with office.unit_of_work(stay.org.id) as uow:
            await StaffService(uow.session, uow.bus).add_staff(
                stay.org.id, StaffCreate(name="Rita", role="guide", phone=rita_phone)
            )
    dana = await a_person(office, lisbon.org, Role.DISPATCHER, "Dana")
    pedro = await a_person(office, porto.org, Role.DISPATCHER, "Pedro")
    boards = {
        name: await on_the_board(notifying, client, person) for name, person in (("dana", dana), ("pedro", pedro))
    }
    try:
        await texts(client, rita_phone, lisbon_number, "Free next week if you need me")
        heard = await boards["dana"].wait_for("notification:reply")
        # Pedro's board: a change of Porto's own, sent after Rita's text, arrives; Rita's text never does.
        await group_created(client, pedro)
        await boards["pedro"].wait_for("board:update")
    finally:
        for board in boards.values():
            await board.close()

    assert heard["room"] == "board:dispatch" and heard["text"] == "Free next week if you need me"
    assert heard["staff_name"] == "Rita" and heard["seq"] == 1
    assert boards["pedro"].received["notification:reply"] == []
    assert [e.room for e in await room_events(office, lisbon.org.id)] == ["board:dispatch"]
    assert await room_events(office, porto.org.id) == []
    office_mail = [r.recipient for r in await notifications_of(office, lisbon.org.id) if r.category == "inbound.sms"]
    assert sorted(office_mail) == sorted([lisbon.coordinator.email, dana.email])


async def test_a_reply_in_a_group_room_is_for_its_staff_travelers_replay_only_its_seq(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    lisbon, _, lisbon_number, _ = await two_operators(office, own_numbers=True)
    tom = await a_person(office, lisbon.org, Role.TRAVELER, "Tom")
    async with office.unit_of_work(lisbon.org.id) as uow:
        await GroupService(uow.session, uow.bus).add_participant(
            lisbon.group.id, ParticipantCreate(name="Tom", user_id=tom.user.id)
        )

    with capture_events(notifying.hub.subscribers) as events:
        await texts(client, lisbon.driver_phone, lisbon_number, "My mother is in hospital, can someone cover?")
    room = f"group:{lisbon.group.id}"
    replays = {}
    for person in (tom, lisbon.coordinator):
        watcher = LiveClient(person.user.name)
        await watcher.connect(notifying.url, (await sign_in(client, person))["access_token"])
        try:
            replays[person.user.name] = (await watcher.join(room, since=0))["missed"]
        finally:
            await watcher.close()

    [reply] = [e for e in events if e.name == "notification.reply"]
    assert reply.audience == (f"{room}#staff",)
    [carla_sees] = replays["Carla"]
    assert carla_sees["text"] == "My mother is in hospital, can someone cover?"
    assert carla_sees["phone"] == lisbon.driver_phone
    [tom_sees] = replays["Tom"]
    assert tom_sees["seq"] == carla_sees["seq"] and "text" not in tom_sees and "phone" not in tom_sees  # its place only
    assert "hospital" not in str(tom_sees) and lisbon.driver_phone not in str(tom_sees)


async def test_an_admin_gives_the_operator_its_own_number(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    lisbon, porto, _, _ = await two_operators(office, own_numbers=False)
    alex, paula = bearer(await sign_in(client, lisbon.admin)), bearer(await sign_in(client, porto.admin))
    carla = bearer(await sign_in(client, lisbon.coordinator))
    number, path = a_landline(), "/api/v1/notifications/sms-sender"

    before = await client.get(path, headers=alex)
    bad = await client.put(path, json={"number": "call me"}, headers=alex)
    own = await client.put(path, json={"number": number.replace("+351", "+351 ")}, headers=alex)
    taken = await client.put(path, json={"number": number}, headers=paula)
    not_an_admin = await client.put(path, json={"number": a_landline()}, headers=carla)

    assert before.json() == {"number": None}
    assert bad.status_code == 422 and "invalid phone number" in bad.json()["detail"]
    assert own.status_code == 200 and own.json() == {"number": number}
    assert taken.status_code == 409 and not_an_admin.status_code == 403
    # Diego now answers Lisbon on its number; the shared default sender still reaches Porto alone.
    assert "Thank you Diego" in (await texts(client, lisbon.driver_phone, TWILIO_FROM, "yes")).text
    assert (await status_of(office, lisbon), await status_of(office, porto)) == ("proposed", "confirmed")
    reset = await client.put(path, json={"number": None}, headers=alex)
    assert reset.json() == {"number": None}


async def test_texts_go_out_from_the_operators_own_number(wired_hub: Hub, provider: RecordingProvider) -> None:
    stay = await a_stay_with_driver_and_hotel(wired_hub)
    number = await with_own_number(wired_hub, stay.org)
    async with wired_hub.unit_of_work(stay.org.id) as uow:
        rui = await StaffService(uow.session, uow.bus).add_staff(
            stay.org.id, StaffCreate(name="Rui", role="driver", phone=a_mobile())
        )
        await AssignmentService(uow.session, uow.bus).assign(
            stay.group.id,
            AssignmentCreate(
                staff_id=rui.id, role="driver", start_date=stay.group.start_date, end_date=stay.group.end_date
            ),
        )

    await deliver_pending(wired_hub, build_channels(wired_hub.settings), LATER)

    senders = {r.form()["To"]: r.form()["From"] for r in provider.sms()}
    assert senders[rui.phone] == number  # asked after the operator got its number
    assert senders[stay.driver_phone] == TWILIO_FROM  # asked before: from the default sender


async def on_the_board(server: RunningHub, http: httpx.AsyncClient, person: Person) -> LiveClient:
    client = LiveClient(person.user.name)
    client.sio.on("notification:reply", client._recorder("notification:reply"))
    await client.connect(server.url, (await sign_in(http, person))["access_token"])
    assert (await client.join("board:dispatch"))["ok"]
    return client


async def group_created(http: httpx.AsyncClient, person: Person) -> Any:
    body = {"name": "Porto Autumn", "start_date": "2027-06-01", "end_date": "2027-06-05"}
    response = await http.post("/api/v1/groups", json=body, headers=bearer(await sign_in(http, person)))
    assert response.status_code == 201, response.text
    return response.json()
