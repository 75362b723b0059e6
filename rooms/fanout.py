"""Who receives what: each event goes to the personal channel of each participant allowed to read it."""

from __future__ import annotations

from typing import Protocol

from rooms.journal import StoredEvent


def personal_channel(session_id: str, participant: str) -> str:
    # One channel per participant (not one per room), so a private payload is never published
    # anywhere another participant's connection could read it, even in shared Redis.
    return f"duologue.live.{session_id}.{participant}"


class Publisher(Protocol):
    """Implemented by the server over Litestar channels (memory or Redis)."""

    async def publish_event(self, channel: str, event: StoredEvent) -> None: ...

    async def publish_presence(self, channel: str, connected: list[str]) -> None: ...


async def fan_out(publisher: Publisher, session_id: str, participants: list[str], events: list[StoredEvent]) -> None:
    for event in events:
        for participant in participants:
            if event.visible_to(participant):
                await publisher.publish_event(personal_channel(session_id, participant), event)


async def announce_presence(
    publisher: Publisher, session_id: str, participants: list[str], connected: list[str]
) -> None:
    for participant in participants:
        await publisher.publish_presence(personal_channel(session_id, participant), connected)
