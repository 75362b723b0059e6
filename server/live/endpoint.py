"""The websocket endpoint: one connection per participant and device.

The receive loop owns the socket; the participant's channel is forwarded from a background task, and
every send goes through one lock so frames never interleave.
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
from litestar.channels import ChannelsPlugin
from litestar.datastructures import State
from litestar.exceptions import WebSocketDisconnect

from exercises import IntentRejected
from rooms.fanout import personal_channel
from rooms.runtime import BadSequence, LiveRuntime, SessionNotFound
from server.accounts.sessions import retrieve_user
from server.accounts.signout import close_when_signed_out  # [issue 9 hook]
from server.live import service
from server.live.protocol import (
    CLOSE_NOT_SIGNED_IN,
    CLOSE_ORIGIN_NOT_ALLOWED,
    CLOSE_SESSION_NOT_FOUND,
    MAX_FRAME_BYTES,
    MAX_INTENTS_PER_SECOND,
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
    peek,
)
from server.settings import Settings

logger = logging.getLogger("duologue.live")


class Connection:
    """One open socket: serialised sends, and a high-water mark so no event is sent twice."""

    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.socket = socket
        self.send_lock = asyncio.Lock()
        self.last_seq = 0
        self.recent: collections.deque[float] = collections.deque(maxlen=MAX_INTENTS_PER_SECOND)

    async def send(self, data: bytes) -> None:
        async with self.send_lock:
            await self.socket.send_text(data.decode())

    async def forward(self, data: bytes) -> None:
        kind, seq = peek(data)
        if kind == "revoked":  # access withdrawn while connected: say so, then close
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await self.send(data)
                await self.socket.close(code=CLOSE_ORIGIN_NOT_ALLOWED, reason="access_revoked")
            return
        if seq is not None:
            if seq <= self.last_seq:
                return  # already sent during catch-up
            self.last_seq = seq
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await self.send(data)

    async def error(self, code: str, message: str, ref: str | None = None) -> None:
        await self.send(encode_frame(ErrorFrame(code=code, message=message, ref=ref)))

    def over_rate_limit(self, now: float) -> bool:
        if len(self.recent) == self.recent.maxlen and now - self.recent[0] < 1.0:
            return True
        self.recent.append(now)
        return False


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
async def live_session(
    socket: WebSocket[Any, Any, Any], session_id: uuid.UUID, state: State, channels: ChannelsPlugin
) -> None:
    settings: Settings = state.settings
    runtime: LiveRuntime = state.live_runtime
    if not origin_allowed(socket, settings):
        await refuse(socket, CLOSE_ORIGIN_NOT_ALLOWED, "origin_not_allowed", "This page may not open a session.")
        return
    user = await retrieve_user(socket.scope.get("session") or {}, socket)
    if user is None:
        await refuse(socket, CLOSE_NOT_SIGNED_IN, "not_signed_in", "Please sign in first.")
        return
    async with state.db_sessions() as db:
        row = await service.session_for_participant(db, session_id=session_id, user_id=user.id)
    if row is None:
        await refuse(socket, CLOSE_SESSION_NOT_FOUND, "session_not_found", "We could not find that session for you.")
        return

    participant = str(user.id)
    await socket.accept()
    connection = Connection(socket)
    subscriber = await channels.subscribe([personal_channel(str(session_id), participant)])
    # Counted as present before catching up, so the first frame already lists them as connected; what
    # `connect` publishes (participant_back, resumed) is in the catch-up and its queued copy is dropped.
    try:
        await runtime.connect(session_id, participant)
        await send_catch_up(connection, runtime, session_id, participant, socket.query_params.get("since"))
        # [issue 9 hook] the socket closes (4410 signed_out) when the sign-in that opened it ends.
        async with (
            close_when_signed_out(socket, channels, user.id),
            subscriber.run_in_background(connection.forward, join=False),
        ):
            await receive_loop(connection, runtime, session_id, participant)
    except WebSocketDisconnect:
        pass
    except Exception as exc:  # logged by type only: a message could quote someone's words
        logger.error("live connection to session %s failed: %s", session_id, type(exc).__name__)
        with contextlib.suppress(Exception):
            await socket.close(code=1011, reason="internal_error")
    finally:
        await runtime.disconnect(session_id, participant)
        await channels.unsubscribe(subscriber)


async def send_catch_up(
    connection: Connection, runtime: LiveRuntime, session_id: uuid.UUID, participant: str, since_raw: str | None
) -> None:
    since: int | None = None
    if since_raw is not None:
        try:
            since = int(since_raw)
        except ValueError:
            await connection.error("bad_sequence", "`since` must be a whole number; here is everything instead.")
    try:
        catch_up = await runtime.catch_up(session_id, participant, since)
    except BadSequence:
        await connection.error("bad_sequence", "That event number does not exist yet; here is everything instead.")
        catch_up = await runtime.catch_up(session_id, participant, None)
    now = time.time()
    connected = runtime.connected(session_id)
    if catch_up.snapshot is not None:
        await connection.send(
            encode_frame(
                SnapshotFrame(seq=catch_up.version, state=catch_up.snapshot, connected=connected, server_time=now)
            )
        )
    else:
        for event in catch_up.events or []:
            await connection.send(
                encode_frame(EventFrame(seq=event.seq, event=event.type, data=event.payload, at=event.at))
            )
        await connection.send(encode_frame(SyncedFrame(seq=catch_up.version, connected=connected, server_time=now)))
    connection.last_seq = max(connection.last_seq, catch_up.version)


async def receive_loop(connection: Connection, runtime: LiveRuntime, session_id: uuid.UUID, participant: str) -> None:
    socket = connection.socket
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message["type"] != "websocket.receive":
            continue
        if connection.over_rate_limit(time.monotonic()):
            await connection.error("rate_limited", "That was a lot at once. Please slow down a little.")
            continue
        text = message.get("text")
        if text is None:
            await connection.error("binary_not_supported", "Please send JSON text, not binary frames.")
            continue
        if len(text.encode()) > MAX_FRAME_BYTES:
            await connection.error("frame_too_large", f"Messages can be at most {MAX_FRAME_BYTES // 1024} KiB.")
            continue
        await handle_text(connection, runtime, session_id, participant, text)


async def handle_text(
    connection: Connection, runtime: LiveRuntime, session_id: uuid.UUID, participant: str, text: str
) -> None:
    ref: str | None = None
    try:
        message, ref = parse_client_frame(text)
        if isinstance(message, Ping):
            await connection.send(encode_frame(PongFrame(ref=ref, server_time=time.time())))
            return
        stored = await runtime.apply_intent(session_id, participant, message)
        await connection.send(encode_frame(AckFrame(ref=ref, seq=stored[-1].seq if stored else None)))
    except ProtocolError as exc:
        await connection.error(exc.code, exc.message, exc.ref)
    except IntentRejected as exc:
        await connection.error(exc.code, exc.message, ref)
    except SessionNotFound:
        await connection.error("session_ended", "This session is no longer available.", ref)
    except (WebSocketDisconnect, asyncio.CancelledError):
        raise
    except Exception as exc:  # never let one bad message end the session; log the type only (privacy)
        logger.error("intent in session %s failed: %s", session_id, type(exc).__name__)
        await connection.error("internal_error", "Something went wrong on our side; nothing changed.", ref)
