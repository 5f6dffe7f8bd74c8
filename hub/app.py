"""The ASGI application factory: Litestar (HTTP) and Socket.IO (`/socket.io`) in one app on one port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp

from domains.kernel.runtime import Hub
from domains.kernel.settings import Settings, check_startup, get_settings
from hub.logs import configure_logging
from hub.wiring import (
    API,
    PUBLIC,
    Assistant,
    build_assistant,
    build_jobs,
    build_realtime,
    build_web_dependencies,
    subscribe,
    warm_up,
    who_is_online,
)
from hub.worker.scheduler import Scheduler
from realtime.server import Realtime
from web.auth import metrics_access
from web.errors import EXCEPTION_HANDLERS
from web.middleware import HubMiddleware
from web.openapi import COMPONENTS, document_api, strict_json_body
from web.pages import NODE_MODULES, STATIC_DIR, TEMPLATES_DIR
from web.requests import json_depth_limit


class MetricsController(PrometheusController):
    path = "/metrics"
    guards = [metrics_access]  # a bearer token in production (HUB_METRICS_TOKEN)


def build_litestar(hub: Hub, realtime: Realtime, assistant: Assistant) -> Litestar:
    settings = hub.settings
    prometheus = PrometheusConfig(app_name="spirit_hub", prefix="hub", group_path=True, exclude=["/metrics"])

    scheduler = Scheduler(build_jobs(hub) if settings.scheduler_enabled else [])

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await realtime.start()
        scheduler.start()
        models = asyncio.create_task(warm_up(assistant)) if settings.bot_warm_up else None
        try:
            yield
        finally:
            if models is not None:
                models.cancel()
            await scheduler.stop()
            await realtime.stop()
            await hub.close()

    app = Litestar(
        route_handlers=[
            API,
            *PUBLIC,
            MetricsController,
            create_static_files_router("/static", directories=[STATIC_DIR], name="static"),
            create_static_files_router("/static/vendor", directories=[NODE_MODULES], name="vendor"),
        ],
        template_config=TemplateConfig(directory=TEMPLATES_DIR, engine=JinjaTemplateEngine),
        dependencies=build_web_dependencies(hub, assistant),
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[prometheus.middleware, json_depth_limit],
        cors_config=CORSConfig(allow_origins=settings.cors_origins) if settings.cors_origins else None,
        openapi_config=OpenAPIConfig(
            title="Spirit Hub API",
            version="1",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
            components=COMPONENTS,
        ),
        before_request=strict_json_body,
        state=State({"hub": hub, "realtime": realtime}),
        lifespan=[lifespan],
        request_max_body_size=1024 * 1024,
        debug=False,
        logging_config=None,
    )
    document_api(app)
    return app


def build_app(settings: Settings) -> tuple[Hub, ASGIApp]:
    """The hub and its ASGI app; tests keep the hub to watch its events."""
    check_startup(settings)
    configure_logging(settings)
    hub = Hub(settings)
    assistant = build_assistant(hub)
    realtime = build_realtime(hub, assistant)
    subscribe(hub, online=who_is_online(realtime.presence))
    app = realtime.asgi(build_litestar(hub, realtime, assistant))
    return hub, HubMiddleware(app, production=settings.is_production)


def create_app(settings: Settings | None = None) -> ASGIApp:
    """The uvicorn factory (`hub.app:create_app`)."""
    return build_app(settings or get_settings())[1]
