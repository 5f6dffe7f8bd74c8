"""Client mistakes get a 4xx with a message, never a 500: every write route gets malformed bodies."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from domains.itineraries import exports, ical
from domains.itineraries.schemas import ItineraryOut
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group
from tests.support.backends import Backend
from tests.support.builders import a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.server import CLIENT_TIMEOUT_SECONDS, http_client, running_hub

MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("broken json", b'{"email": '),
    ("not an object", b"[1, 2, 3]"),
    ("a string", b'"hello"'),
    ("null", b"null"),
    ("wrong types", b'{"email": 5, "password": [], "refresh_token": {}, "code": 7, "require_totp_for_staff": "x"}'),
    ("unknown field", b'{"surprise": true}'),
    ("empty", b""),
    ("not json at all", b"\xff\xfe garbage"),
]

# Routes whose body may be left out: the first two-factor setup asks for no proof (a re-bind does).
OPTIONAL_BODIES = {("post", "/api/v1/auth/totp/setup")}


async def test_every_write_route_answers_malformed_bodies_with_4xx(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    alex = await a_person(hub, org, Role.ADMIN, "Alex")
    headers = bearer(await sign_in(http, alex)) | {"Content-Type": "application/json"}
    schema = (await http.get("/schema/openapi.json")).json()
    write_routes = [
        (method, path, (method, path) not in OPTIONAL_BODIES)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch") and "requestBody" in operations[method]
    ]
    assert ("post", "/api/v1/auth/login", True) in write_routes and len(write_routes) >= 5

    for method, path, required in write_routes:
        for label, body in MALFORMED_BODIES:
            if not required and label in ("null", "empty"):
                continue  # an optional body (the first two-factor setup asks for no proof) may be left out
            response = await http.request(method.upper(), path, content=body, headers=headers)
            assert 400 <= response.status_code < 500, (method, path, label, response.status_code, response.text)
            assert response.json()["detail"], (method, path, label)


async def test_validation_errors_name_the_field(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/v1/auth/login", json={"email": 5, "password": "x"})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "email"


async def test_bad_path_and_query_parameters_are_4xx(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    alex = await a_person(hub, org, Role.ADMIN, "Alex")
    headers = bearer(await sign_in(http, alex))
    assert (await http.get("/api/v1/users/not-a-uuid", headers=headers)).status_code in (400, 404)
    assert (await http.get("/api/v1/users", params={"role": "pirate"}, headers=headers)).status_code == 400


# Bounded inputs: one request must never freeze the process for every tenant, nor answer 500.


async def test_a_typo_in_the_year_is_refused_with_the_limit_named(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = bearer(await sign_in(http, await a_person(hub, org, Role.DISPATCHER, "Dana")))
    too_long = {"name": "Lisbon Spring", "start_date": "2027-01-01", "end_date": "2127-01-05"}
    for start, end in (("2027-01-01", "2127-01-05"), ("0001-01-01", "9999-12-31"), ("2027-01-01", "2027-05-01")):
        dates = {"start_date": start, "end_date": end}
        refused = await http.post("/api/v1/groups", json=too_long | dates, headers=dana)
        assert refused.status_code == 422, (start, end, refused.text)
        assert "at most 120 days" in refused.json()["detail"]
    # 120 days, both ends included, is allowed; one more day is not, and neither is a later stretch to a century.
    created = await http.post("/api/v1/groups", json=too_long | {"end_date": "2027-04-30"}, headers=dana)
    assert created.status_code == 201, created.text
    group = f"/api/v1/groups/{created.json()['id']}"
    stretched = await http.patch(group, json={"end_date": "2127-04-30"}, headers=dana)
    assert stretched.status_code == 422 and "at most 120 days" in stretched.json()["detail"]
    assert (await http.patch(group, json={"start_date": "2026-12-31"}, headers=dana)).status_code == 422
    assert (await http.get(group, headers=dana)).json()["end_date"] == "2027-04-30"


async def test_the_span_limit_is_a_setting(backend: Backend, hub: Hub, tmp_path: Path) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    settings = backend.settings(tmp_path, max_group_days=7, scheduler_enabled=False)
    async with running_hub(settings) as week_long, http_client(week_long.url) as http:
        headers = bearer(await sign_in(http, dana))
        body = {"name": "Porto Weekend", "start_date": "2027-06-01", "end_date": "2027-06-08"}
        refused = await http.post("/api/v1/groups", json=body, headers=headers)
        assert refused.status_code == 422 and "at most 7 days" in refused.json()["detail"]
        allowed = await http.post("/api/v1/groups", json=body | {"end_date": "2027-06-07"}, headers=headers)
        assert allowed.status_code == 201, allowed.text


async def test_a_group_stored_before_the_rule_exports_only_its_first_days(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    async with hub.unit_of_work(lisbon.org.id) as uow:  # as the row was written before the span rule
        row = await uow.session.get(Group, lisbon.group.id)
        assert row is not None
        row.start_date, row.end_date = date(1, 1, 1), date(9999, 12, 31)
    tom = bearer(await sign_in(http, lisbon.traveler))  # any traveler of the group can ask
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"

    snapshot = (await http.get(url, headers=tom)).json()
    assert len(snapshot["days"]) == 120 and snapshot["days"][0]["date"] == "0001-01-01"
    assert snapshot["warnings"][0]["code"] == "too_long" and "correct the dates" in snapshot["warnings"][0]["message"]
    for export in (".ics", ".html", ".json"):
        response = await http.get(url + export, headers=tom)
        assert response.status_code == 200, (export, response.text[:300])
        assert len(response.content) < 200_000, export
    page = await http.get(url + ".html", headers=tom)
    assert page.headers["content-type"] == "text/html; charset=utf-8" and page.text.count("<section>") == 120
    assert (await http.get("/health")).json() == {"status": "ok"}
    # The office can still rename it, and is told the limit when it touches the dates.
    carla = bearer(await sign_in(http, lisbon.coordinator))
    group = f"/api/v1/groups/{lisbon.group.id}"
    assert (await http.patch(group, json={"name": "Lisbon Spring (dates to fix)"}, headers=carla)).status_code == 200
    assert (await http.patch(group, json={"end_date": "9999-12-30"}, headers=carla)).status_code == 422
    fixed = await http.patch(group, json={"start_date": "2027-04-10", "end_date": "2027-04-14"}, headers=carla)
    assert fixed.status_code == 200, fixed.text


async def test_while_an_export_renders_the_hub_keeps_answering(
    http: httpx.AsyncClient, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    lisbon = await a_tour_group(hub)
    tom = bearer(await sign_in(http, lisbon.traveler))
    rendering, finish = threading.Event(), threading.Event()
    real_render = ical.render

    def slow_render(itinerary: ItineraryOut, now: datetime | None = None) -> str:
        rendering.set()
        finish.wait(CLIENT_TIMEOUT_SECONDS)  # as long as a huge calendar would take
        return real_render(itinerary, now)

    monkeypatch.setattr(ical, "render", slow_render)
    export = asyncio.create_task(http.get(f"/api/v1/groups/{lisbon.group.id}/itinerary.ics", headers=tom))
    assert await asyncio.to_thread(rendering.wait, CLIENT_TIMEOUT_SECONDS)
    # Rendered on the event loop, the export would hold /health until it finished.
    assert (await http.get("/health")).json() == {"status": "ok"}
    assert not export.done()
    finish.set()
    calendar = await export
    assert calendar.status_code == 200 and calendar.text.startswith("BEGIN:VCALENDAR")


async def test_an_export_past_the_size_bound_is_refused_with_a_message(
    http: httpx.AsyncClient, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    lisbon = await a_tour_group(hub)
    tom = bearer(await sign_in(http, lisbon.traveler))
    monkeypatch.setattr(exports, "MAX_EXPORT_BYTES", 100)  # less than any export of even an empty plan
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"
    for export in (".html", ".ics", ".json"):
        refused = await http.get(url + export, headers=tom)
        assert refused.status_code == 413, (export, refused.status_code)
        assert "export would be" in refused.json()["detail"] and "allowed" in refused.json()["detail"]


@pytest.mark.parametrize("value", ["615673132830601117696", str(2**63), str(2**31), "-1", "x"])
async def test_out_of_range_offsets_limits_and_seqs_are_400(http: httpx.AsyncClient, hub: Hub, value: str) -> None:
    lisbon = await a_tour_group(hub)
    admin = bearer(await sign_in(http, await a_person(hub, lisbon.org, Role.ADMIN, "Alex")))
    itinerary = f"/api/v1/groups/{lisbon.group.id}/itinerary"
    for path, name in (
        ("/api/v1/catalog", "offset"),
        (itinerary, "at_seq"),
        (f"{itinerary}/history", "before_seq"),
        (f"{itinerary}/history", "limit"),
        ("/api/v1/outbox", "limit"),
    ):
        response = await http.get(path, params={name: value}, headers=admin)
        assert response.status_code == 400, (path, name, response.status_code, response.text)
        assert response.json()["detail"] and response.json()["extra"][0]["key"] == name
    assert (await http.get("/api/v1/catalog", params={"offset": 1_000_000}, headers=admin)).json()["items"] == []


def nested(depth: int) -> bytes:
    return b'{"email": ' + b"[" * depth + b"]" * depth + b"}"


async def test_deeply_nested_json_is_refused_before_parsing_on_every_json_route(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    alex = await a_person(hub, org, Role.ADMIN, "Alex")
    headers = bearer(await sign_in(http, alex)) | {"Content-Type": "application/json"}
    schema = (await http.get("/schema/openapi.json")).json()
    somewhere = str(uuid.uuid4())  # the check comes before any lookup, so any id will do
    write_routes = [
        (method, re.sub(r"\{[^}]+\}", somewhere, path))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch") and "requestBody" in operations[method]
    ]
    for depth in (1000, 100_000):
        for method, path in write_routes:
            response = await http.request(method.upper(), path, content=nested(depth), headers=headers)
            assert response.status_code == 422, (method, path, depth, response.status_code, response.text[:200])
            assert "nested too deeply" in response.json()["detail"], (method, path)
    # Signed out, with brackets hidden in strings, or no content type at all: the same rule, and no more.
    login = "/api/v1/auth/login"
    assert (await http.post(login, content=nested(1000))).status_code == 422
    shallow = b'{"email": "' + b"[" * 5000 + b'@x.example", "password": "[[[["}'
    answer = await http.post(login, content=shallow, headers={"Content-Type": "application/json"})
    assert answer.status_code in (400, 401) and "nested" not in answer.json()["detail"]
    unclosed = b'{"email": ' + b"[" * 5000
    assert (await http.post(login, content=unclosed, headers={"Content-Type": "application/json"})).status_code == 422
    within = await http.post(login, content=nested(60))  # within the bound: the usual answer
    assert within.status_code == 400 and "nested" not in within.json()["detail"]
