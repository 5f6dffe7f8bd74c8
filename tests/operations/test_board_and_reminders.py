"""The dispatch board shows what each group lacks, live; reminders chase it exactly once per period."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.reminders.cadence import cadence_for
from domains.reminders.service import ReminderService
from hub.wiring import subscribe
from hub.worker.outbox import LocalOutbox, deliver_pending
from tests.support.builders import a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub


def test_the_cadence_quickens_as_travel_nears() -> None:
    assert cadence_for(45, has_critical=True).every_days == 14
    assert cadence_for(31, has_critical=False).name == "every_14_days"
    assert cadence_for(30, has_critical=False).name == "every_3_days"
    assert cadence_for(15, has_critical=True).name == "every_3_days"
    assert cadence_for(14, has_critical=False).name == "daily"
    assert cadence_for(3, has_critical=True).name == "urgent_daily"


async def test_the_board_shows_completeness_people_and_who_is_online(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon = await a_tour_group(hub)  # a guide is assigned (not confirmed); no driver, no coordinator
    dana = bearer(await sign_in(http, await a_person(hub, lisbon.org, Role.DISPATCHER, "Dana")))
    ana = LiveClient("ana")
    await ana.connect(server.url, (await sign_in(http, lisbon.guide))["access_token"])
    try:
        board = (
            await http.get("/api/v1/board", params={"date_from": "2027-04-01", "to": "2027-04-30"}, headers=dana)
        ).json()
    finally:
        await ana.close()
    [row] = [row for row in board["groups"] if row["group"]["id"] == str(lisbon.group.id)]
    assert row["areas"]["driver"] == "critical" and row["areas"]["coordinator"] == "critical"
    assert row["areas"]["guide"] == "normal"  # assigned, not yet confirmed
    assert row["areas"]["contacts"] == "normal"  # Tom has neither email nor phone
    assert [(p["name"], p["role"], p["online"]) for p in row["people"]] == [("Ana", "guide", True)]
    missing = (await http.get(f"/api/v1/groups/{lisbon.group.id}/missing", headers=dana)).json()
    assert {"area": "driver", "severity": "critical", "message": "no driver assigned"} in missing["items"]
    outside = await http.get("/api/v1/board", params={"date_from": "2027-06-01", "to": "2027-06-30"}, headers=dana)
    assert all(r["group"]["id"] != str(lisbon.group.id) for r in outside.json()["groups"])


async def test_a_dispatcher_sees_another_dispatchers_assignment_live(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon = await a_tour_group(hub)
    dana = await a_person(hub, lisbon.org, Role.DISPATCHER, "Dana")
    dimitri = bearer(await sign_in(http, await a_person(hub, lisbon.org, Role.DISPATCHER, "Dimitri")))
    watcher = LiveClient("dana")
    await watcher.connect(server.url, (await sign_in(http, dana))["access_token"])
    try:
        assert (await watcher.join("board:dispatch"))["ok"]
        driver = (await http.post("/api/v1/staff", json={"name": "Diego", "role": "driver"}, headers=dimitri)).json()
        body = {"staff_id": driver["id"], "role": "driver", "start_date": "2027-04-10", "end_date": "2027-04-14"}
        sent_at = asyncio.get_running_loop().time()
        assert (
            await http.post(f"/api/v1/groups/{lisbon.group.id}/assignments", json=body, headers=dimitri)
        ).status_code == 201
        update = await watcher.wait_for("board:update", lambda d: d.get("role") == "driver")
        print(f"board update arrived {1000 * (asyncio.get_running_loop().time() - sent_at):.0f} ms after the request")
    finally:
        await watcher.close()
    assert update["event"] == "assignment.proposed" and update["group_id"] == str(lisbon.group.id)
    assert update["staff_name"] == "Diego"


async def test_reminders_go_out_once_per_period_and_more_often_near_travel(private_hub: Hub, data_dir: Path) -> None:
    hub = private_hub  # reminders and the outbox sweep every organization: only this story's may be there
    subscribe(hub)  # as in the running hub: the reminder's messages are written with it
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    lisbon = await a_tour_group(hub, org=org)  # starts 2027-04-10, lacks a driver and a coordinator

    async def run(now: datetime) -> list[str]:
        async with hub.unit_of_work() as uow:
            sent = await ReminderService(uow.session, uow.bus).send_due(now)
        return [r.cadence for r in sent if r.group_id == lisbon.group.id]

    far = datetime(2027, 2, 1, 9, tzinfo=UTC)
    assert await run(far) == ["every_14_days"]
    assert await run(far + timedelta(hours=5)) == []  # same period: nothing twice
    assert await run(far + timedelta(days=14)) == ["every_14_days"]
    near = datetime(2027, 4, 5, 9, tzinfo=UTC)
    assert await run(near) == ["urgent_daily"]
    assert await run(near + timedelta(days=1)) == ["urgent_daily"]
    # Two processes racing over the same instant: still once.
    racing = await asyncio.gather(run(near + timedelta(days=2)), run(near + timedelta(days=2)))
    assert sorted(map(len, racing)) == [0, 1]

    outbox = LocalOutbox(data_dir / "outbox")
    delivered = await deliver_pending(hub, outbox, datetime(2027, 4, 8, tzinfo=UTC))
    assert delivered >= 5
    mails = [path.read_text() for path in (data_dir / "outbox").glob("*.eml")]
    mine = [mail for mail in mails if carla.email in mail and lisbon.group.number in mail]
    assert len(mine) == 5
    assert any("URGENT" in mail and "no driver assigned" in mail for mail in mine)
    assert await deliver_pending(hub, outbox, datetime(2027, 4, 8, tzinfo=UTC)) == 0  # nothing sent twice


async def test_a_failing_channel_is_retried_with_backoff_then_marked_dead(private_hub: Hub) -> None:
    hub = private_hub
    from sqlalchemy import select

    from domains.models import Notification
    from domains.notifications.service import NotificationService

    org = await an_organization(hub)
    async with hub.unit_of_work() as uow:
        await NotificationService(uow.session, uow.bus).enqueue(
            org.id,
            key=f"test:{org.id}",
            category="test",
            channel="email",
            recipient="x@y.example",
            subject="s",
            body="b",
        )

    class Broken:
        async def send(self, notification: Notification) -> None:
            raise ConnectionError("provider down")

    now = datetime(2030, 1, 1, tzinfo=UTC)
    for attempt in range(1, 9):
        await deliver_pending(hub, Broken(), now)
        async with hub.unit_of_work(org.id) as uow:
            row = (await uow.session.execute(select(Notification))).scalar_one()
        assert row.attempts == attempt and "provider down" in (row.last_error or "")
        now = row.next_attempt_at + timedelta(seconds=1)
    assert row.status == "dead"
