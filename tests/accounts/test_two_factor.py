"""Two-factor sign-in: a one-time code is good once, and a bound authenticator is replaced only by its owner
(the password, or a current code from it), never by whoever holds a session."""

from __future__ import annotations

import time

import httpx
import pyotp

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import Person, a_person, an_organization, bearer, next_code, sign_in


async def enrolled(http: httpx.AsyncClient, person: Person) -> tuple[dict[str, str], str, str]:
    """Signs `person` in and binds an authenticator (the first one needs no more than the session); returns the
    session's headers, the authenticator's secret and the code that confirmed it."""
    tokens = bearer(await sign_in(http, person))
    secret = (await http.post("/api/v1/auth/totp/setup", headers=tokens)).json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = await http.post("/api/v1/auth/totp/confirm", json={"code": code}, headers=tokens)
    assert confirmed.status_code == 204, confirmed.text
    return tokens, secret, code


async def login(http: httpx.AsyncClient, person: Person, totp: str) -> httpx.Response:
    return await http.post(
        "/api/v1/auth/login", json={"email": person.email, "password": person.password, "totp": totp}
    )


async def test_a_one_time_code_signs_in_once(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    _, secret, confirming = await enrolled(http, carla)
    # The code that confirmed the authenticator is spent already.
    assert (await login(http, carla, confirming)).status_code == 401

    code = next_code(secret)
    assert (await login(http, carla, code)).status_code == 200
    # Someone who watched Carla type it tries the same code within its window.
    replayed = await login(http, carla, code)
    assert replayed.status_code == 401
    assert replayed.json()["detail"] == (
        "this one-time code has already been used; wait for the next one from the authenticator app"
    )


async def test_a_code_from_before_the_last_one_used_is_refused_too(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    _, secret, _ = await enrolled(http, carla)
    totp = pyotp.TOTP(secret)
    assert (await login(http, carla, totp.at(time.time() + 30))).status_code == 200
    # An older code, still inside the drift window, cannot come after a newer one.
    assert (await login(http, carla, totp.at(time.time() - 30))).status_code == 401


async def test_a_session_alone_cannot_rebind_the_authenticator(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    stolen, secret, _ = await enrolled(http, carla)

    # Mallory holds Carla's access token and tries to put her own authenticator in its place.
    setup = await http.post("/api/v1/auth/totp/setup", headers=stolen)
    assert setup.status_code == 403
    assert "password" in setup.json()["detail"] and "current code" in setup.json()["detail"]
    guessed = await http.post("/api/v1/auth/totp/setup", json={"password": "hunter2"}, headers=stolen)
    assert (
        guessed.status_code == 403 and guessed.json()["detail"] == "the password or the current one-time code is wrong"
    )
    confirm = await http.post("/api/v1/auth/totp/confirm", json={"code": "123456"}, headers=stolen)
    assert confirm.status_code == 422  # nothing to confirm: no setup was started

    # Carla's own authenticator still signs her in.
    assert (await login(http, carla, next_code(secret))).status_code == 200


async def test_the_owner_rebinds_with_her_password(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    tokens, old_secret, _ = await enrolled(http, carla)

    setup = await http.post("/api/v1/auth/totp/setup", json={"password": carla.password}, headers=tokens)
    assert setup.status_code == 200
    new_secret = setup.json()["secret"]
    new_code = pyotp.TOTP(new_secret).now()
    # The confirmation is a re-bind as well: without the proof it is refused.
    bare = await http.post("/api/v1/auth/totp/confirm", json={"code": new_code}, headers=tokens)
    assert bare.status_code == 403
    proven = {"code": new_code, "password": carla.password}
    assert (await http.post("/api/v1/auth/totp/confirm", json=proven, headers=tokens)).status_code == 204

    assert (await login(http, carla, next_code(old_secret))).status_code == 401
    assert (await login(http, carla, next_code(new_secret))).status_code == 200


async def test_the_owner_rebinds_with_a_current_code_which_is_then_spent(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    tokens, old_secret, _ = await enrolled(http, carla)

    current = next_code(old_secret)
    setup = await http.post("/api/v1/auth/totp/setup", json={"current_code": current}, headers=tokens)
    assert setup.status_code == 200
    # The code that proved the re-bind cannot sign in afterwards.
    assert (await login(http, carla, current)).status_code == 401
    new_secret = setup.json()["secret"]
    confirm = {"code": pyotp.TOTP(new_secret).now(), "password": carla.password}
    assert (await http.post("/api/v1/auth/totp/confirm", json=confirm, headers=tokens)).status_code == 204
