"""Recording what a traveler tells us about their diet or the assistance they need.

The assistant calls this when a traveler says "I'm vegetarian" or "my mother uses a wheelchair"; the event
reaches the staff in the group's room and the dispatch board, so the coordinator sees it without anyone
relaying it (and the other travelers in the room do not).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domains.groups.events import TravelerNeedsRecorded
from domains.kernel.bus import EventBus
from domains.kernel.errors import Invalid
from domains.kernel.lookup import get_scoped
from domains.kernel.rooms import BOARD, RoomKey, group_room, user_room
from domains.models import Participant

MAX_SPECIAL_NEEDS = 1000  # the column's length
MAX_DIET_LABEL = 40


def needs_audience(group_id: uuid.UUID, traveler_id: uuid.UUID | None) -> tuple[RoomKey, ...]:
    """The group's room and the board, and the traveler in person: the event is declared for staff
    (`TravelerNeedsRecorded.visible_to`), so of the room only its staff hear a traveler's health and diet."""
    return (group_room(group_id), BOARD, *((user_room(traveler_id),) if traveler_id else ()))


class TravelerNeedsService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def record_needs(
        self, participant_id: uuid.UUID, dietary: Sequence[str] = (), special_needs: str = "", *, source: str
    ) -> Participant:
        """Add diets and a note on assistance to what we know (nothing known is dropped). Saying a known need
        again changes nothing and announces nothing."""
        participant = await get_scoped(self.session, Participant, participant_id, "participant", lock=True)
        diets = {item.strip().lower() for item in dietary if item.strip()}
        if any(len(item) > MAX_DIET_LABEL for item in diets):
            raise Invalid(f"a dietary need is at most {MAX_DIET_LABEL} characters")
        added_diets = sorted(diets - set(participant.dietary))
        note = " ".join(special_needs.split())
        added_note = note if note and note.lower() not in participant.special_needs.lower() else ""
        if not added_diets and not added_note:
            return participant
        if added_diets:
            participant.dietary = sorted({*participant.dietary, *added_diets})
        if added_note:
            combined = f"{participant.special_needs}; {added_note}" if participant.special_needs else added_note
            if len(combined) > MAX_SPECIAL_NEEDS:
                raise Invalid(f"special needs are limited to {MAX_SPECIAL_NEEDS} characters; ask the coordinator")
            participant.special_needs = combined
        self.bus.publish(
            TravelerNeedsRecorded(
                org_id=participant.org_id,
                audience=needs_audience(participant.group_id, participant.user_id),
                group_id=participant.group_id,
                participant_id=participant.id,
                participant_name=participant.name,
                dietary=list(participant.dietary),
                special_needs=participant.special_needs,
                added_dietary=added_diets,
                added_special_needs=added_note,
                source=source,
            )
        )
        return participant
