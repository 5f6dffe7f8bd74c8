"""A plain, printable HTML page of the itinerary: no scripts, every value escaped."""

from __future__ import annotations

from datetime import date
from html import escape

from domains.itineraries.schemas import ItemView, ItineraryOut

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { margin: 0 0 .25rem; } .dates { color: #555; margin-bottom: 1.5rem; }
h2 { font-size: 1.1rem; border-bottom: 2px solid #333; margin: 1.5rem 0 .5rem; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .3rem .5rem; }
tr { border-bottom: 1px solid #ddd; page-break-inside: avoid; } .time { white-space: nowrap; width: 7rem; }
.kind { text-transform: uppercase; font-size: .75rem; color: #555; width: 5rem; } .empty { color: #777; }
.warning { color: #8a4b00; } .cancelled { text-decoration: line-through; color: #777; }
@media print { body { margin: 0; } }
"""


def _when(item: ItemView) -> str:
    if not item.start:
        return ""
    return f"{item.start}–{item.end}" if item.end else item.start


def _place(item: ItemView) -> str:
    place = item.place or {}
    return "<br>".join(escape(part) for part in (place.get("name"), place.get("address")) if part)


def _row(item: ItemView) -> str:
    status = "" if item.status == "planned" else f" ({escape(item.status)})"
    notes = f"<br><small>{escape(item.notes)}</small>" if item.notes else ""
    return (
        f'<tr class="{escape(item.status)}"><td class="time">{escape(_when(item))}</td>'
        f'<td class="kind">{escape(item.kind)}</td>'
        f"<td><strong>{escape(item.title)}</strong>{status}{notes}</td><td>{_place(item)}</td></tr>"
    )


def render(itinerary: ItineraryOut) -> str:
    warned: dict[str, list[str]] = {}
    for warning in itinerary.warnings:
        warned.setdefault(warning.day, []).append(warning.message)
    sections = []
    for day in itinerary.days:
        heading = date.fromisoformat(day.date).strftime("%A %d %B %Y")
        body = "".join(_row(item) for item in day.items) or '<tr><td class="empty">Nothing planned.</td></tr>'
        notes = "".join(f'<p class="warning">⚠ {escape(message)}</p>' for message in warned.get(day.date, []))
        sections.append(f"<section><h2>{escape(heading)}</h2><table>{body}</table>{notes}</section>")
    title = escape(itinerary.group_name)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} — itinerary</title><style>{STYLE}</style></head><body>"
        f'<h1>{title}</h1><p class="dates">{escape(itinerary.start_date)} to {escape(itinerary.end_date)}'
        f" · times in {escape(itinerary.timezone)} · as of update {itinerary.seq}</p>"
        + "".join(sections)
        + "</body></html>\n"
    )
