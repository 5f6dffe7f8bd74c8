"""Signed voucher codes and their QR / Code 128 renderings.

A code reads `V-2027-0001.<43 base64url chars>`: the voucher number in clear (so a person can read it
off a printout) and base64url(voucher id (16 bytes) + HMAC-SHA256 (truncated to 16 bytes) over a version
tag, the id and the number). 55 characters fit a version-4 QR code at level M and a Code 128 barcode.
The key is derived from the hub's signing secret, never the secret itself, so a voucher MAC can never
double as a JWT signature (and rotating the secret invalidates printed codes, which is documented).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import re
import uuid
from dataclasses import dataclass

import segno
from barcode import Code128  # type: ignore[import-untyped]
from barcode.writer import ImageWriter, SVGWriter  # type: ignore[import-untyped]

from domains.kernel.errors import Invalid

_VERSION = b"spirit-hub voucher code v1"
_MAC_BYTES = 16  # 128 bits: far beyond guessing, and keeps the code short enough to scan easily
_BODY_CHARS = 43  # base64url of 32 bytes, unpadded
_NUMBER = re.compile(r"^[A-Z]{1,3}-[0-9]{4}-[0-9]{4,8}$")
SIGNATURE_REFUSED = "invalid signature: the code was altered or was not issued by this hub"


@dataclass(frozen=True, slots=True)
class VerifiedCode:
    voucher_id: uuid.UUID
    number: str


class VoucherCodes:
    """Signs and verifies voucher codes with a key derived from the hub secret (passed in by the boundary)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the voucher code key must be at least 32 bytes")
        self._key = key

    @classmethod
    def from_secret(cls, secret: str) -> VoucherCodes:
        # Domain separation: an HMAC of a fixed label under the JWT secret is a key for this purpose only.
        return cls(hmac.new(secret.encode(), b"spirit-hub/voucher-code-key", hashlib.sha256).digest())

    def _mac(self, voucher_id: uuid.UUID, number: str) -> bytes:
        message = _VERSION + b"\x00" + voucher_id.bytes + number.encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).digest()[:_MAC_BYTES]

    def sign(self, voucher_id: uuid.UUID, number: str) -> str:
        body = base64.urlsafe_b64encode(voucher_id.bytes + self._mac(voucher_id, number)).rstrip(b"=").decode()
        return f"{number}.{body}"

    def verify(self, code: str) -> VerifiedCode:
        """The voucher a code names; any code that does not verify is refused as an invalid signature."""
        number, dot, body = code.strip().partition(".")
        if not dot or not _NUMBER.match(number) or len(body) != _BODY_CHARS:
            raise Invalid(f"{SIGNATURE_REFUSED} (malformed: expected the voucher number, a dot and 43 characters)")
        try:
            raw = base64.urlsafe_b64decode(body + "=")
        except (binascii.Error, ValueError):
            raise Invalid(f"{SIGNATURE_REFUSED} (malformed: the part after the dot is not base64url)") from None
        # The last character carries 2 unused bits; a code that differs only there is still "altered".
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != body:
            raise Invalid(SIGNATURE_REFUSED)
        voucher_id = uuid.UUID(bytes=raw[:16])
        if not hmac.compare_digest(raw[16:], self._mac(voucher_id, number)):
            raise Invalid(SIGNATURE_REFUSED)
        return VerifiedCode(voucher_id, number)


def qr_svg(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="svg", scale=4, border=4, title=code)
    return buffer.getvalue()


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def barcode_svg(code: str) -> bytes:
    buffer = io.BytesIO()
    Code128(code, writer=SVGWriter()).write(buffer, options={"module_height": 12.0, "font_size": 6})
    return buffer.getvalue()


def barcode_png(code: str) -> bytes:
    buffer = io.BytesIO()
    Code128(code, writer=ImageWriter(format="PNG")).write(buffer, options={"module_height": 12.0, "font_size": 6})
    return buffer.getvalue()
