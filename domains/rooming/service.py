"""Rooming lists: create one per hotel, save its rooms, import the hotel's file as a difference."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from msgspec import UnsetType
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Invalid
from domains.kernel.lookup import get_in_group, get_scoped
from domains.kernel.rooms import group_audience
from domains.models import Group, HotelRoom, Participant, RoomingList, RoomOccupant, Voucher
from domains.rooming.events import RoomingListUpdated
from domains.rooming.importer import GuestRow, match_names
from domains.rooming.schemas import GuestChange, ImportResult, Problems, RoomIn, RoomingListCreate, RoomingListUpdate

UNSPECIFIED_TYPE = "unspecified"


@dataclass
class RoomingView:
    """A rooming list as read: its rooms in order, each with occupant ids, and the problems found."""

    rooming_list: RoomingList
    rooms: list[tuple[HotelRoom, list[uuid.UUID]]]
    problems: Problems


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


class RoomingService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def _group(self, group_id: uuid.UUID) -> Group:
        return await get_scoped(self.session, Group, group_id, "group")

    async def _list(self, list_id: uuid.UUID, *, lock: bool = False) -> RoomingList:
        # Every write to one list is serialized on its row (SQLite already serializes writers).
        return await get_scoped(self.session, RoomingList, list_id, "rooming list", lock=lock)

    async def _check_voucher(self, group_id: uuid.UUID, voucher_id: uuid.UUID) -> None:
        """The list's hotel voucher: one of this group's hotel vouchers."""
        voucher = await get_in_group(self.session, Voucher, voucher_id, group_id, "voucher")
        if voucher.type != "hotel":
            raise Invalid(f"voucher_id: {voucher.number} is a {voucher.type} voucher; a rooming list needs a hotel one")

    async def get_list(self, list_id: uuid.UUID) -> RoomingList:
        return await self._list(list_id)

    async def _participants(self, group_id: uuid.UUID) -> dict[uuid.UUID, str]:
        query = select(Participant.id, Participant.name).where(Participant.group_id == group_id)
        return {row.id: row.name for row in (await self.session.execute(query.order_by(Participant.name)))}

    def _changed(self, rooming_list: RoomingList, change: str) -> None:
        rooming_list.updated_at = utcnow()
        self.bus.publish(
            RoomingListUpdated(
                org_id=rooming_list.org_id,
                audience=group_audience(rooming_list.group_id),
                group_id=rooming_list.group_id,
                rooming_list_id=rooming_list.id,
                hotel_name=rooming_list.hotel_name,
                change=change,
            )
        )

    @staticmethod
    def _check_known(ids: Sequence[uuid.UUID], participants: dict[uuid.UUID, str], what: str) -> None:
        unknown = sorted({str(pid) for pid in ids if pid not in participants})
        if unknown:
            raise Invalid(f"{what}: not participants of this group: {', '.join(unknown)}")

    async def create(self, group_id: uuid.UUID, data: RoomingListCreate) -> RoomingList:
        group = await self._group(group_id)
        self._check_known(data.not_staying, await self._participants(group.id), "not_staying")
        if data.voucher_id is not None:
            await self._check_voucher(group.id, data.voucher_id)
        rooming_list = RoomingList(
            id=uuid.uuid4(),
            org_id=group.org_id,
            group_id=group.id,
            voucher_id=data.voucher_id,
            hotel_name=data.hotel_name.strip(),
            not_staying=sorted({str(pid) for pid in data.not_staying}),
        )
        if not rooming_list.hotel_name:
            raise Invalid("hotel_name: must not be blank")
        self.session.add(rooming_list)
        await self.session.flush()
        self._changed(rooming_list, "created")
        return rooming_list

    async def list_for_group(self, group_id: uuid.UUID) -> Sequence[RoomingList]:
        await self._group(group_id)
        query = select(RoomingList).where(RoomingList.group_id == group_id)
        return (await self.session.execute(query.order_by(RoomingList.created_at, RoomingList.id))).scalars().all()

    async def view(self, list_id: uuid.UUID) -> RoomingView:
        rooming_list = await self._list(list_id)
        participants = await self._participants(rooming_list.group_id)
        rooms = (
            (
                await self.session.execute(
                    select(HotelRoom).where(HotelRoom.rooming_list_id == list_id).order_by(HotelRoom.position)
                )
            )
            .scalars()
            .all()
        )
        occupants: dict[uuid.UUID, list[uuid.UUID]] = {room.id: [] for room in rooms}
        query = select(RoomOccupant.room_id, RoomOccupant.participant_id).where(RoomOccupant.rooming_list_id == list_id)
        for room_id, participant_id in await self.session.execute(query):
            occupants[room_id].append(participant_id)
        for ids in occupants.values():
            ids.sort(key=lambda pid: (participants.get(pid, ""), str(pid)))
        placed = Counter(pid for ids in occupants.values() for pid in ids)
        not_staying = {uuid.UUID(pid) for pid in rooming_list.not_staying}
        problems = Problems(
            missing=[str(pid) for pid in participants if pid not in placed and pid not in not_staying],
            duplicates=sorted(str(pid) for pid, times in placed.items() if times > 1),
            unknown=sorted(str(pid) for pid in set(placed) | not_staying if pid not in participants),
        )
        return RoomingView(rooming_list, [(room, occupants[room.id]) for room in rooms], problems)

    async def update(self, list_id: uuid.UUID, data: RoomingListUpdate) -> RoomingList:
        rooming_list = await self._list(list_id, lock=True)
        changed = False
        if isinstance(data.hotel_name, str) and data.hotel_name.strip() != rooming_list.hotel_name:
            if not data.hotel_name.strip():
                raise Invalid("hotel_name: must not be blank")
            rooming_list.hotel_name, changed = data.hotel_name.strip(), True
        if not isinstance(data.voucher_id, UnsetType) and data.voucher_id != rooming_list.voucher_id:
            if data.voucher_id is not None:
                await self._check_voucher(rooming_list.group_id, data.voucher_id)
            rooming_list.voucher_id, changed = data.voucher_id, True
        if isinstance(data.not_staying, list):
            participants = await self._participants(rooming_list.group_id)
            self._check_known(data.not_staying, participants, "not_staying")
            placed = set(
                (
                    await self.session.execute(
                        select(RoomOccupant.participant_id).where(RoomOccupant.rooming_list_id == list_id)
                    )
                ).scalars()
            )
            in_rooms = sorted(participants[pid] for pid in data.not_staying if pid in placed)
            if in_rooms:
                raise Invalid(f"not_staying: {', '.join(in_rooms)} have a room on this list; take them out first")
            not_staying = sorted({str(pid) for pid in data.not_staying})
            if not_staying != rooming_list.not_staying:
                rooming_list.not_staying, changed = not_staying, True
        if changed:
            self._changed(rooming_list, "details")
        return rooming_list

    async def replace_rooms(self, list_id: uuid.UUID, rooms: list[RoomIn]) -> RoomingList:
        """The whole room plan at once. Someone in two rooms, or not in the group, is refused."""
        rooming_list = await self._list(list_id, lock=True)
        participants = await self._participants(rooming_list.group_id)
        counts = Counter(pid for room in rooms for pid in room.occupants)
        twice = sorted(participants.get(pid, str(pid)) for pid, times in counts.items() if times > 1)
        if twice:
            raise Invalid(f"duplicates: someone can be in only one room: {', '.join(twice)}")
        self._check_known(list(counts), participants, "occupants")
        labels = self._labels(rooms)
        await self.session.execute(delete(RoomOccupant).where(RoomOccupant.rooming_list_id == list_id))
        await self.session.execute(delete(HotelRoom).where(HotelRoom.rooming_list_id == list_id))
        for position, (label, data) in enumerate(zip(labels, rooms, strict=True)):
            room = HotelRoom(
                id=uuid.uuid4(),
                org_id=rooming_list.org_id,
                rooming_list_id=list_id,
                label=label,
                room_type=data.room_type.strip() or UNSPECIFIED_TYPE,
                notes=data.notes.strip(),
                position=position,
            )
            self.session.add(room)
            for pid in data.occupants:
                self.session.add(self._occupant(rooming_list, room, pid))
        # Whoever has a room is staying, whatever the list said before.
        rooming_list.not_staying = [pid for pid in rooming_list.not_staying if uuid.UUID(pid) not in counts]
        await self.session.flush()
        self._changed(rooming_list, "rooms")
        return rooming_list

    @staticmethod
    def _labels(rooms: list[RoomIn]) -> list[str]:
        given = [" ".join(room.room.split()) if room.room else None for room in rooms]
        seen = Counter(_key(label) for label in given if label)
        repeated = sorted({label for label in given if label and seen[_key(label)] > 1})
        if repeated:
            raise Invalid(f"room: each room needs its own label; repeated: {', '.join(repeated)}")
        taken = {_key(label) for label in given if label}
        labels: list[str] = []
        number = 0
        for label in given:
            while label is None:
                number += 1
                label = f"Room {number}" if _key(f"Room {number}") not in taken else None
            labels.append(label)
        return labels

    @staticmethod
    def _occupant(rooming_list: RoomingList, room: HotelRoom, pid: uuid.UUID) -> RoomOccupant:
        return RoomOccupant(
            id=uuid.uuid4(), org_id=rooming_list.org_id, rooming_list_id=rooming_list.id, room_id=room.id,
            participant_id=pid,
        )  # fmt: skip

    async def import_rows(self, list_id: uuid.UUID, rows: list[GuestRow]) -> ImportResult:
        """Apply the file as the difference to the current list: nobody is ever added twice."""
        rooming_list = await self._list(list_id, lock=True)
        participants = await self._participants(rooming_list.group_id)
        matches = match_names({row.guest for row in rows}, list(participants.items()))
        desired: dict[uuid.UUID, GuestRow] = {}
        unknown: list[str] = []
        ambiguous: list[str] = []
        loose: set[str] = set()
        # People an ambiguous name may mean keep their rooms: the import cannot tell them apart.
        untouchable: set[uuid.UUID] = set()
        for row in rows:
            match = matches[row.guest]
            found = match.participant
            if match.ambiguous:
                ambiguous.append(row.guest)
                untouchable.update(match.candidates)
            elif found is None:
                unknown.append(row.guest)
            else:
                if not match.exact:
                    loose.add(f"{row.guest} → {participants[found]}")
                earlier = desired.setdefault(found, row)
                if _key(earlier.room) != _key(row.room):
                    raise Invalid(
                        f"rows {earlier.line} and {row.line} put {participants[found]} in rooms "
                        f"{earlier.room} and {row.room}; someone can be in only one room"
                    )
        if not desired and not ambiguous:
            # Applying it would empty the list: far likelier the wrong file (or group) than a real change.
            raise Invalid(f"none of the {len(rows)} guest names in the file is a participant of this group")
        rooms = {
            _key(room.label): room
            for room in (
                await self.session.execute(select(HotelRoom).where(HotelRoom.rooming_list_id == list_id))
            ).scalars()
        }
        occupants = {
            occupant.participant_id: occupant
            for occupant in (
                await self.session.execute(select(RoomOccupant).where(RoomOccupant.rooming_list_id == list_id))
            ).scalars()
        }
        label_of = {room.id: room.label for room in rooms.values()}
        had_guests = {occupant.room_id for occupant in occupants.values()}
        result = ImportResult([], [], [], 0, sorted(set(unknown)), sorted(set(ambiguous)), [], sorted(loose))
        position = max((room.position for room in rooms.values()), default=-1) + 1
        for row in desired.values():
            room = rooms.get(_key(row.room))
            if room is None:
                room = HotelRoom(
                    id=uuid.uuid4(), org_id=rooming_list.org_id, rooming_list_id=list_id, label=row.room,
                    room_type=row.room_type or UNSPECIFIED_TYPE, position=position,
                )  # fmt: skip
                rooms[_key(row.room)], label_of[room.id], position = room, room.label, position + 1
                self.session.add(room)
            elif row.room_type and row.room_type != room.room_type and room.label not in result.room_types_changed:
                room.room_type = row.room_type
                result.room_types_changed.append(room.label)
        await self.session.flush()  # new rooms exist before anyone moves into them
        for pid, row in desired.items():
            room = rooms[_key(row.room)]
            change = GuestChange(participant_id=str(pid), name=participants[pid], room=room.label)
            occupant = occupants.get(pid)
            if occupant is None:
                self.session.add(self._occupant(rooming_list, room, pid))
                result.added.append(change)
            elif occupant.room_id != room.id:
                # Read the old room before the move: `occupants` keeps the same objects.
                change.from_room, occupant.room_id = label_of[occupant.room_id], room.id
                result.moved.append(change)
            else:
                result.unchanged += 1
        for pid, occupant in occupants.items():
            if pid not in desired and pid not in untouchable:
                name = participants.get(pid, str(pid))
                result.removed.append(GuestChange(str(pid), name, room=label_of[occupant.room_id]))
                await self.session.delete(occupant)
        await self.session.flush()
        await self._drop_rooms_left_empty(list_id, had_guests, {_key(row.room) for row in desired.values()}, rooms)
        placed = {str(pid) for pid in desired}
        if any(pid in placed for pid in rooming_list.not_staying):
            rooming_list.not_staying = [pid for pid in rooming_list.not_staying if pid not in placed]
        if result.added or result.moved or result.removed or result.room_types_changed:
            self._changed(rooming_list, "imported")
        return result

    async def _drop_rooms_left_empty(
        self, list_id: uuid.UUID, had_guests: set[uuid.UUID], in_file: set[str], rooms: dict[str, HotelRoom]
    ) -> None:
        """Rooms that had guests before this import, and that the file no longer names, are gone."""
        candidates = [room for key, room in rooms.items() if room.id in had_guests and key not in in_file]
        if not candidates:
            return
        query = select(RoomOccupant.room_id).where(RoomOccupant.room_id.in_([room.id for room in candidates]))
        still_used = set((await self.session.execute(query.distinct())).scalars())
        for room in candidates:
            if room.id not in still_used:
                await self.session.delete(room)
        await self.session.flush()
