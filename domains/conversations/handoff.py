"""Hand-off: the assistant passes a traveler's conversation to the people in the group's room.

It is a room event (in the log, so it replays to a coordinator who joins later) and not a chat message:
clients show it as a request to act, and the coordinator answers with an ordinary message in the room,
which the traveler, a member of the room, receives. It is for staff: the room's travelers get a stub
(`BotHandoff.redacted`, applied by `domains/conversations/audience.py` and `realtime/broadcast.py`). It also
raises an alert in the same unit of work (`domains.alerts`): kept on the board and in the staff's inbox until
acknowledged, routed to whoever is online, else by SMS and email.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.alerts.service import AlertService
from domains.conversations.events import BotHandoff
from domains.conversations.log import RoomLog
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.rooms import group_room
from domains.kernel.security import Principal
from domains.models import Group, Participant

MAX_TURNS = 10
MAX_TURN_TEXT = 4000
SPEAKERS = ("traveler", "bot")


class HandoffService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def hand_off(
        self,
        traveler: Principal,
        traveler_name: str,
        group_id: uuid.UUID,
        reason: str,
        transcript: Sequence[dict[str, str]],
        language: str,
    ) -> dict[str, Any]:
        """Record the hand-off in the group room's log; returns what the room receives."""
        member = await self.session.scalar(
            select(exists().where(Participant.group_id == group_id, Participant.user_id == traveler.user_id))
        )
        if not member:
            raise Forbidden("only a traveler of the group can hand a conversation to its room")
        turns = list(transcript)[-MAX_TURNS:]
        for turn in turns:
            if turn.get("from") not in SPEAKERS or not isinstance(turn.get("text"), str):
                raise Invalid(f"each turn needs 'from' ({' or '.join(SPEAKERS)}) and 'text'")
        handoff_id = str(uuid.uuid4())
        handoff = {
            "id": handoff_id,
            "traveler": {"id": str(traveler.user_id), "name": traveler_name},
            "reason": reason,
            "language": language,
            "transcript": [
                {"from": t["from"], "text": t["text"][:MAX_TURN_TEXT], "at": t.get("at", "")} for t in turns
            ],
            "created_at": utcnow().isoformat(),
        }
        room = group_room(group_id)
        await RoomLog(self.session, self.bus).append(
            BotHandoff, traveler.org_id, traveler.user_id, room, {"handoff": handoff}
        )
        group = await self.session.get(Group, group_id)
        if group is not None:
            said = [turn["text"] for turn in turns if turn["from"] == "traveler"]
            await AlertService(self.session, self.bus).raise_alert(
                group, f"handoff:{handoff_id}", reason, traveler.user_id, traveler_name, said[-1] if said else ""
            )
        return handoff
