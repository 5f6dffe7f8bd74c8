"""A dispatcher signs in, refreshes, signs out; attackers are throttled and replayed tokens kill sessions."""

from __future__ import annotations

import httpx
import pyotp

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, an_organization, bearer, next_code, sign_in
from tests.support.server import http_client


async def test_a_dispatcher_signs_in_and_sees_herself(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")

    tokens = await sign_in(http, dana)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] > 0

    me = await http.get("/api/v1/me", headers=bearer(tokens))
    assert me.status_code == 200
    assert me.json()["email"] == dana.email
    assert me.json()["role"] == "dispatcher"
    assert "password" not in me.text


async def test_wrong_credentials_get_the_same_answer_whether_the_email_exists_or_not(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")

    wrong_password = await http.post("/api/v1/auth/login", json={"email": dana.email, "password": "nope-nope"})
    unknown_email = await http.post("/api/v1/auth/login", json={"email": "nobody@x.example", "password": "nope-nope"})

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json()["detail"] == unknown_email.json()["detail"]


async def test_the_sixth_wrong_password_for_one_email_is_throttled(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")

    statuses = []
    for _ in range(6):
        response = await http.post("/api/v1/auth/login", json={"email": dana.email, "password": "guess-guess"})
        statuses.append(response.status_code)

    assert statuses == [401] * 5 + [429]
    assert int(response.headers["Retry-After"]) > 0
    # Even the right password waits until the window passes.
    blocked = await http.post("/api/v1/auth/login", json={"email": dana.email, "password": dana.password})
    assert blocked.status_code == 429


async def test_twenty_failures_from_one_address_block_that_address(server, hub: Hub) -> None:  # type: ignore[no-untyped-def]
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    async with (
        http_client(server.url, headers={"X-Forwarded-For": "192.0.2.77"}) as attacker,
        http_client(server.url, headers={"X-Forwarded-For": "192.0.2.78"}) as neighbour,
    ):
        for attempt in range(20):
            response = await attacker.post(
                "/api/v1/auth/login", json={"email": f"user{attempt}@x.example", "password": "guess-guess"}
            )
            assert response.status_code == 401
        refused = await attacker.post("/api/v1/auth/login", json={"email": dana.email, "password": dana.password})
        assert refused.status_code == 429
        # Another address is not affected.
        assert (await sign_in(neighbour, dana))["access_token"]


async def test_refresh_tokens_rotate(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    first = await sign_in(http, dana)

    second = (await http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    third = await http.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})

    assert second["refresh_token"] != first["refresh_token"]
    assert third.status_code == 200
    assert (await http.get("/api/v1/me", headers=bearer(third.json()))).status_code == 200


async def test_a_refresh_token_used_twice_kills_the_whole_family(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    stolen = await sign_in(http, dana)
    rotated = (await http.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})).json()

    replay = await http.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})

    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]
    # Every token of that sign-in is now dead: the rotated refresh token and both access tokens.
    assert (
        await http.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    ).status_code == 401
    assert (await http.get("/api/v1/me", headers=bearer(rotated))).status_code == 401
    assert (await http.get("/api/v1/me", headers=bearer(stolen))).status_code == 401
    # A fresh sign-in is a new family and works.
    assert (await http.get("/api/v1/me", headers=bearer(await sign_in(http, dana)))).status_code == 200


async def test_signing_out_ends_the_session(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    tokens = await sign_in(http, dana)

    assert (await http.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204

    assert (await http.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    assert (await http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code == 401


async def test_forged_and_missing_tokens_are_refused(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/v1/me")).status_code == 401
    forged = await http.get("/api/v1/me", headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"})
    assert forged.status_code == 401
    assert forged.json()["detail"] == "the access token is invalid"


async def test_an_admin_requires_two_factor_sign_in_for_staff(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    alex = await a_person(hub, org, Role.ADMIN, "Alex")
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    tom = await a_person(hub, org, Role.TRAVELER, "Tom")
    admin = bearer(await sign_in(http, alex))

    policy = await http.put("/api/v1/organization/security", json={"require_totp_for_staff": True}, headers=admin)
    assert policy.status_code == 200 and policy.json()["require_totp_for_staff"] is True

    # Carla may sign in, but must enrol before she can work.
    carla_tokens = bearer(await sign_in(http, carla))
    assert (await http.get("/api/v1/me", headers=carla_tokens)).json()["totp_enrollment_required"] is True
    refused = await http.get("/api/v1/users", headers=carla_tokens)
    assert refused.status_code == 403 and "two-factor" in refused.json()["detail"]
    # Travelers are not staff: the policy does not apply to Tom.
    assert (await http.get("/api/v1/me", headers=bearer(await sign_in(http, tom)))).json()[
        "totp_enrollment_required"
    ] is False

    setup = (await http.post("/api/v1/auth/totp/setup", headers=carla_tokens)).json()
    assert setup["provisioning_uri"].startswith("otpauth://totp/")
    wrong = await http.post("/api/v1/auth/totp/confirm", json={"code": "000000"}, headers=carla_tokens)
    assert wrong.status_code == 422
    code = pyotp.TOTP(setup["secret"]).now()
    assert (await http.post("/api/v1/auth/totp/confirm", json={"code": code}, headers=carla_tokens)).status_code == 204

    # From now on her sign-in needs the code.
    without_code = await http.post("/api/v1/auth/login", json={"email": carla.email, "password": carla.password})
    assert without_code.status_code == 401 and "one-time code" in without_code.json()["detail"]
    with_code = bearer(await sign_in(http, carla, totp=next_code(setup["secret"])))
    assert (await http.get("/api/v1/users", headers=with_code)).status_code == 200


async def test_roles_guard_the_routes(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    ana = await a_person(hub, org, Role.GUIDE, "Ana")
    guide = bearer(await sign_in(http, ana))

    assert (await http.get("/api/v1/users", headers=guide)).status_code == 403
    new_user = {"email": "x@y.example", "name": "X", "role": "guide", "password": "long enough password"}
    assert (await http.post("/api/v1/users", json=new_user, headers=guide)).status_code == 403
    assert (
        await http.put("/api/v1/organization/security", json={"require_totp_for_staff": True}, headers=guide)
    ).status_code == 403
