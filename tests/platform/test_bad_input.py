"""Client mistakes get a 4xx with a message, never a 500: every write route gets malformed bodies."""

from __future__ import annotations

import httpx

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, an_organization, bearer, sign_in

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


async def test_every_write_route_answers_malformed_bodies_with_4xx(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    alex = await a_person(hub, org, Role.ADMIN, "Alex")
    headers = bearer(await sign_in(http, alex)) | {"Content-Type": "application/json"}
    schema = (await http.get("/schema/openapi.json")).json()
    write_routes = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch") and "requestBody" in operations[method]
    ]
    assert ("post", "/api/v1/auth/login") in write_routes and len(write_routes) >= 5

    for method, path in write_routes:
        for label, body in MALFORMED_BODIES:
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
