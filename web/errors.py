"""Domain errors → HTTP responses with a message people can act on."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from domains.kernel.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    TooManyAttempts,
    Unauthenticated,
    UnsupportedType,
)

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Invalid: 422,
    Unauthenticated: 401,
    TooManyAttempts: 429,
    TooLarge: 413,
    UnsupportedType: 415,
}


def domain_error_response(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, object]]:
    assert isinstance(exc, DomainError)
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(exc, kind)), 400)
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return Response({"status_code": status, "detail": exc.message}, status_code=status, headers=headers)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {DomainError: domain_error_response}
