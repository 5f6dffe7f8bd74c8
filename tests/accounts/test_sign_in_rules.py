"""Sign-in rules that need no server: shared throttling across processes, concurrent refreshes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from domains.auth.service import AuthService
from domains.kernel.errors import TooManyAttempts, Unauthenticated
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.backends import Backend
from tests.support.builders import PASSWORD, a_person, an_organization


async def test_two_hub_processes_share_the_sign_in_throttle(backend: Backend, tmp_path: Path) -> None:
    if not backend.redis_url:
        pytest.skip("in-memory throttling is per process by design; sharing needs REDIS_URL")
    first, second = Hub(backend.settings(tmp_path / "a")), Hub(backend.settings(tmp_path / "b"))
    try:
        for _ in range(3):
            await first.login_throttle.failed("shared@x.example", "198.51.100.1")
        for _ in range(2):
            await second.login_throttle.failed("shared@x.example", "198.51.100.2")
        with pytest.raises(TooManyAttempts):
            await first.login_throttle.check("shared@x.example", "198.51.100.3")
    finally:
        await first.close()
        await second.close()


async def test_two_concurrent_refreshes_with_one_token_let_at_most_one_through(hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    async with hub.unit_of_work() as uow:
        pair = await AuthService(uow.session, uow.bus, hub.tokens).login(dana.email, PASSWORD, None)

    async def refresh() -> str:
        try:
            async with hub.unit_of_work() as uow:
                return (await AuthService(uow.session, uow.bus, hub.tokens).refresh(pair.refresh_token)).refresh_token
        except Unauthenticated:
            return "refused"

    results = await asyncio.gather(refresh(), refresh())
    assert results.count("refused") == 1
