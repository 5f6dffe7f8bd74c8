from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class FlightAdded(Event, frozen=True, kw_only=True):
    name = "flight.added"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    flight_id: uuid.UUID
    flight_number: str


class FlightChanged(Event, frozen=True, kw_only=True):
    name = "flight.changed"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    flight_id: uuid.UUID
    flight_number: str
    changed: tuple[str, ...]


class PassengerAdded(Event, frozen=True, kw_only=True):
    name = "flight.passenger_added"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    flight_id: uuid.UUID
    participant_id: uuid.UUID
