"""The websocket endpoint: one connection per participant and device.

The receive loop owns the socket's input; everything sent after the catch-up goes through the connection's
queue and one sender task, so frames never interleave and a slow phone never holds up the room.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
import uuid
from typing import Any

from litestar import WebSocket, websocket
from litestar.datastructures import State
from litestar.exceptions import WebSocketDisconnect

from exercises import IntentRejected
from rooms.rate import PerSecond
from rooms.runtime import BadSequence, Busy, CatchUp, LiveRuntime, RateLimited, SessionNotFound, TooManyConnections
from server.accounts.sessions import SESSION_COOKIE, retrieve_user
from server.accounts.signout import sign_in_tag
from server.live import service
from server.live.protocol import (
    CLOSE_NOT_SIGNED_IN,
    CLOSE_ORIGIN_NOT_ALLOWED,
    CLOSE_SESSION_NOT_FOUND,
    CLOSE_TOO_MANY_CONNECTIONS,
    CLOSE_TOO_SLOW,
    CLOSE_TRY_AGAIN_LATER,
    MAX_FRAME_BYTES,
    MAX_INTENTS_PER_SECOND,
    MAX_QUEUED_FRAMES,
    AckFrame,
    ErrorFrame,
    EventFrame,
    Ping,
    PongFrame,
    ProtocolError,
    SnapshotFrame,
    SyncedFrame,
    encode_frame,
    parse_client_frame,
)
from server.settings import Settings

logger = logging.getLogger("duologue.live")


class _Close:
    __slots__ = ("code", "frame", "reason")

    def __init__(self, code: int, reason: str, frame: bytes | None) -> None:
        self.code, self.reason, self.frame = code, reason, frame


class SocketConnection:
    """One open socket. Frames queue here (the runtime never waits on a slow phone) and one sender task
    writes them in order, skipping events already sent during the catch-up."""

    __slots__ = ("_wake", "closing", "id", "last_seq", "participant", "pending", "rate", "signin", "socket")

    def __init__(self, socket: WebSocket[Any, Any, Any], participant: str, signin: str | None) -> None:
        self.id = uuid.uuid4().hex
        self.socket = socket
        self.participant = participant
        self.signin = signin
        self.last_seq = 0
        self.pending: collections.deque[tuple[bytes, int | None] | _Close] = collections.deque()
        self._wake: asyncio.Future[None] | None = None
        self.closing = False
        self.rate = PerSecond(MAX_INTENTS_PER_SECOND)

    def push(self, frame: bytes, seq: int | None) -> None:
        if self.closing:
            return
        if len(self.pending) >= MAX_QUEUED_FRAMES:  # a socket that stopped reading: let it reconnect and resume
            self.close(CLOSE_TOO_SLOW, "too_slow")
            return
        self._put((frame, seq))

    def close(self, code: int, reason: str, frame: bytes | None = None) -> None:
        if not self.closing:
            self.closing = True
            self._put(_Close(code, reason, frame))

    def _put(self, item: tuple[bytes, int | None] | _Close) -> None:
        self.pending.append(item)
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)

    async def send_now(self, frame: bytes) -> None:
        await self.socket.send_text(frame.decode())

    async def run_sender(self) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            while True:
                if not self.pending:
                    self._wake = asyncio.get_running_loop().create_future()
                    await self._wake
                    self._wake = None
                    continue
                item = self.pending.popleft()
                if isinstance(item, _Close):
                    if item.frame is not None:
                        await self.send_now(item.frame)
                    await self.socket.close(code=item.code, reason=item.reason)
                    return
                frame, seq = item
                if seq is not None:
                    if seq <= self.last_seq:
                        continue  # already sent during the catch-up
                    self.last_seq = seq
                await self.send_now(frame)

    def error(self, code: str, message: str, ref: str | None = None, retry_after: float | None = None) -> None:
        retry_ms = None if retry_after is None else int(retry_after * 1000)
        self.push(encode_frame(ErrorFrame(code=code, message=message, ref=ref, retry_after_ms=retry_ms)), None)

    def over_rate_limit(self, now: float) -> bool:
        return self.rate.over(now)


def origin_allowed(socket: WebSocket[Any, Any, Any], settings: Settings) -> bool:
    """Browsers send cookies on cross-site upgrades and CORS does not apply, so check Origin ourselves."""
    origin = socket.headers.get("origin")
    if origin is None:
        return True  # not a browser: nothing ambient to abuse
    origin = origin.rstrip("/")
    if settings.allowed_origins:
        return origin in settings.allowed_origins
    scheme = "https" if socket.scope.get("scheme") in ("wss", "https") else "http"
    own = {f"{scheme}://{socket.headers.get('host', '')}"}
    if settings.public_url:
        own.add(settings.public_url)
    return origin in own


async def refuse(socket: WebSocket[Any, Any, Any], close_code: int, code: str, message: str) -> None:
    # Accept first, then say why and close: a refusal before accepting reaches the client as a bare 403.
    await socket.accept()
    await socket.send_text(encode_frame(ErrorFrame(code=code, message=message)).decode())
    await socket.close(code=close_code, reason=code)


@websocket("/api/sessions/{session_id:uuid}/live", opt={"exclude_from_auth": True})
async def live_session(socket: WebSocket[Any, Any, Any], session_id: uuid.UUID, state: State) -> None:
    settings: Settings = state.settings
    runtime: LiveRuntime = state.live_runtime
    if not origin_allowed(socket, settings):
        await refuse(socket, CLOSE_ORIGIN_NOT_ALLOWED, "origin_not_allowed", "This page may not open a session.")
        return
    participant = await admitted_participant(socket, session_id, state)
    if participant is None:
        return
    await socket.accept()
    # Known by its sign-in's tag, so signing out (here or everywhere) closes it on whichever process holds it.
    connection = SocketConnection(socket, participant, sign_in_tag(socket.cookies.get(SESSION_COOKIE)))
    sender: asyncio.Task[None] | None = None
    try:
        # Counted as present first (frames queue from here on), then caught up, then the queue flows.
        if not await send_catch_up(connection, runtime, session_id, socket.query_params.get("since")):
            return
        sender = asyncio.create_task(connection.run_sender())
        await receive_loop(connection, runtime, session_id)
    except WebSocketDisconnect:
        pass
    except Exception as exc:  # logged by type only: a message could quote someone's words
        logger.error("live connection to session %s failed: %s", session_id, type(exc).__name__)
        with contextlib.suppress(Exception):
            await socket.close(code=1011, reason="internal_error")
    finally:
        await runtime.detach(session_id, connection)
        if sender is not None:
            connection.close(1000, "bye")
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(sender, timeout=5)


async def admitted_participant(socket: WebSocket[Any, Any, Any], session_id: uuid.UUID, state: State) -> str | None:
    """The participant's id when they may join; otherwise they are refused. Holds no rows afterwards:
    whatever is loaded here would live as long as the socket."""
    user = await retrieve_user(socket.scope.get("session") or {}, socket)
    if user is None:
        await refuse(socket, CLOSE_NOT_SIGNED_IN, "not_signed_in", "Please sign in first.")
        return None
    async with state.db_sessions() as db:
        row = await service.session_for_participant(db, session_id=session_id, user_id=user.id)
    if row is None:
        await refuse(socket, CLOSE_SESSION_NOT_FOUND, "session_not_found", "We could not find that session for you.")
        return None
    return str(user.id)


async def _attach(
    connection: SocketConnection, runtime: LiveRuntime, session_id: uuid.UUID, since: int | None
) -> CatchUp | None:
    try:
        return await runtime.attach(session_id, connection, since)
    except TooManyConnections:
        limit = runtime.config.max_connections_per_participant
        await connection.send_now(
            encode_frame(
                ErrorFrame(
                    code="too_many_connections",
                    message=f"This session is already open in {limit} places for you. Close one, then try again.",
                )
            )
        )
        await connection.socket.close(code=CLOSE_TOO_MANY_CONNECTIONS, reason="too_many_connections")
        return None
    except (SessionNotFound, Busy):
        await connection.send_now(
            encode_frame(ErrorFrame(code="session_not_available", message="This session cannot be opened just now."))
        )
        await connection.socket.close(code=CLOSE_TRY_AGAIN_LATER, reason="try_again_later")
        return None


async def send_catch_up(
    connection: SocketConnection, runtime: LiveRuntime, session_id: uuid.UUID, since_raw: str | None
) -> bool:
    since: int | None = None
    if since_raw is not None:
        try:
            since = int(since_raw)
        except ValueError:
            await connection.send_now(
                encode_frame(
                    ErrorFrame(
                        code="bad_sequence", message="`since` must be a whole number; here is everything instead."
                    )
                )
            )
    try:
        catch_up = await _attach(connection, runtime, session_id, since)
    except BadSequence:
        await connection.send_now(
            encode_frame(
                ErrorFrame(
                    code="bad_sequence", message="That event number does not exist yet; here is everything instead."
                )
            )
        )
        catch_up = await _attach(connection, runtime, session_id, None)
    if catch_up is None:
        return False
    now = time.time()
    if catch_up.snapshot is not None:
        await connection.send_now(
            encode_frame(
                SnapshotFrame(
                    seq=catch_up.version, state=catch_up.snapshot, connected=catch_up.connected, server_time=now
                )
            )
        )
    else:
        for event in catch_up.events or []:
            await connection.send_now(
                encode_frame(EventFrame(seq=event.seq, event=event.type, data=event.payload, at=event.at))
            )
        await connection.send_now(
            encode_frame(SyncedFrame(seq=catch_up.version, connected=catch_up.connected, server_time=now))
        )
    connection.last_seq = max(connection.last_seq, catch_up.version)
    return True


async def receive_loop(connection: SocketConnection, runtime: LiveRuntime, session_id: uuid.UUID) -> None:
    socket = connection.socket
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message["type"] != "websocket.receive":
            continue
        if connection.closing:
            return
        if connection.over_rate_limit(time.monotonic()):
            connection.error("rate_limited", "That was a lot at once. Please slow down a little.")
            continue
        text = message.get("text")
        if text is None:
            connection.error("binary_not_supported", "Please send JSON text, not binary frames.")
            continue
        if len(text) > MAX_FRAME_BYTES or len(text.encode()) > MAX_FRAME_BYTES:
            connection.error("frame_too_large", f"Messages can be at most {MAX_FRAME_BYTES // 1024} KiB.")
            continue
        await handle_text(connection, runtime, session_id, text)


async def handle_text(connection: SocketConnection, runtime: LiveRuntime, session_id: uuid.UUID, text: str) -> None:
    ref: str | None = None
    try:
        message, ref = parse_client_frame(text)
        if isinstance(message, Ping):
            connection.push(encode_frame(PongFrame(ref=ref, server_time=time.time())), None)
            return
        seq = await runtime.submit(session_id, connection.participant, message)
        connection.push(encode_frame(AckFrame(ref=ref, seq=seq)), None)
    except ProtocolError as exc:
        connection.error(exc.code, exc.message, exc.ref)
    except IntentRejected as exc:
        connection.error(exc.code, exc.message, ref)
    except RateLimited:
        connection.error("rate_limited", "That was a lot at once. Please slow down a little.", ref)
    except Busy as exc:
        connection.error(
            "busy", "We are very busy for a moment; nothing changed. Please try again.", ref, exc.retry_after
        )
    except SessionNotFound:
        connection.error("session_ended", "This session is no longer available.", ref)
    except (WebSocketDisconnect, asyncio.CancelledError):
        raise
    except Exception as exc:  # never let one bad message end the session; log the type only (privacy)
        logger.error("intent in session %s failed: %s", session_id, type(exc).__name__)
        connection.error("busy", "Something went wrong on our side; nothing changed. Please try again.", ref, 1.0)
