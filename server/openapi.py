"""OpenAPI documentation of the error shape shared by every endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar.openapi.datastructures import ResponseSpec

_DESCRIPTIONS = {
    400: "The request was malformed or a field is invalid; `fields` names each problem.",
    401: "Not signed in, or the email and password do not match.",
    403: "Not allowed (for example a missing CSRF token).",
    404: "No such thing, or it is not yours to see.",
    409: "It conflicts with the current state (taken, already used, already paired).",
    410: "It existed but can no longer be used (expired or cancelled).",
    429: "Too many attempts; `Retry-After` says when to try again.",
}


@dataclass
class FieldProblem:
    field: str
    message: str


@dataclass
class ErrorDetail:
    code: str
    message: str
    fields: list[FieldProblem] = field(default_factory=list)


@dataclass
class ErrorBody:
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(data_container=ErrorBody, description=_DESCRIPTIONS[status], generate_examples=False)
        for status in statuses
    }
