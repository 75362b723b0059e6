"""The live websocket protocol: every frame in both directions, validated here and nowhere else.

docs/protocol.md documents each message and error code listed in this module; a test keeps them in step.
"""

from __future__ import annotations

from typing import Any

import msgspec

from exercises import intents as engine_intents

MAX_FRAME_BYTES = 16 * 1024  # larger text frames are answered with `frame_too_large`
HARD_FRAME_LIMIT_BYTES = 64 * 1024  # the server closes the socket (1009) above this
MAX_INTENTS_PER_SECOND = 20
MAX_REF_LENGTH = 64

# Close codes (sent after accepting, so browsers and clients can read them).
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_ORIGIN_NOT_ALLOWED = 4403
CLOSE_SESSION_NOT_FOUND = 4404
CLOSE_TOO_MANY_CONNECTIONS = 4429
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_TOO_SLOW = 4408
CLOSE_SIGNED_OUT = 4410  # the sign-in that opened the socket ended (sign-out, password change, deletion)
CLOSE_CODES = {
    CLOSE_SIGNED_OUT: "signed_out",
    CLOSE_NOT_SIGNED_IN: "not_signed_in",
    CLOSE_ORIGIN_NOT_ALLOWED: "origin_not_allowed",
    CLOSE_SESSION_NOT_FOUND: "session_not_found",
    CLOSE_TOO_MANY_CONNECTIONS: "too_many_connections",
    CLOSE_TOO_SLOW: "too_slow",
    CLOSE_TRY_AGAIN_LATER: "try_again_later",
    1009: "message_too_big",
}
MAX_QUEUED_FRAMES = 2000  # frames waiting for one socket before we close it (it reconnects and resumes)

# ----------------------------------------------------------------------------- client → server


class Ping(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type", tag="ping"):
    """Keep-alive and clock check; answered with `pong`."""


# The intents a person may send (the engine's own system intents — away, back, abandon — are not among them).
CLIENT_MESSAGES: dict[str, type[Any]] = {
    cls.__struct_config__.tag: cls  # type: ignore[attr-defined]
    for cls in (
        *engine_intents.PARTNER_INTENTS,
        engine_intents.End,
        *engine_intents.FACILITATOR_INTENTS,
        Ping,
    )
}


class Envelope(msgspec.Struct, frozen=True):
    type: str
    ref: str | None = msgspec.field(default=None)


class ProtocolError(Exception):
    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.ref = code, message, ref


def parse_client_frame(text: str) -> tuple[Any, str | None]:
    """Return (message, ref) or raise ProtocolError naming what is wrong."""
    try:
        raw = msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise ProtocolError("invalid_json", "That message was not valid JSON.") from exc
    if not isinstance(raw, dict):
        raise ProtocolError("invalid_message", "A message must be a JSON object with a `type`.")
    ref = raw.pop("ref", None)
    if ref is not None and (not isinstance(ref, str) or len(ref) > MAX_REF_LENGTH):
        raise ProtocolError("invalid_message", f"`ref` must be a string of at most {MAX_REF_LENGTH} characters.")
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("invalid_message", "A message needs a `type` (a string).", ref)
    message_type = CLIENT_MESSAGES.get(kind)
    if message_type is None:
        raise ProtocolError("unknown_type", f"There is no message of type {kind!r}.", ref)
    try:
        return msgspec.convert(raw, type=message_type), ref
    except msgspec.ValidationError as exc:
        raise ProtocolError("invalid_message", f"That {kind!r} message is not right: {exc}.", ref) from exc


# ----------------------------------------------------------------------------- server → client


class _Frame(msgspec.Struct, frozen=True, tag_field="type", omit_defaults=False):
    pass


class SnapshotFrame(_Frame, tag="snapshot"):
    """Everything the participant may see now; sent on connect when no replay is possible."""

    seq: int
    state: dict[str, Any]
    connected: list[str]
    server_time: float


class EventFrame(_Frame, tag="event"):
    """One stored event, numbered; `event` is its name and `data` its payload."""

    seq: int
    event: str
    data: dict[str, Any]
    at: float


class SyncedFrame(_Frame, tag="synced"):
    """Sent after the replayed events: the participant is now up to date."""

    seq: int
    connected: list[str]
    server_time: float


class AckFrame(_Frame, tag="ack"):
    """The intent with this `ref` was accepted; its events end at `seq`."""

    ref: str | None
    seq: int | None


class ErrorFrame(_Frame, tag="error"):
    """Something was refused; nothing changed. `code` is stable, `message` is for people."""

    code: str
    message: str
    ref: str | None = None
    retry_after_ms: int | None = None


class PresenceFrame(_Frame, tag="presence"):
    """Who is connected now (several tabs of one person count once)."""

    connected: list[str]
    server_time: float


class RevokedFrame(_Frame, tag="revoked"):
    """Your access ended (a partner unlinked you as facilitator); the socket closes with `code` next."""

    code: int


class PongFrame(_Frame, tag="pong"):
    ref: str | None
    server_time: float


SERVER_FRAMES: tuple[type[_Frame], ...] = (
    SnapshotFrame,
    EventFrame,
    SyncedFrame,
    AckFrame,
    ErrorFrame,
    PresenceFrame,
    PongFrame,
    RevokedFrame,
)

_encoder = msgspec.json.Encoder()


def encode_frame(frame: _Frame) -> bytes:
    return _encoder.encode(frame)


# ----------------------------------------------------------------------------- error codes

PROTOCOL_ERRORS = {
    "invalid_json": "The frame was not valid JSON.",
    "binary_not_supported": "Binary frames are not part of the protocol; send JSON text.",
    "frame_too_large": f"The frame was larger than {MAX_FRAME_BYTES} bytes.",
    "unknown_type": "No message has that `type`.",
    "invalid_message": "A field is missing, unknown or of the wrong type (the message names it).",
    "rate_limited": f"More than {MAX_INTENTS_PER_SECOND} messages in one second; this one was dropped.",
    "bad_sequence": "`since` named an event that does not exist; a snapshot follows.",
    "busy": "The server is at capacity (or recovering); nothing changed. Send it again after `retry_after_ms`.",
    "too_many_connections": "This person already has the most sockets open to this session that we allow (5).",
    "session_not_available": "The session could not be opened just now (it is moving between processes); retry.",
}

ENGINE_ERRORS = {
    "not_a_participant": "You are not part of this session.",
    "session_ended": "The session has ended.",
    "not_allowed": "Only someone else can do that (a partner, the facilitator, or the server itself).",
    "not_started": "The session has not started yet.",
    "already_started": "The session has already started.",
    "already_ready": "You have already said you are ready.",
    "session_paused": "The session is paused; answers wait until it resumes.",
    "step_passed": "That step is over (its `step_no` is not the current one).",
    "unknown_step": "There is no step with that `step_no`.",
    "nothing_to_submit": "The current step takes no answer (for example the breathing guide).",
    "not_your_turn": "It is not your turn in this step.",
    "already_answered": "You have already answered this step.",
    "invalid_value": "The answer is not one the step accepts (the message says which).",
    "text_too_long": "The text is longer than the step allows.",
    "bad_return_time": "A break lasts at least 20 minutes and less than 24 hours (GET /api/rules).",
    "moment_running": "Your short pause is still running.",
    "no_moment": "You have no short pause to end.",
    "already_on_break": "A break is already running.",
    "not_on_break": "There is no break of yours to come back from.",
    "break_not_over": "The break's return time has not come yet.",
    "nothing_to_resume": "There is nothing waiting to be resumed.",
    "already_away": "That participant is already away.",
    "not_away": "That participant is not away.",
    "already_paused": "The facilitator has already paused the session.",
    "not_paused": "The session is not paused by the facilitator.",
}

ERROR_CODES = {**PROTOCOL_ERRORS, **ENGINE_ERRORS}
