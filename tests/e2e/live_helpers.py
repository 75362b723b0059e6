"""Two partners with real clients, and a driver that answers each step as a person would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from server.live.client import Account, LiveSession
from tests.helpers import DEFAULT_PASSWORD, random_email

Answerer = Callable[[dict[str, Any]], Any]


async def paired_couple(base_url: str, names: tuple[str, str] = ("Alex", "Sam")) -> tuple[Account, Account]:
    alex, sam = Account(base_url), Account(base_url)
    await alex.sign_up(random_email(), names[0], DEFAULT_PASSWORD)
    await sam.sign_up(random_email(), names[1], DEFAULT_PASSWORD)
    invite = await alex.invite()
    await sam.accept(invite["code"])
    return alex, sam


async def started_session(
    alex: Account, sam: Account, plan: str = "daily", first_speaker: str = "me"
) -> tuple[str, LiveSession, LiveSession]:
    """Alex starts a session (speaking first unless told otherwise); both join and say now is a good time."""
    session = await alex.start_session(plan, first_speaker=first_speaker)
    a = await alex.join(session["id"])
    s = await sam.join(session["id"])
    await a.intent("ready")
    await s.intent("ready")
    for live in (a, s):  # the first step's announcement follows the start, a moment later on the wire
        await live.wait_event("session_started")
        await live.wait_event("step_started")
    return session["id"], a, s


async def through_both_answer(a: LiveSession, s: LiveSession) -> None:
    """The deeper plan's "both answer, then both see": each answers, then each says what they noticed."""
    for step_id in ("answer", "noticed"):
        step = (await a.wait_event("step_started", step_id=step_id))["data"]
        for live in (a, s):
            await live.intent("submit", step_no=step["step_no"], value=f"My words for {step_id}.")


def default_answer(name: str) -> Answerer:
    def answer(step: dict[str, Any]) -> Any:
        spec = step["input"]
        kind = spec["kind"]
        if kind == "text":
            return f"{name}: {step['step_id']} in round {step['round']}"
        if kind in ("feeling", "choice"):
            return spec["options"][0]["value"]
        if kind == "rating":
            return (spec["scale"] + 1) // 2
        return True

    return answer


async def current_step(live: LiveSession, after: int = 0, timeout: float = 20) -> dict[str, Any]:
    """The next step announcement for this participant after seq `after`."""
    frame = await live.wait_event("step_started", after=after, timeout=timeout)
    return frame


def next_turn(live: LiveSession, after: int) -> dict[str, Any] | None:
    """The first step announcement or ending after seq `after`, if it has arrived."""
    wanted = ("step_started", "session_ended")
    return next((f for f in live.events if f["seq"] > after and f["event"] in wanted), None)


async def play(live: LiveSession, answer: Answerer, timeout: float = 200) -> None:
    """Answer every step where this participant acts, until the session ends."""

    async def run() -> None:
        seen = 0
        while True:
            frame = await live.wait_for(lambda after=seen: next_turn(live, after), timeout=timeout)
            seen = frame["seq"]
            if frame["event"] == "session_ended":
                return
            step = frame["data"]
            if step["acting"] and step["input"]["kind"] != "guide":
                value = answer(step)
                if value is not None:
                    await live.intent("submit", step_no=step["step_no"], value=value)

    await asyncio.wait_for(run(), timeout)


async def both_back(a: LiveSession, s: LiveSession, ids: set[str], timeout: float = 30) -> None:
    """After reconnecting: wait until both are present and the session is not paused for someone away.

    On a loaded machine a reconnect can take longer than the grace period; the session then pauses and
    resumes as the person comes back. Tests wait for that, never for a fixed time.
    """

    def running(live: LiveSession) -> bool:
        last = next((f["event"] for f in reversed(live.events) if f["event"] in ("paused", "resumed")), None)
        return set(live.connected) == ids and last != "paused"

    await a.wait_for(lambda: running(a), timeout)
    await s.wait_for(lambda: running(s), timeout)
