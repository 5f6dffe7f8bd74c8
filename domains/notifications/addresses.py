"""Recipient addresses (E.164 phones, plausible emails) and SMS length in segments."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

# GSM 03.38: the basic set plus the extension table (each extension character costs two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 2
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


class BadAddress(ValueError):
    """The recipient's address cannot be used; the message says why, for the outbox row."""


def e164(phone: str, region: str | None = None) -> str:
    """The number in E.164 (+351912345678), or BadAddress with the reason."""
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as exc:
        raise BadAddress(f"invalid phone number {phone!r}: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise BadAddress(f"invalid phone number {phone!r}: not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def email_address(value: str) -> str:
    address = value.strip()
    local, _, domain = address.rpartition("@")
    if len(address) > 254 or len(local) > 64 or not EMAIL.match(address):
        raise BadAddress(f"invalid email address {value!r}")
    return f"{local}@{domain.lower()}"


def is_gsm(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # GSM-7 | UCS-2
    units: int
    segments: int


def sms_length(text: str) -> SmsLength:
    """How many segments carriers bill: GSM-7 160 (153 when split), UCS-2 70 (67 when split)."""
    if is_gsm(text):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // part)
    return SmsLength(encoding, units, segments)


def to_gsm(text: str) -> str:
    """Accents GSM-7 lacks (á í ó ú ...) folded to plain letters; GSM's own (é ñ ü ¿ ¡) are kept."""
    out = []
    for char in text:
        if char in GSM_BASIC or char in GSM_EXTENSION:
            out.append(char)
            continue
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}.get(char, folded or "?"))
    return "".join(out)


def fit_sms(text: str) -> tuple[str, str | None]:
    """The SMS text and, when it still exceeds 2 segments, a note saying why (recorded on the row).

    Spanish accents would switch the whole message to UCS-2 (70 characters a segment), so they are
    folded to GSM-7 when that is what keeps the message within 2 segments.
    """
    text = " ".join(text.split())
    length = sms_length(text)
    if length.segments <= MAX_SEGMENTS:
        return text, None
    folded = to_gsm(text)
    folded_length = sms_length(folded)
    if folded_length.segments <= MAX_SEGMENTS:
        return folded, None
    best, best_length = (folded, folded_length) if folded_length.segments < length.segments else (text, length)
    return best, (
        f"SMS is {best_length.segments} segments ({best_length.units} {best_length.encoding} units): "
        "the names and details it must carry do not fit in 2"
    )
