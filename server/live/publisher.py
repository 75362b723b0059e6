"""How the runtime reaches the wire and other processes: protocol frames, and pub/sub over Litestar channels."""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis

from rooms.cluster import Cluster, LocalCluster, RedisCluster
from rooms.journal import StoredEvent
from server.live.protocol import EventFrame, PresenceFrame, encode_frame
from server.settings import Settings


def build_channels(settings: Settings) -> ChannelsPlugin:
    if settings.redis_url:
        backend: MemoryChannelsBackend | RedisChannelsPubSubBackend = RedisChannelsPubSubBackend(
            redis=Redis.from_url(settings.redis_url), key_prefix=f"{settings.redis_namespace}:channels"
        )
    else:
        backend = MemoryChannelsBackend()
    # Channel names are per process (and per sign-in), so they cannot be listed up front. A process inbox
    # carries every frame for that process's sockets: it must not drop messages under load.
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True, subscriber_max_backlog=None)


class ProtocolCodec:
    """Each event is encoded once, whatever the number of recipients."""

    def event(self, event: StoredEvent) -> bytes:
        return encode_frame(EventFrame(seq=event.seq, event=event.type, data=event.payload, at=event.at))

    def presence(self, connected: list[str], server_time: float) -> bytes:
        return encode_frame(PresenceFrame(connected=connected, server_time=server_time))


class ChannelsTransport:
    """The cluster's messages over Litestar channels (Redis pub/sub in scaled mode)."""

    def __init__(self, channels: ChannelsPlugin) -> None:
        self.channels = channels

    async def publish(self, channel: str, data: bytes) -> None:
        # wait_published, not publish: a failing backend must surface to the caller (who retries).
        await self.channels.wait_published(data, [channel])

    async def subscribe(self, channels: list[str]) -> ChannelsSubscription:
        return ChannelsSubscription(self.channels, await self.channels.subscribe(channels))


class ChannelsSubscription:
    def __init__(self, channels: ChannelsPlugin, subscriber: Subscriber) -> None:
        self.channels = channels
        self.subscriber = subscriber

    async def events(self) -> AsyncIterator[bytes]:
        async for data in self.subscriber.iter_events():
            yield data

    async def close(self) -> None:
        await self.channels.unsubscribe(self.subscriber)


def build_cluster(settings: Settings, channels: ChannelsPlugin) -> Cluster:
    if settings.redis_url and not settings.uses_sqlite:
        return RedisCluster(
            Redis.from_url(settings.redis_url), ChannelsTransport(channels), f"{settings.redis_namespace}:live"
        )
    return LocalCluster()
