"""Validating and presenting people data: E.164 phones, masked passports."""

from __future__ import annotations

import phonenumbers

from hub.errors import Invalid


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
    """Passport numbers appear masked in lists and logs: only the last 3 characters stay visible."""
    if not number:
        return None
    return "•" * max(len(number) - 3, 3) + number[-3:]
