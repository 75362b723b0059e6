"""One error shape for every HTTP answer: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

logger = logging.getLogger("duologue.errors")

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


class ApiError(HTTPException):
    """An expected, named failure: the code is stable for clients, the message is for people."""

    def __init__(self, status_code: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail=message, status_code=status_code, headers=headers)
        self.code = code


def error_body(code: str, message: str, fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _validation_fields(exc: ValidationException) -> list[dict[str, Any]]:
    fields = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            fields.append({"field": item.get("key") or "body", "message": _friendly(str(item.get("message", "")))})
    return fields


def _friendly(message: str) -> str:
    # Pydantic prefixes custom validator messages with "Value error, "; people do not need that.
    return message.removeprefix("Value error, ")


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if isinstance(exc, ValidationException):
        fields = _validation_fields(exc)
        if fields:
            message = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        else:
            message = _friendly(exc.detail) or "The request could not be read."
        return Response(error_body("invalid_request", message, fields), status_code=status, headers=headers)
    code = getattr(exc, "code", None) or _CODE_BY_STATUS.get(status, "error")
    message = exc.detail
    if status == 400 and type(exc).__name__ == "ClientException" and "json" in request.content_type[0]:
        # Litestar's decoder raises a plain client error for a body it cannot parse as JSON.
        code, message = "invalid_json", "The request body is not valid JSON."
    elif status == 404 and not isinstance(exc, ApiError):
        message = "There is nothing here."
    elif status == 405 and not isinstance(exc, ApiError):
        message = "That method is not allowed here."
    if isinstance(exc, NotAuthorizedException) and not isinstance(exc, ApiError):
        message = "Please sign in first."
    elif isinstance(exc, PermissionDeniedException) and "CSRF" in (exc.detail or ""):
        code, message = "csrf_failed", "This request was not sent by the Duologue app, so it was refused."
    elif status >= 500:
        logger.error("server error on %s %s: %s", request.method, request.url.path, exc.detail)
        message = "Something went wrong on our side. Nothing you did caused it; please try again."
    return Response(error_body(code, message), status_code=status, headers=headers, media_type=MediaType.JSON)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, RecursionError):
        # The JSON decoder gives up on very deep nesting (e.g. 1,000 levels of [[[...]]]): bad input, not ours.
        return Response(
            error_body("too_deeply_nested", "The request body is nested too deeply to read."),
            status_code=400,
            media_type=MediaType.JSON,
        )
    # Log the type and where it happened, never the message: a database error's message can quote the
    # parameters of the statement, and those may be someone's private words.
    where = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("unexpected %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path, where)
    return Response(
        error_body("internal_error", "Something went wrong on our side. Nothing you did caused it; please try again."),
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )


EXCEPTION_HANDLERS = {HTTPException: handle_http_exception, Exception: handle_unexpected}
