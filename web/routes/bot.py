"""`POST /api/v1/bot/messages {text}`: a traveler asks the assistant over HTTP (the socket way is `bot:ask`)."""

from __future__ import annotations

import msgspec
from litestar import Controller, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import JSONBody

from ai.bot.assistant import STAFF_REFUSAL, BotReply
from domains.kernel.errors import Forbidden
from domains.kernel.security import Role
from web.deps import AssistantDep, IdentityDep
from web.guards import current_identity


class BotMessage(msgspec.Struct, forbid_unknown_fields=True):
    text: str = ""  # emptiness and length are checked by the assistant, so both transports say the same


def travelers_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    if current_identity(connection).principal.role != Role.TRAVELER:
        raise Forbidden(STAFF_REFUSAL)


class BotController(Controller):
    path = "/bot"
    tags = ["assistant"]
    guards = [travelers_only]

    @post("/messages", status_code=200)
    async def ask(self, data: JSONBody[BotMessage], identity: IdentityDep, assistant: AssistantDep) -> BotReply:
        """The reply, grounded in the traveler's own trip; `handoff: true` when a person will answer instead
        (in the group room). 422 for an empty or oversized text, 403 for staff."""
        return await assistant.answer(identity.principal, data.text)
