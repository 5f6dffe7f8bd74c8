"""The API keeps its published contract: schemathesis, driven by the app's own OpenAPI schema, sends Carla's
(an office coordinator of Lisbon Tours) requests to every operation of the live hub — valid ones, ones about
her real group, malformed ones, and ones without signing in — and every answer must be one the schema
documents: no 500, a documented status code, the documented media type and body shape, and malformed input
refused with a 4xx.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domains.kernel.runtime import Hub
from tests.support.builders import TourGroup, a_tour_group, sign_in
from tests.support.server import CLIENT_TIMEOUT_SECONDS as PATIENCE_SECONDS
from tests.support.server import RunningHub

# Bounded so the whole test stays around a minute or two on a loaded two-core machine; HUB_FUZZ_EXAMPLES
# digs deeper (a number of generated requests per operation and kind).
EXAMPLES_PER_OPERATION = int(os.environ.get("HUB_FUZZ_EXAMPLES", "5"))
NEGATIVE_EXAMPLES_PER_OPERATION = max(3, EXAMPLES_PER_OPERATION // 2)
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Operations that end the caller's session get a session of their own.
ENDS_SESSION = {"POST /api/v1/auth/logout"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Findings:
    failures: dict[str, str] = field(default_factory=dict)
    answered: dict[str, set[int]] = field(default_factory=dict)

    def record(self, label: str, response_status: int) -> None:
        self.answered.setdefault(label, set()).add(response_status)


def fuzz(
    operation: Any,
    findings: Findings,
    *,
    base_url: str,
    session: requests.Session,
    mode: GenerationMode,
    examples: int,
    path_parameters: dict[str, str] | None = None,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    checks: list[Callable[..., Any]] = CONFORMANCE + (
        [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []
    )

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if label in findings.failures:
            return
        try:
            response = case.call_and_validate(
                base_url=base_url, session=session, checks=checks, timeout=PATIENCE_SECONDS
            )
            findings.record(label, response.status_code)
        except (AssertionError, FailureGroup, requests.RequestException) as failure:  # one or more failed checks
            findings.failures[label] = f"[{mode.value}] {failure}"

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, label  # an operation without inputs has nothing to get wrong


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def fuzz_everything(
    server_url: str,
    raw_schema: dict[str, Any],
    world: TourGroup,
    scratch_group_id: uuid.UUID,
    objects: dict[str, str],
    tokens: dict[str, str],
) -> Findings:
    schema = schemathesis.openapi.from_dict(raw_schema)
    findings = Findings()
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    readable = objects | {"group_id": str(world.group.id)}
    # The fuzzer's writes to a group (new dates, a cancellation) go to a group of their own, so the reads of
    # the other one see a group as people make them.
    writable = objects | {"group_id": str(scratch_group_id)}
    for operation in operations(schema):
        label = f"{operation.method.upper()} {operation.path}"
        token = tokens["own_session"] if label in ENDS_SESSION else tokens["carla"]
        signed_in = requests.Session()
        signed_in.headers.update({"Authorization": f"Bearer {token}", "X-Forwarded-For": address})
        anonymous = requests.Session()
        anonymous.headers.update({"X-Forwarded-For": address})
        known = writable if operation.method.upper() in WRITES else readable
        own = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
        carla = {"base_url": server_url, "session": signed_in}
        fuzz(operation, findings, mode=GenerationMode.POSITIVE, examples=EXAMPLES_PER_OPERATION, **carla)
        if own:  # about her real objects
            fuzz(
                operation,
                findings,
                mode=GenerationMode.POSITIVE,
                examples=EXAMPLES_PER_OPERATION,
                path_parameters=own,
                **carla,
            )
        fuzz(operation, findings, mode=GenerationMode.NEGATIVE, examples=NEGATIVE_EXAMPLES_PER_OPERATION, **carla)
        fuzz(operation, findings, base_url=server_url, session=anonymous, mode=GenerationMode.POSITIVE, examples=1)
    return findings


async def carlas_objects(http: httpx.AsyncClient, carla: dict[str, str], world: TourGroup) -> dict[str, str]:
    """Ids of real objects of Carla's Lisbon group, by the path parameter names that take them."""
    group = f"/api/v1/groups/{world.group.id}"

    async def created(path: str, body: dict[str, Any]) -> str:
        response = await http.post(path, json=body, headers=carla)
        assert response.status_code == 201, (path, response.text)
        return str(response.json()["id"])

    assignment = (await http.get(f"{group}/assignments", headers=carla)).json()[0]
    participant = (await http.get(f"{group}/participants", headers=carla)).json()[0]
    flight = {
        "airline": "TAP",
        "flight_number": "TP1351",
        "departure_airport": "LHR",
        "arrival_airport": "LIS",
        "departure_local": "2027-04-10T07:15:00",
        "departure_timezone": "Europe/London",
        "arrival_local": "2027-04-10T10:00:00",
        "arrival_timezone": "Europe/Lisbon",
    }
    dinner = {"type": "restaurant", "date": "2027-04-11", "time": "20:00", "meal_type": "dinner"}
    return {
        "user_id": str(world.coordinator.user.id),
        "participant_id": str(participant["id"]),
        "assignment_id": str(assignment["id"]),
        "staff_id": str(assignment["staff_id"]),
        "flight_id": await created(f"{group}/flights", flight),
        "list_id": await created(f"{group}/rooming-lists", {"hotel_name": "Hotel Avenida"}),
        "voucher_id": await created(f"{group}/vouchers", dinner),
        "item_id": await created("/api/v1/catalog", {"kind": "tour", "name": "Alfama walk", "city": "Lisbon"}),
    }


async def test_every_answer_of_every_operation_is_one_the_schema_documents(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    world = await a_tour_group(hub)
    porto = await a_tour_group(hub, "Porto Autumn", org=world.org)
    tokens = {
        "carla": (await sign_in(http, world.coordinator))["access_token"],
        "own_session": (await sign_in(http, world.coordinator))["access_token"],
    }
    objects = await carlas_objects(http, {"Authorization": f"Bearer {tokens['carla']}"}, world)
    raw_schema = (await http.get("/schema/openapi.json")).json()

    findings = await asyncio.to_thread(fuzz_everything, server.url, raw_schema, world, porto.group.id, objects, tokens)

    assert not findings.failures, "\n\n".join(f"{label}: {failure}" for label, failure in findings.failures.items())
    # The fuzzer reached the operations: Carla's own group answered, strangers were turned away.
    assert 200 in findings.answered["GET /api/v1/groups/{group_id}"]
    assert 200 in findings.answered["GET /api/v1/vouchers/{voucher_id}/qr.png"]
    assert 401 in findings.answered["GET /api/v1/board"]


def answers(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return schema["paths"][path][method]["responses"]  # type: ignore[no-any-return]


async def test_the_schema_names_every_error_answer_with_the_error_body(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    error_body = {"$ref": "#/components/schemas/ErrorBody"}

    # A signed-in office write about one group: every way it can go wrong, each with the one error body.
    transition = answers(schema, "post", "/api/v1/groups/{group_id}/transition")
    assert {"400", "401", "403", "404", "409", "413", "422"} <= set(transition)
    assert all(
        transition[code]["content"]["application/json"]["schema"] == error_body
        for code in transition
        if code.startswith("4")
    )
    # Sign-in is public, answers a wrong password with 401 and is throttled.
    login = answers(schema, "post", "/api/v1/auth/login")
    assert {"400", "401", "429"} <= set(login)
    assert "security" not in schema["paths"]["/api/v1/auth/login"]["post"]
    assert schema["paths"]["/api/v1/board"]["get"]["security"] == [{"bearer": []}, {"session_cookie": []}]
    # A read without a path parameter cannot be a 404; a probe says when it is not ready.
    assert "404" not in answers(schema, "get", "/api/v1/me")
    assert set(answers(schema, "get", "/readiness")) == {"200", "503"}


async def test_the_schema_gives_the_exports_their_real_media_types_and_a_price_is_a_number(
    http: httpx.AsyncClient,
) -> None:
    schema = (await http.get("/schema/openapi.json")).json()

    exports = {
        suffix: answers(schema, "get", f"/api/v1/groups/{{group_id}}/itinerary.{suffix}")["200"]["content"]
        for suffix in ("json", "ics", "html")
    }
    assert exports["json"] == {"application/json": {"schema": {"$ref": "#/components/schemas/ItineraryOut"}}}
    assert list(exports["ics"]) == ["text/calendar"] and list(exports["html"]) == ["text/html"]
    assert list(answers(schema, "get", "/api/v1/vouchers/{voucher_id}/qr.png")["200"]["content"]) == ["image/png"]
    assert "content" not in answers(schema, "delete", "/api/v1/catalog/{item_id}")["204"]

    components = schema["components"]["schemas"]
    assert components["CatalogItemCreate"]["properties"]["price"]["type"] == "number"
    assert components["CatalogItemOut"]["properties"]["price"] == {"type": "number"}
    assert "start_date" in components["GroupCreate"]["properties"]["end_date"]["description"]


async def test_an_offset_past_a_database_integer_is_a_400_not_a_500(http: httpx.AsyncClient, hub: Hub) -> None:
    """Found by the fuzzer with HUB_FUZZ_EXAMPLES=25: the catalog's offset was unbounded."""
    world = await a_tour_group(hub)
    carla = {"Authorization": f"Bearer {(await sign_in(http, world.coordinator))['access_token']}"}
    for offset in ("964667800951605974708256768", str(2**63)):
        response = await http.get("/api/v1/catalog", params={"offset": offset}, headers=carla)
        assert response.status_code == 400, response.text
