"""`python -m hub run | migrate | seed-demo | create-user | worker` — all honour DATABASE_URL and REDIS_URL."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

import msgspec

from domains.kernel.settings import ConfigurationError, Settings, check_startup, get_settings


def _run(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    uvicorn.run(
        "hub.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=True,
        log_config=None,
        ws="websockets-sansio",
        # Compressing every small Socket.IO frame costs more CPU than the bytes it saves.
        ws_per_message_deflate=False,
    )


def _migrate(_: argparse.Namespace, settings: Settings) -> None:
    from hub.migrate import upgrade_head

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_head(settings.effective_database_url)
    print(f"migrations applied to {_safe_url(settings)}")


def _seed_demo(_: argparse.Namespace, settings: Settings) -> None:
    from domains.kernel.runtime import Hub
    from hub.demo.data import seed_demo
    from hub.wiring import subscribe

    async def seed() -> None:
        hub = Hub(settings)
        # The demo's confirmed vouchers and assignment requests queue their notifications like any change.
        subscribe(hub)
        try:
            logins = await seed_demo(hub)
        finally:
            await hub.close()
        print("Demo logins (organization 'demo'):")
        for login in logins:
            state = "created" if login.created else "exists"
            print(f"  {login.role:<12} {login.email:<40} password: {login.password}  ({state})")

    asyncio.run(seed())


def _read_new_password() -> str:
    if password := os.environ.get("HUB_NEW_PASSWORD"):
        return password
    if sys.stdin.isatty():
        return getpass.getpass("Password for the new user: ")
    return sys.stdin.readline().rstrip("\n")


def _create_user(args: argparse.Namespace, settings: Settings) -> None:
    from domains.kernel.errors import DomainError
    from domains.kernel.runtime import Hub
    from domains.organizations.service import OrganizationService
    from domains.users.schemas import UserCreate
    from domains.users.service import UserService

    password = _read_new_password()
    try:
        data = msgspec.convert(
            {"email": args.email, "name": args.name, "role": args.role, "password": password}, UserCreate
        )
    except msgspec.ValidationError as exc:
        raise SystemExit(f"create-user: {exc}") from None

    async def create() -> None:
        hub = Hub(settings)
        try:
            async with hub.unit_of_work() as uow:
                org = await OrganizationService(uow.session, uow.bus).ensure_organization(args.org, args.org)
                user = await UserService(uow.session, uow.bus).create_user(org.id, data)
            print(f"created {user.role} {user.email} in organization {args.org!r} (id {user.id})")
        except DomainError as exc:
            raise SystemExit(f"create-user: {exc.message}") from None
        finally:
            await hub.close()

    asyncio.run(create())


def _worker(_: argparse.Namespace, settings: Settings) -> None:
    """Run the periodic jobs without serving HTTP (the Procfile's `worker:`)."""
    import signal

    from domains.kernel.runtime import Hub
    from hub.logs import configure_logging
    from hub.wiring import build_jobs, subscribe, who_is_online
    from hub.worker.scheduler import Scheduler
    from realtime.presence import presence_store

    async def work() -> None:
        configure_logging(settings)
        hub = Hub(settings)
        subscribe(hub, online=who_is_online(presence_store(hub)))  # read-only: this process holds no sockets
        scheduler = Scheduler(build_jobs(hub))
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        scheduler.start()
        print("worker running: reminders, alert escalation and outbox delivery (Ctrl+C to stop)")
        try:
            await stop.wait()
        finally:
            await scheduler.stop()
            await hub.close()

    asyncio.run(work())


def _safe_url(settings: Settings) -> str:
    url = settings.effective_database_url
    return url.split("@")[-1] if "@" in url else url


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m hub", description="Spirit Hub")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the hub (HTTP API, Socket.IO, pages)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.set_defaults(handler=_run)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=_migrate)
    commands.add_parser("seed-demo", help="load demo data (idempotent)").set_defaults(handler=_seed_demo)
    commands.add_parser("worker", help="run reminders and outbox delivery without HTTP").set_defaults(handler=_worker)
    create = commands.add_parser("create-user", help="create a user; the password comes from HUB_NEW_PASSWORD or stdin")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True)
    create.add_argument("--org", default="demo", help="organization slug, created when missing (default: demo)")
    create.set_defaults(handler=_create_user)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    settings = get_settings()
    try:
        check_startup(settings)
    except ConfigurationError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
    args.handler(args, settings)


if __name__ == "__main__":
    main()
