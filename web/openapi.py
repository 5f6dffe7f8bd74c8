"""The API contract: every answer an operation can give, documented in one place.

Litestar documents what a handler returns; this module adds, from what each handler is (signed in or public,
role-guarded, with path parameters, a body, a write), the error answers it can give, all with the one error
body of `web/errors.py`, plus the few per-route extras (the sign-in throttle, the readiness probe) and the
real media types of the exports. `document_api(app)` runs once, before the schema is first served.

`strict_json_body` decodes JSON bodies strictly (msgspec `strict=True`): a string is not a number, a number
is not a string, "true" is not a boolean. Litestar's own decoding is lax; this hook runs first and turns a
lax-only value into the same 400 (naming the field) that any other bad body gets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.params import BodyKwarg
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT

from domains.itineraries.schemas import ItineraryOut
from web.auth import authenticate

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Handler parameters Litestar fills from the connection itself, never from the query string.
RESERVED = frozenset({"data", "request", "socket", "state", "headers", "cookies", "query", "scope", "body", "self"})


class FieldProblem(msgspec.Struct):
    """One field a request got wrong."""

    message: str
    key: str | None = None
    source: str | None = None


class ErrorBody(msgspec.Struct):
    """Every error answer: the status code again and a message a person can act on; a 400 for a malformed
    request also lists the fields at fault in `extra`."""

    status_code: int
    detail: str
    extra: list[FieldProblem] | dict[str, Any] | None = None


ANSWERS: dict[int, str] = {
    400: "Malformed request: a body, path or query value that does not match the schema (`extra` names the field)",
    401: "Not signed in, or the access token has expired or was revoked",
    403: "Signed in, but not allowed: the wrong role, another group's data, two-factor enrolment pending, "
    "or a cookie-authenticated write without the X-CSRF-Token header",
    404: "No such object in your organization (or not visible to you)",
    409: "The change clashes with the current state (the message names the clash)",
    413: "The request body is larger than the limit",
    415: "The body's media type is not one this operation accepts",
    422: "Well-formed but against a business rule (the message names the rule)",
    429: "Too many attempts; wait for the number of seconds in Retry-After",
    503: "Not ready: a dependency is failing (the body lists which)",
}

BEARER = "bearer"
COOKIE = "session_cookie"
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    BEARER: SecurityScheme(type="http", scheme="bearer", bearer_format="JWT", description="An access token"),
    COOKIE: SecurityScheme(
        type="apiKey",
        name="hub_session",
        security_scheme_in="cookie",
        description="The web app's session; writes also need X-CSRF-Token equal to the hub_csrf cookie",
    ),
}
COMPONENTS = Components(security_schemes=dict(SECURITY_SCHEMES))


@dataclass(frozen=True)
class Body:
    """A success answer whose content the handler's return type does not say (exports, images, probes)."""

    media_type: str
    container: Any
    description: str


JSON_OBJECT = dict[str, Any]

# Success answers by (method, path): the exports and images are not JSON strings.
SUCCESS: dict[tuple[str, str], tuple[int, Body]] = {
    ("GET", "/api/v1/groups/{group_id}/itinerary.json"): (
        200,
        Body("application/json", ItineraryOut, "The itinerary as JSON (a download)"),
    ),
    ("GET", "/api/v1/groups/{group_id}/itinerary.ics"): (
        200,
        Body("text/calendar", str, "iCalendar: one event per timed item, in the group's time zone"),
    ),
    ("GET", "/api/v1/groups/{group_id}/itinerary.html"): (200, Body("text/html", str, "A printable page")),
    ("GET", "/api/v1/vouchers/{voucher_id}/qr.png"): (200, Body("image/png", bytes, "The voucher's QR code")),
    ("GET", "/api/v1/vouchers/{voucher_id}/qr.svg"): (200, Body("image/svg+xml", str, "The voucher's QR code")),
    ("GET", "/api/v1/vouchers/{voucher_id}/barcode.png"): (200, Body("image/png", bytes, "The voucher's barcode")),
    ("GET", "/api/v1/vouchers/{voucher_id}/barcode.svg"): (
        200,
        Body("image/svg+xml", str, "The voucher's barcode"),
    ),
    ("GET", "/api/v1/files/{file_id}"): (200, Body("*/*", bytes, "The file, with the media type it was shared as")),
    ("GET", "/api/v1/outbox/{notification_id}/file"): (
        200,
        Body("*/*", str, "The rendered message: message/rfc822 for an email, text/plain for an SMS"),
    ),
    ("POST", "/api/v1/notifications/twilio/inbound"): (200, Body("application/xml", str, "A TwiML answer")),
    ("GET", "/metrics"): (200, Body("text/plain", str, "Prometheus metrics")),
}

# Answers only some operations give, beyond what their shape implies.
EXTRA: dict[tuple[str, str], frozenset[int]] = {
    ("POST", "/api/v1/auth/login"): frozenset({401, 403, 429}),
    ("POST", "/api/v1/auth/refresh"): frozenset({401, 429}),
    ("POST", "/api/v1/auth/web/login"): frozenset({401, 403, 429}),
    ("POST", "/api/v1/auth/web/refresh"): frozenset({401, 403}),
    ("POST", "/api/v1/auth/web/logout"): frozenset({403}),
    ("POST", "/api/v1/auth/totp/confirm"): frozenset({429}),
    ("POST", "/api/v1/rooms/{room}/files"): frozenset({413, 415, 429}),
    ("POST", "/api/v1/rooming-lists/{list_id}/import"): frozenset({413, 415}),
    ("POST", "/api/v1/notifications/twilio/inbound"): frozenset({403}),
    ("POST", "/api/v1/notifications/twilio/status"): frozenset({403}),
    ("POST", "/api/v1/notifications/sendgrid/events"): frozenset({403}),
    ("GET", "/readiness"): frozenset({503}),
}


def signed_in(handler: HTTPRouteHandler) -> bool:
    return authenticate in handler.resolve_guards() and not handler.opt.get("exclude_from_auth")


def error_answers(handler: HTTPRouteHandler, method: str, path: str) -> set[int]:
    """The error statuses an operation can answer, from what it is."""
    dependencies = handler.resolve_dependencies()
    has_path = "{" in path
    has_query = any(
        name not in dependencies and name not in RESERVED and "{" + name + "}" not in path
        for name in handler.parsed_fn_signature.parameters
    )
    body = handler.parsed_data_field
    codes: set[int] = set()
    if has_path or has_query or body is not None:
        codes |= {400, 422}
    if has_path:
        codes.add(404)
    if body is not None or method in WRITES:
        codes |= {400, 413}
    if body is not None:
        codes.add(422)
    if signed_in(handler):
        codes |= {401, 403}
        if method in WRITES:
            codes |= {404, 409, 422}
    return codes | set(EXTRA.get((method, path), ()))


def _responses(codes: Iterable[int]) -> dict[int, ResponseSpec]:
    return {
        code: ResponseSpec(data_container=ErrorBody, generate_examples=False, description=ANSWERS[code])
        for code in sorted(codes)
    }


def document_api(app: Litestar) -> None:
    """Add the error answers, success media types and security requirements to every operation."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            path = route.path_format or "/"
            for method in handler.http_methods:
                responses: dict[int, ResponseSpec] = _responses(error_answers(handler, method, path))
                if (method, path) in SUCCESS:
                    status, body = SUCCESS[(method, path)]
                    responses[status] = ResponseSpec(
                        data_container=body.container,
                        generate_examples=False,
                        description=body.description,
                        media_type=body.media_type,
                    )
                if handler.status_code == HTTP_204_NO_CONTENT:
                    responses[HTTP_204_NO_CONTENT] = ResponseSpec(data_container=None, description="Done; no content")
                responses.update(handler.responses or {})
                handler.responses = responses
                if signed_in(handler):
                    handler.security = [{BEARER: []}, {COOKIE: []}]


_AT = re.compile(r" - at `\$\.?([^`]*)`$")


def _json_body_type(handler: HTTPRouteHandler) -> Any | None:
    field = handler.parsed_data_field
    if field is None:
        return None
    kwarg = field.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type != RequestEncodingType.JSON:
        return None
    if field.annotation in (bytes, str, Any):
        return None  # the raw body, not a JSON document
    return field.annotation


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    """Decode a JSON body strictly before Litestar's lax decoding sees it: no string for a number."""
    target = _json_body_type(request.route_handler)
    if target is None:
        return
    raw = await request.body()
    try:
        msgspec.json.decode(raw, type=target, strict=True)
    except msgspec.ValidationError as error:
        message = str(error)
        found = _AT.search(message)
        key = found.group(1) if found else None
        problem: Mapping[str, str | None] = {"message": _AT.sub("", message), "key": key or None, "source": "body"}
        raise ValidationException(
            detail=f"Validation failed for {request.method} {request.url.path}", extra=[dict(problem)]
        ) from None
    except (msgspec.DecodeError, RecursionError):
        return  # malformed JSON: Litestar's own decoding answers it
