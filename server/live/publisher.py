"""Publishes the runtime's events as protocol frames through Litestar channels (memory or Redis)."""

from __future__ import annotations

import asyncio
import time

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis

from rooms.journal import StoredEvent
from server.live.protocol import EventFrame, PresenceFrame, encode_frame
from server.settings import Settings

# A hung backend (Redis) must not hold a room's lock for ever.
PUBLISH_TIMEOUT_SECONDS = 5


def build_channels(settings: Settings) -> ChannelsPlugin:
    if settings.redis_url:
        backend: MemoryChannelsBackend | RedisChannelsPubSubBackend = RedisChannelsPubSubBackend(
            redis=Redis.from_url(settings.redis_url), key_prefix=f"{settings.redis_namespace}:channels"
        )
    else:
        backend = MemoryChannelsBackend()
    # Channel names are per session and participant, so they cannot be listed up front.
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True, subscriber_max_backlog=1000)


class ChannelsPublisher:
    def __init__(self, channels: ChannelsPlugin) -> None:
        self.channels = channels

    async def publish_event(self, channel: str, event: StoredEvent) -> None:
        frame = EventFrame(seq=event.seq, event=event.type, data=event.payload, at=event.at)
        # wait_published, not publish: a failing backend must surface here rather than stop silently.
        async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
            await self.channels.wait_published(encode_frame(frame), [channel])

    async def publish_presence(self, channel: str, connected: list[str]) -> None:
        frame = PresenceFrame(connected=connected, server_time=time.time())
        async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
            await self.channels.wait_published(encode_frame(frame), [channel])
