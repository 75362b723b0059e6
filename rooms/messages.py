"""What server processes say to each other about live rooms (scaled mode), as msgpack over pub/sub.

Every process has an inbox; the owner of a session receives its intents and connection changes there
and sends back replies and the frames meant for the other process's sockets. Messages from one process
to another arrive in the order they were sent (one ordered sender per process).
"""

from __future__ import annotations

import msgspec


class _Message(msgspec.Struct, frozen=True, tag_field="k", array_like=True):
    pass


class Forward(_Message, tag="f"):
    """An intent from a socket on another process, for the owner to apply."""

    session: str
    participant: str
    intent: bytes  # the engine intent as JSON
    request: int
    reply_to: str


class Attach(_Message, tag="a"):
    session: str
    connection: str
    participant: str
    request: int
    reply_to: str


class Detach(_Message, tag="d"):
    session: str
    connection: str


class Reply(_Message, tag="r"):
    request: int
    ok: bool = True
    seq: int | None = None
    code: str | None = None  # not_owner, busy, rate_limited, too_many_connections, or an engine rejection
    message: str | None = None
    retry_after: float | None = None
    connected: list[str] = []


class Deliver(_Message, tag="v"):
    """Frames for sockets held by the receiving process: (connection id, sequence number or -1, frame)."""

    items: list[tuple[str, int, bytes]]


class CloseParticipant(_Message, tag="c"):
    """Broadcast: close every socket of this participant in this session (access withdrawn)."""

    session: str
    participant: str
    code: int
    reason: str
    frame: bytes | None = None


class CloseSignins(_Message, tag="s"):
    """Broadcast: close this person's sockets opened with the sign-in `ended`, or with any sign-in but
    `keep` (signed out, signed out everywhere, password changed, account deleted)."""

    participant: str
    code: int
    reason: str
    frame: bytes | None = None
    ended: str | None = None
    keep: str | None = None


class Released(_Message, tag="l"):
    """Broadcast: a process gave these sessions up cleanly (shutting down); whoever serves them may take them."""

    sessions: list[str]


Message = Forward | Attach | Detach | Reply | Deliver | CloseParticipant | CloseSignins | Released

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Message)


def encode(message: _Message) -> bytes:
    return _encoder.encode(message)


def decode(data: bytes) -> Message:
    return _decoder.decode(data)  # type: ignore[no-any-return]
