"""Validating and presenting people data: E.164 phones, masked passports."""

from __future__ import annotations

import phonenumbers

from domains.kernel.errors import Invalid


def e164(phone: str | None, region: str | None = None) -> str | None:
    """A phone number in E.164; without a region the number must start with '+'."""
    if phone is None or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        raise Invalid(
            f"phone {phone!r} is not a phone number (use the international form, e.g. +351 912 345 678)"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise Invalid(f"phone {phone!r} is not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_passport(number: str | None) -> str | None:
    """Passports appear masked in lists and logs: the last 4 characters behind a fixed-width mask,
    which does not leak the length (and short numbers show nothing at all)."""
    if not number:
        return None
    return "•••••" + (number[-4:] if len(number) >= 8 else "")
