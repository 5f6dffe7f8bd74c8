"""Dana, the dispatcher, issues vouchers for 'Lisbon Spring'; Hotel Avenida and Tasca do Chico honour them."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from domains.kernel.bus import capture_events
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Organization, Participant
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import PartnerCreate
from domains.vouchers.service import VoucherService
from tests.support.builders import Person, TourGroup, a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class VoucherDesk:
    """A tour group, its dispatcher Dana, and two partners who sign in: a hotel and a restaurant."""

    tour: TourGroup
    dana: dict[str, str]
    hotel: uuid.UUID
    hotel_login: dict[str, str]
    restaurant: uuid.UUID
    restaurant_login: dict[str, str]

    @property
    def vouchers(self) -> str:
        return f"/api/v1/groups/{self.tour.group.id}/vouchers"


async def a_partner(hub: Hub, org: Organization, name: str, kind: str) -> tuple[uuid.UUID, Person]:
    person = await a_person(hub, org, Role.PARTNER, name)
    async with hub.unit_of_work(org.id) as uow:
        service = VoucherService(uow.session, uow.bus, VoucherCodes.from_secret(hub.tokens.secret))
        partner = await service.add_partner(
            org.id,
            PartnerCreate(name=name, kind=kind, city="Lisbon", user_id=person.user.id),  # type: ignore[arg-type]
        )
    return partner.id, person


async def a_voucher_desk(hub: Hub, http: httpx.AsyncClient, org: Organization | None = None) -> VoucherDesk:
    tour = await a_tour_group(hub, org=org)
    dana = await a_person(hub, tour.org, Role.DISPATCHER, "Dana")
    hotel, hotel_person = await a_partner(hub, tour.org, "Hotel Avenida", "hotel")
    restaurant, restaurant_person = await a_partner(hub, tour.org, "Tasca do Chico", "restaurant")
    return VoucherDesk(
        tour=tour,
        dana=bearer(await sign_in(http, dana)),
        hotel=hotel,
        hotel_login=bearer(await sign_in(http, hotel_person)),
        restaurant=restaurant,
        restaurant_login=bearer(await sign_in(http, restaurant_person)),
    )


def hotel_stay(partner: uuid.UUID | None, **changes: Any) -> dict[str, Any]:
    body = {
        "type": "hotel",
        "partner_id": str(partner) if partner else None,
        "check_in": "2027-04-10",
        "check_out": "2027-04-14",
        "rooms": [{"type": "double", "count": 6}, {"type": "single", "count": 2}],
        "meal_plan": "HB",
        "supplier_confirmation_code": "AV-7781",
    }
    return body | changes


async def issue(http: httpx.AsyncClient, desk: VoucherDesk, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(desk.vouchers, json=body, headers=desk.dana)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def move(http: httpx.AsyncClient, desk: VoucherDesk, voucher: dict[str, Any], *statuses: str) -> None:
    for status in statuses:
        response = await http.post(
            f"/api/v1/vouchers/{voucher['id']}/transition", json={"to": status}, headers=desk.dana
        )
        assert response.status_code == 200, response.text


async def validate(http: httpx.AsyncClient, login: dict[str, str], code: str, redeem: bool = False) -> httpx.Response:
    return await http.post("/api/v1/vouchers/validate", json={"code": code, "redeem": redeem}, headers=login)


async def test_a_dispatcher_registers_a_partner_and_issues_hotel_vouchers_numbered_in_sequence(
    hub: Hub, http: httpx.AsyncClient
) -> None:
    desk = await a_voucher_desk(hub, http)
    registered = await http.post(
        "/api/v1/partners",
        json={"name": "Hotel Lis", "kind": "hotel", "email": "desk@lis.example", "city": "Lisbon"},
        headers=desk.dana,
    )
    assert registered.status_code == 201 and registered.json()["id"]

    first = await issue(http, desk, hotel_stay(desk.hotel))
    second = await issue(http, desk, hotel_stay(uuid.UUID(registered.json()["id"])))

    assert (first["number"], second["number"]) == ("V-2027-0001", "V-2027-0002")
    assert first["status"] == "created" and first["code"].startswith("V-2027-0001.")
    read = (await http.get(f"/api/v1/vouchers/{first['id']}", headers=desk.dana)).json()
    assert read["details"]["rooms"] == [{"type": "double", "count": 6}, {"type": "single", "count": 2}]
    assert read["details"]["meal_plan"] == "HB" and read["details"]["supplier_confirmation_code"] == "AV-7781"
    assert [(step["from"], step["to"], step["by"]["name"]) for step in read["transitions"]] == [
        (None, "created", "Dana")
    ]
    listed = (await http.get(desk.vouchers, headers=desk.dana)).json()
    assert [v["number"] for v in listed] == ["V-2027-0001", "V-2027-0002"]


async def test_a_partners_sign_in_must_be_a_partner_user_and_belongs_to_one_partner(
    hub: Hub, http: httpx.AsyncClient
) -> None:
    desk = await a_voucher_desk(hub, http)
    login = await a_person(hub, desk.tour.org, Role.PARTNER, "Quinta da Regaleira")
    body = {"name": "Quinta da Regaleira", "kind": "attraction", "user_id": str(login.user.id)}

    linked = await http.post("/api/v1/partners", json=body, headers=desk.dana)
    linked_again = await http.post("/api/v1/partners", json=body | {"name": "Copy"}, headers=desk.dana)
    guide_as_partner = await http.post(
        "/api/v1/partners", json=body | {"user_id": str(desk.tour.guide.user.id)}, headers=desk.dana
    )
    by_a_guide = await http.post(
        "/api/v1/partners", json={"name": "X", "kind": "hotel"}, headers=bearer(await sign_in(http, desk.tour.guide))
    )
    bad_kind = await http.post("/api/v1/partners", json={"name": "X", "kind": "spa"}, headers=desk.dana)

    assert linked.status_code == 201 and linked.json()["user_id"] == str(login.user.id)
    assert linked_again.status_code == 409 and "Quinta da Regaleira" in linked_again.json()["detail"]
    assert guide_as_partner.status_code == 422 and "role partner" in guide_as_partner.json()["detail"]
    assert by_a_guide.status_code == 403 and bad_kind.status_code == 400
    names = {p["name"] for p in (await http.get("/api/v1/partners", headers=desk.dana)).json()}
    assert names == {"Hotel Avenida", "Tasca do Chico", "Quinta da Regaleira"}


async def test_ten_dispatchers_issuing_at_once_get_distinct_gap_free_numbers(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)

    responses = await asyncio.gather(
        *(http.post(desk.vouchers, json=hotel_stay(desk.hotel), headers=desk.dana) for _ in range(10))
    )

    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses if r.status_code != 201]
    assert sorted(r.json()["number"] for r in responses) == [f"V-2027-{n:04d}" for n in range(1, 11)]


async def test_a_voucher_moves_only_along_its_lifecycle_and_every_step_is_audited(
    hub: Hub, http: httpx.AsyncClient, server: RunningHub
) -> None:
    desk = await a_voucher_desk(hub, http)
    voucher = await issue(http, desk, hotel_stay(desk.hotel))
    url = f"/api/v1/vouchers/{voucher['id']}/transition"

    with capture_events(server.hub.subscribers) as events:
        await move(http, desk, voucher, "confirmed", "distributed")
    backwards = await http.post(url, json={"to": "confirmed"}, headers=desk.dana)
    skipping = await http.post(url, json={"to": "archived"}, headers=desk.dana)
    await move(http, desk, voucher, "cancelled")
    revived = await http.post(url, json={"to": "confirmed"}, headers=desk.dana)
    await move(http, desk, voucher, "archived")
    unknown = await http.post(url, json={"to": "lost"}, headers=desk.dana)

    assert backwards.status_code == 409
    assert "from distributed to confirmed" in backwards.json()["detail"]
    assert skipping.status_code == 409 and "from distributed to archived" in skipping.json()["detail"]
    assert revived.status_code == 409 and "from cancelled to confirmed" in revived.json()["detail"]
    assert unknown.status_code == 400
    moves = [(e.from_status, e.to_status) for e in events if e.name == "voucher.transitioned"]  # type: ignore[attr-defined]
    assert moves == [("created", "confirmed"), ("confirmed", "distributed")]
    assert {room for e in events for room in e.audience} == {desk.tour.room, "board:dispatch"}
    read = (await http.get(f"/api/v1/vouchers/{voucher['id']}", headers=desk.dana)).json()
    assert read["status"] == "archived"
    assert [(s["from"], s["to"]) for s in read["transitions"]] == [
        (None, "created"),
        ("created", "confirmed"),
        ("confirmed", "distributed"),
        ("distributed", "cancelled"),
        ("cancelled", "archived"),
    ]
    assert {s["by"]["name"] for s in read["transitions"]} == {"Dana"} and all(s["at"] for s in read["transitions"])


async def test_a_restaurant_voucher_counts_the_groups_dietary_needs(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    async with hub.unit_of_work(desk.tour.org.id) as uow:
        for name, dietary in [("Vera", ["Vegetarian"]), ("Gil", ["vegetarian", "gluten-free "]), ("Rui", [])]:
            uow.session.add(
                Participant(org_id=desk.tour.org.id, group_id=desk.tour.group.id, name=name, dietary=dietary)
            )
    dinner = {"type": "restaurant", "partner_id": str(desk.restaurant), "date": "2027-04-11", "time": "19:30"}

    voucher = await issue(http, desk, dinner | {"meal_type": "dinner", "menu": "Bacalhau à Brás"})
    smuggled = await http.post(
        desk.vouchers, json=dinner | {"meal_type": "dinner", "dietary_counts": {"vegan": 9}}, headers=desk.dana
    )
    hotel_for_dinner = await http.post(
        desk.vouchers, json=dinner | {"meal_type": "dinner", "partner_id": str(desk.hotel)}, headers=desk.dana
    )

    details = (await http.get(f"/api/v1/vouchers/{voucher['id']}", headers=desk.dana)).json()["details"]
    assert details["dietary_counts"] == {"gluten-free": 1, "vegetarian": 2}
    assert details["guest_count"] == 4  # Tom, Vera, Gil and Rui
    assert details["time"] == "19:30" and details["menu"] == "Bacalhau à Brás"
    assert smuggled.status_code == 400  # computed, never sent in
    assert hotel_for_dinner.status_code == 422 and "restaurant partner" in hotel_for_dinner.json()["detail"]


async def test_entrance_vouchers_and_bad_voucher_input_get_clear_answers(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    museum = {"type": "entrance", "attraction": "Jerónimos Monastery", "date": "2027-04-12"}

    ok = await http.post(
        desk.vouchers,
        json=museum
        | {"adult_count": 20, "senior_count": 3, "valid_until": "2027-04-13", "included_services": ["audio"]},
        headers=desk.dana,
    )
    nobody = await http.post(desk.vouchers, json=museum, headers=desk.dana)
    backwards_stay = await http.post(desk.vouchers, json=hotel_stay(None, check_out="2027-04-09"), headers=desk.dana)
    boat = await http.post(desk.vouchers, json={"type": "boat"}, headers=desk.dana)
    stranger_partner = await http.post(desk.vouchers, json=hotel_stay(uuid.uuid4()), headers=desk.dana)
    no_group = await http.post(f"/api/v1/groups/{uuid.uuid4()}/vouchers", json=hotel_stay(None), headers=desk.dana)
    no_rooming = await http.post(
        desk.vouchers, json=hotel_stay(None, rooming_list_id=str(uuid.uuid4())), headers=desk.dana
    )

    assert ok.status_code == 201 and ok.json()["details"]["senior_count"] == 3
    assert nobody.status_code == 422 and "at least one" in nobody.json()["detail"]
    assert backwards_stay.status_code == 422 and "check_out" in backwards_stay.json()["detail"]
    assert boat.status_code == 400
    assert stranger_partner.status_code == 404 and no_group.status_code == 404
    assert no_rooming.status_code == 404 and "rooming list" in no_rooming.json()["detail"]


async def test_the_code_is_served_as_qr_and_barcode_in_svg_and_png(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    voucher = await issue(http, desk, hotel_stay(desk.hotel))
    base = f"/api/v1/vouchers/{voucher['id']}"

    for name, media_type in [
        ("qr.svg", "image/svg+xml"),
        ("qr.png", "image/png"),
        ("barcode.svg", "image/svg+xml"),
        ("barcode.png", "image/png"),
    ]:
        response = await http.get(f"{base}/{name}", headers=desk.dana)
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(media_type), name
        if media_type == "image/png":
            assert response.content.startswith(PNG_SIGNATURE), name
        else:
            assert b"<svg" in response.content, name
    assert (await http.get(f"{base}/qr.png")).status_code == 401
    # The partner it is issued to may print it too; another partner may not.
    assert (await http.get(f"{base}/qr.svg", headers=desk.hotel_login)).status_code == 200
    assert (await http.get(f"{base}/qr.svg", headers=desk.restaurant_login)).status_code == 403


async def test_a_partner_validates_a_genuine_code_then_redeems_it_once(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    voucher = await issue(http, desk, hotel_stay(desk.hotel))
    await move(http, desk, voucher, "confirmed", "distributed")

    checked = await validate(http, desk.hotel_login, voucher["code"])
    checked_again = await validate(http, desk.hotel_login, voucher["code"])
    redeemed = await validate(http, desk.hotel_login, voucher["code"], redeem=True)
    twice = await validate(http, desk.hotel_login, voucher["code"], redeem=True)

    assert checked.status_code == 200 and checked.json()["valid"] is True
    assert checked.json()["voucher"]["status"] == "validated" and checked.json()["voucher"]["number"] == "V-2027-0001"
    assert checked_again.status_code == 200 and checked_again.json()["voucher"]["status"] == "validated"
    assert redeemed.status_code == 200 and redeemed.json()["voucher"]["status"] == "redeemed"
    assert twice.status_code == 409 and "already redeemed" in twice.json()["detail"]
    trail = (await http.get(f"/api/v1/vouchers/{voucher['id']}", headers=desk.dana)).json()["transitions"]
    assert [(s["to"], s["by"]["name"]) for s in trail][-2:] == [
        ("validated", "Hotel Avenida"),
        ("redeemed", "Hotel Avenida"),
    ]


async def test_a_forged_or_altered_code_is_refused_for_its_signature(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    voucher = await issue(http, desk, hotel_stay(desk.hotel))
    await move(http, desk, voucher, "confirmed", "distributed")
    code: str = voucher["code"]
    number, body = code.split(".")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    forged_key = VoucherCodes.from_secret("a-guessed-secret-" + "y" * 40).sign(uuid.UUID(voucher["id"]), number)

    for tampered in [f"{number}.{flipped}", f"V-2027-0002.{body}", forged_key, f"{number}.{body[:-1]}", "hello"]:
        response = await validate(http, desk.hotel_login, tampered)
        assert response.status_code == 422, tampered
        assert "signature" in response.json()["detail"], tampered
    # Nothing changed: the genuine code still validates.
    assert (await validate(http, desk.hotel_login, code)).json()["voucher"]["status"] == "validated"


async def test_a_partner_cannot_use_another_partners_or_a_cancelled_or_undistributed_voucher(
    hub: Hub, http: httpx.AsyncClient
) -> None:
    desk = await a_voucher_desk(hub, http)
    stay = await issue(http, desk, hotel_stay(desk.hotel))
    cancelled = await issue(http, desk, hotel_stay(desk.hotel))
    fresh = await issue(http, desk, hotel_stay(desk.hotel))
    await move(http, desk, stay, "confirmed", "distributed")
    await move(http, desk, cancelled, "confirmed", "distributed", "cancelled")

    other_partner = await validate(http, desk.restaurant_login, stay["code"], redeem=True)
    refused_cancelled = await validate(http, desk.hotel_login, cancelled["code"])
    refused_fresh = await validate(http, desk.hotel_login, fresh["code"])
    office = await validate(http, desk.dana, stay["code"])

    assert other_partner.status_code == 403 and "Tasca do Chico" in other_partner.json()["detail"]
    assert refused_cancelled.status_code == 409 and "cancelled" in refused_cancelled.json()["detail"]
    assert refused_fresh.status_code == 409 and "not been distributed" in refused_fresh.json()["detail"]
    assert office.status_code == 403  # validating is the partner's act
    still = (await http.get(f"/api/v1/vouchers/{stay['id']}", headers=desk.dana)).json()
    assert still["status"] == "distributed"


async def test_a_partner_sees_only_its_own_upcoming_vouchers(hub: Hub, http: httpx.AsyncClient) -> None:
    desk = await a_voucher_desk(hub, http)
    stay = await issue(http, desk, hotel_stay(desk.hotel))
    last_year = await issue(http, desk, hotel_stay(desk.hotel, check_in="2026-03-01", check_out="2026-03-04"))
    dropped = await issue(http, desk, hotel_stay(desk.hotel))
    await move(http, desk, dropped, "cancelled")
    dinner = await issue(
        http,
        desk,
        {"type": "restaurant", "partner_id": str(desk.restaurant), "date": "2027-04-11", "time": "13:00"}
        | {"meal_type": "lunch"},
    )
    mine = "/api/v1/partners/me/vouchers?since=2026-12-01"

    hotel_list = (await http.get(mine, headers=desk.hotel_login)).json()
    restaurant_list = (await http.get(mine, headers=desk.restaurant_login)).json()

    assert [v["number"] for v in hotel_list] == [stay["number"]]
    assert last_year["number"] == "V-2026-0001"  # numbered by the year of the service
    assert [v["id"] for v in restaurant_list] == [dinner["id"]]
    assert (await http.get(f"/api/v1/vouchers/{stay['id']}", headers=desk.restaurant_login)).status_code == 403
    assert (await http.get(f"/api/v1/vouchers/{stay['id']}", headers=desk.hotel_login)).status_code == 200
    assert (await http.get(desk.vouchers, headers=desk.hotel_login)).status_code == 403
    assert (await http.get("/api/v1/partners/me/vouchers", headers=desk.dana)).status_code == 403


async def test_the_coordinator_hears_a_redemption_live_in_the_group_room(
    hub: Hub, http: httpx.AsyncClient, server: RunningHub
) -> None:
    desk = await a_voucher_desk(hub, http)
    voucher = await issue(http, desk, hotel_stay(desk.hotel))
    await move(http, desk, voucher, "confirmed", "distributed")
    carla = LiveClient("Carla")
    try:
        await carla.connect(server.url, (await sign_in(http, desk.tour.coordinator))["access_token"])
        assert (await carla.join(desk.tour.room))["room"] == desk.tour.room

        assert (await validate(http, desk.hotel_login, voucher["code"], redeem=True)).status_code == 200

        heard = await carla.wait_for("voucher:redeemed")
        moved = await carla.wait_for("voucher:transitioned", lambda d: d["to_status"] == "redeemed")
    finally:
        await carla.close()
    assert heard["number"] == voucher["number"] and heard["voucher_id"] == voucher["id"]
    assert heard["group_id"] == str(desk.tour.group.id) and heard["partner_id"] == str(desk.hotel)
    assert moved["from_status"] == "validated"


async def test_another_organization_never_sees_or_touches_these_vouchers(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await a_voucher_desk(hub, http)
    porto = await a_voucher_desk(hub, http, await an_organization(hub, "Porto Trips"))
    voucher = await issue(http, lisbon, hotel_stay(lisbon.hotel))
    await move(http, lisbon, voucher, "confirmed", "distributed")

    porto_first = await issue(http, porto, hotel_stay(porto.hotel))
    with_lisbon_partner = await http.post(porto.vouchers, json=hotel_stay(lisbon.hotel), headers=porto.dana)
    into_lisbon_group = await http.post(lisbon.vouchers, json=hotel_stay(None), headers=porto.dana)
    read = await http.get(f"/api/v1/vouchers/{voucher['id']}", headers=porto.dana)
    image = await http.get(f"/api/v1/vouchers/{voucher['id']}/qr.png", headers=porto.dana)
    moved = await http.post(
        f"/api/v1/vouchers/{voucher['id']}/transition", json={"to": "cancelled"}, headers=porto.dana
    )
    listed = await http.get(lisbon.vouchers, headers=porto.dana)
    scanned = await validate(http, porto.hotel_login, voucher["code"], redeem=True)

    assert porto_first["number"] == "V-2027-0001"  # each organization counts its own vouchers
    assert with_lisbon_partner.status_code == 404 and into_lisbon_group.status_code == 404
    assert read.status_code == image.status_code == moved.status_code == listed.status_code == 404
    assert scanned.status_code == 403
    still = (await http.get(f"/api/v1/vouchers/{voucher['id']}", headers=lisbon.dana)).json()
    assert still["status"] == "distributed"
