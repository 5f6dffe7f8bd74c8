"""The itinerary's downloads (JSON, iCalendar, printable HTML), each refused past a size bound.

Rendering is plain CPU work; the web layer runs these functions in a worker thread, so a large export
never holds up other requests.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from domains.itineraries import ical, printable
from domains.itineraries.schemas import ItineraryOut
from domains.kernel.errors import TooLarge

MAX_EXPORT_BYTES = 8 * 1024 * 1024


def bounded(body: bytes, kind: str) -> bytes:
    limit = MAX_EXPORT_BYTES
    if len(body) > limit:
        raise TooLarge(
            f"the {kind} export would be {len(body) / 1_048_576:.1f} MiB, more than the {limit / 1_048_576:g} MiB"
            " allowed; remove items or shorten the notes"
        )
    return body


def as_json(itinerary: ItineraryOut) -> bytes:
    return bounded(msgspec.json.encode(itinerary), "JSON")


def as_ics(itinerary: ItineraryOut, now: datetime | None = None) -> bytes:
    return bounded(ical.render(itinerary, now).encode("utf-8"), "iCalendar")


def as_html(itinerary: ItineraryOut) -> bytes:
    return bounded(printable.render(itinerary).encode("utf-8"), "printable")
