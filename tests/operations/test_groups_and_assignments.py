"""Dispatchers run groups: numbers, lifecycle, participants, staff, assignments without double-booking."""

from __future__ import annotations

import asyncio

import httpx

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, an_organization, bearer, sign_in


async def office(http: httpx.AsyncClient, hub: Hub) -> dict[str, str]:
    org = await an_organization(hub)
    return bearer(await sign_in(http, await a_person(hub, org, Role.DISPATCHER, "Dana")))


def a_group(
    name: str = "Lisbon Spring", start: str = "2027-04-10", end: str = "2027-04-14", **extra: object
) -> dict[str, object]:
    return {"name": name, "start_date": start, "end_date": end} | extra


async def test_groups_are_numbered_per_organization_without_gaps_even_when_created_at_once(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    dana = await office(http, hub)
    responses = await asyncio.gather(
        *[http.post("/api/v1/groups", json=a_group(f"G{n}"), headers=dana) for n in range(12)]
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == [f"G-2027-{n:04d}" for n in range(1, 13)]
    next_year = await http.post("/api/v1/groups", json=a_group(start="2028-01-02", end="2028-01-05"), headers=dana)
    assert next_year.json()["number"] == "G-2028-0001"
    # Another organization starts its own count.
    assert (await http.post("/api/v1/groups", json=a_group(), headers=await office(http, hub))).json()[
        "number"
    ] == "G-2027-0001"


async def test_a_group_moves_through_its_lifecycle_and_refuses_impossible_moves(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    dana = await office(http, hub)
    group = (await http.post("/api/v1/groups", json=a_group(), headers=dana)).json()
    assert group["status"] == "draft"
    for status in ("planning", "ready", "in_progress"):
        moved = await http.post(f"/api/v1/groups/{group['id']}/transition", json={"to": status}, headers=dana)
        assert moved.status_code == 200 and moved.json()["status"] == status
    refused = await http.post(f"/api/v1/groups/{group['id']}/transition", json={"to": "draft"}, headers=dana)
    assert refused.status_code == 409
    assert "in_progress" in refused.json()["detail"] and "draft" in refused.json()["detail"]
    unknown = await http.post(f"/api/v1/groups/{group['id']}/transition", json={"to": "partying"}, headers=dana)
    assert unknown.status_code == 422


async def test_participants_get_e164_phones_and_masked_passports(http: httpx.AsyncClient, hub: Hub) -> None:
    dana = await office(http, hub)
    group = (await http.post("/api/v1/groups", json=a_group(), headers=dana)).json()
    maria = {
        "name": "Maria Souza", "email": "Maria@Example.com", "phone": "+351 912 345 678", "nationality": "br",
        "passport_number": "FX1234567", "dietary": ["Vegetarian", "nut allergy"], "date_of_birth": "1980-02-29",
    }  # fmt: skip
    created = await http.post(f"/api/v1/groups/{group['id']}/participants", json=maria, headers=dana)
    assert created.status_code == 201, created.text
    assert created.json()["phone"] == "+351912345678"
    assert created.json()["passport_number"] == "•••••4567"
    listed = (await http.get(f"/api/v1/groups/{group['id']}/participants", headers=dana)).json()
    assert listed[0]["passport_number"] == "•••••4567" and listed[0]["dietary"] == ["nut allergy", "vegetarian"]
    full = await http.get(f"/api/v1/participants/{created.json()['id']}", headers=dana)
    assert full.json()["passport_number"] == "FX1234567"

    bad_phone = await http.post(
        f"/api/v1/groups/{group['id']}/participants", json={"name": "X", "phone": "12"}, headers=dana
    )
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["detail"]


async def ana_the_guide(http: httpx.AsyncClient, dana: dict[str, str], **extra: object) -> dict[str, object]:
    body = {"name": "Ana", "role": "guide", "languages": ["en", "pt"]} | extra
    response = await http.post("/api/v1/staff", json=body, headers=dana)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_nobody_is_double_booked(http: httpx.AsyncClient, hub: Hub) -> None:
    dana = await office(http, hub)
    lisbon = (
        await http.post("/api/v1/groups", json=a_group("Lisbon", "2027-04-10", "2027-04-14"), headers=dana)
    ).json()
    porto = (await http.post("/api/v1/groups", json=a_group("Porto", "2027-04-13", "2027-04-16"), headers=dana)).json()
    faro = (await http.post("/api/v1/groups", json=a_group("Faro", "2027-04-20", "2027-04-22"), headers=dana)).json()
    ana = await ana_the_guide(http, dana)

    def assignment(group: dict[str, object], primary: bool = True) -> dict[str, object]:
        return {
            "staff_id": ana["id"],
            "role": "guide",
            "start_date": group["start_date"],
            "end_date": group["end_date"],
            "primary": primary,
        }

    first = await http.post(f"/api/v1/groups/{lisbon['id']}/assignments", json=assignment(lisbon), headers=dana)
    assert first.status_code == 201 and first.json()["status"] == "proposed"
    clash = await http.post(f"/api/v1/groups/{porto['id']}/assignments", json=assignment(porto), headers=dana)
    assert clash.status_code == 409
    assert lisbon["number"] in clash.json()["detail"] and "2027-04-10" in clash.json()["detail"]
    backup = await http.post(
        f"/api/v1/groups/{porto['id']}/assignments", json=assignment(porto, primary=False), headers=dana
    )
    assert backup.status_code == 201

    away = await http.post(
        f"/api/v1/staff/{ana['id']}/unavailability",
        json={"start_date": "2027-04-21", "end_date": "2027-04-25", "reason": "family wedding"},
        headers=dana,
    )
    assert away.status_code == 201
    refused = await http.post(f"/api/v1/groups/{faro['id']}/assignments", json=assignment(faro), headers=dana)
    assert refused.status_code == 409 and "family wedding" in refused.json()["detail"]

    # Declining frees the dates.
    declined = await http.post(f"/api/v1/assignments/{first.json()['id']}/decline", headers=dana)
    assert declined.json()["status"] == "declined"
    assert (
        await http.post(f"/api/v1/groups/{porto['id']}/assignments", json=assignment(porto), headers=dana)
    ).status_code == 201


async def test_two_dispatchers_assign_the_same_guide_at_the_same_moment_and_exactly_one_wins(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    dana = await office(http, hub)
    ana = await ana_the_guide(http, dana)
    groups = [
        (await http.post("/api/v1/groups", json=a_group(f"Tour {n}", "2027-05-01", "2027-05-05"), headers=dana)).json()
        for n in range(6)
    ]
    body = {"staff_id": ana["id"], "role": "guide", "start_date": "2027-05-01", "end_date": "2027-05-05"}
    results = await asyncio.gather(
        *[http.post(f"/api/v1/groups/{g['id']}/assignments", json=body, headers=dana) for g in groups]
    )
    assert sorted(r.status_code for r in results) == [201] + [409] * 5


async def test_the_guide_confirms_her_own_assignment(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = bearer(await sign_in(http, await a_person(hub, org, Role.DISPATCHER, "Dana")))
    ana_user = await a_person(hub, org, Role.GUIDE, "Ana")
    other_guide = bearer(await sign_in(http, await a_person(hub, org, Role.GUIDE, "Bea")))
    ana = await ana_the_guide(http, dana, user_id=str(ana_user.user.id))
    group = (await http.post("/api/v1/groups", json=a_group(), headers=dana)).json()
    body = {"staff_id": ana["id"], "role": "guide", "start_date": "2027-04-10", "end_date": "2027-04-12"}
    assignment = (await http.post(f"/api/v1/groups/{group['id']}/assignments", json=body, headers=dana)).json()

    assert (await http.post(f"/api/v1/assignments/{assignment['id']}/confirm", headers=other_guide)).status_code == 403
    ana_tokens = bearer(await sign_in(http, ana_user))
    confirmed = await http.post(f"/api/v1/assignments/{assignment['id']}/confirm", headers=ana_tokens)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert (await http.post(f"/api/v1/assignments/{assignment['id']}/decline", headers=ana_tokens)).status_code == 409


async def test_suggestions_rank_available_guides_with_reasons(http: httpx.AsyncClient, hub: Hub) -> None:
    dana = await office(http, hub)
    group = (
        await http.post("/api/v1/groups", json=a_group(languages=["en", "de"], cities=["Lisbon"]), headers=dana)
    ).json()
    await ana_the_guide(
        http, dana, languages=["en", "de"], specializations=["Lisbon old town"], rating=4.8,
        certifications=[{"name": "Licensed guide PT", "expires_on": "2030-01-01"}],
    )  # fmt: skip
    await ana_the_guide(http, dana, name="Bruno", languages=["en"], rating=4.9)
    busy = await ana_the_guide(http, dana, name="Carlos", languages=["en", "de"], rating=5.0)
    other = (await http.post("/api/v1/groups", json=a_group("Other"), headers=dana)).json()
    body = {"staff_id": busy["id"], "role": "guide", "start_date": "2027-04-10", "end_date": "2027-04-14"}
    await http.post(f"/api/v1/groups/{other['id']}/assignments", json=body, headers=dana)

    ranked = (
        await http.get(f"/api/v1/groups/{group['id']}/staff-suggestions", params={"role": "guide"}, headers=dana)
    ).json()
    assert [r["staff"]["name"] for r in ranked] == ["Ana", "Bruno"]  # Carlos is booked elsewhere
    assert ranked[0]["score"] > ranked[1]["score"]
    assert "speaks de, en" in ranked[0]["reasons"] and "specialized in Lisbon old town" in ranked[0]["reasons"]
    assert "does not speak de" in ranked[1]["reasons"]


async def test_a_specialist_in_the_groups_sights_ranks_higher(http: httpx.AsyncClient, hub: Hub) -> None:
    from tests.support.builders import a_tour_group
    from tests.support.itinerary_steps import add, apply

    sintra = await a_tour_group(hub, "Sintra Day")
    dana = bearer(await sign_in(http, await a_person(hub, sintra.org, Role.DISPATCHER, "Dana")))
    await apply(hub, sintra.coordinator, sintra.group.id, add("2027-04-11", "Pena Palace", kind="visit"))
    await ana_the_guide(http, dana, name="Paula", languages=["en"], specializations=["Pena Palace"], rating=4.0)
    await ana_the_guide(http, dana, name="Rui", languages=["en"], rating=4.0)
    # Ana (from the builder) is already assigned to this group, so she is not suggested again.
    ranked = (await http.get(f"/api/v1/groups/{sintra.group.id}/staff-suggestions", headers=dana)).json()
    assert [r["staff"]["name"] for r in ranked] == ["Paula", "Rui"]
    assert "specialized in Pena Palace" in ranked[0]["reasons"]
