"""TOTP codes (RFC 6238) matched to their time step, so each step's code is accepted once per user."""

from __future__ import annotations

import hmac
import time

import pyotp

# One step of drift either way covers phones whose clocks are a little off.
DRIFT_STEPS = 1


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code `code` is, within the allowed drift around `at` (now), or None."""
    totp = pyotp.TOTP(secret)
    current = int((time.time() if at is None else at) // totp.interval)
    code = code.strip()
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
