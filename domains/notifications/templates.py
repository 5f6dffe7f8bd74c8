"""Message templates: one Jinja2 file per message type and language, with blocks for each part.

`templates/<lang>/<type>.j2` defines `subject`, `text` and `html` (email) and `sms`. The HTML block is
rendered with autoescaping, the others without, from the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES_DIR = Path(__file__).parent / "templates"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
MESSAGE_TYPES = (
    "voucher_issued",
    "voucher_changed",
    "rooming_list",
    "assignment_request",
    "assignment_reply",
    "reminder_missing_data",
    "itinerary_changed",
    "escalation",
    "sms_forwarded",
    "alert",
)
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


@jinja2.pass_context
def _day(context: jinja2.runtime.Context, value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    months = MONTHS.get(str(context.get("lang", DEFAULT_LANGUAGE)), MONTHS[DEFAULT_LANGUAGE])
    return f"{value.day} {months[value.month - 1]} {value.year}"


HIDDEN_DETAILS = frozenset({"type", "rooming_list_id"})


@jinja2.pass_context
def _details(context: jinja2.runtime.Context, details: dict[str, Any]) -> list[tuple[str, str]]:
    """A voucher's stored details as (label, text) lines a person reads: dates spelled out, no empty values."""
    lines = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS or value in (None, "", [], {}):
            continue
        if isinstance(value, list) and all(isinstance(item, dict) and "count" in item for item in value):
            text = ", ".join(f"{item['count']} x {item.get('type', '')}".strip() for item in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            text = _day(context, value)
        else:
            text = str(value)
        lines.append((key.replace("_", " ").capitalize(), text))
    return lines


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=autoescape,  # noqa: S701 - text and SMS parts are not HTML; the HTML part escapes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["day"] = _day
    env.filters["details"] = _details
    return env


_PLAIN = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def language_for(*candidates: str | None) -> str:
    """The first supported language among the candidates ("es-ES" counts as "es"), else English."""
    for candidate in candidates:
        if candidate and candidate[:2].lower() in LANGUAGES:
            return candidate[:2].lower()
    return DEFAULT_LANGUAGE


def _block(env: jinja2.Environment, name: str, block: str, context: dict[str, Any]) -> str:
    template = env.get_template(name)
    render = template.blocks.get(block)
    if render is None:
        return ""
    return "".join(render(template.new_context(context))).strip()


def render(message_type: str, language: str, context: dict[str, Any]) -> Rendered:
    """Every part of one message; raises jinja2.TemplateError when the context lacks what it needs."""
    if message_type not in MESSAGE_TYPES:
        raise ValueError(f"unknown message type {message_type!r}")
    lang = language_for(language)
    name = f"{lang}/{message_type}.j2"
    values = {**context, "lang": lang}
    return Rendered(
        subject=" ".join(_block(_PLAIN, name, "subject", values).split()),
        text=_block(_PLAIN, name, "text", values) + "\n",
        html=_block(_HTML, name, "html", values),
        sms=_block(_PLAIN, name, "sms", values),
    )
