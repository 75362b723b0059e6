"""How the runtime reaches the wire and other processes: protocol frames, and the cluster (Redis or none)."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis

from rooms.cluster import Cluster, LocalCluster, RedisCluster
from rooms.journal import StoredEvent
from server.live.protocol import EventFrame, PresenceFrame, encode_frame
from server.settings import Settings


class ProtocolCodec:
    """Each event is encoded once, whatever the number of recipients."""

    def event(self, event: StoredEvent) -> bytes:
        return encode_frame(EventFrame(seq=event.seq, event=event.type, data=event.payload, at=event.at))

    def presence(self, connected: list[str], server_time: float) -> bytes:
        return encode_frame(PresenceFrame(connected=connected, server_time=server_time))


def build_cluster(settings: Settings) -> Cluster:
    if settings.redis_url and not settings.uses_sqlite:
        # A blocking pool: under a burst, a command waits for a connection instead of failing at once.
        pool = BlockingConnectionPool.from_url(settings.redis_url, max_connections=64, timeout=10)
        return RedisCluster(Redis(connection_pool=pool), f"{settings.redis_namespace}:live")
    return LocalCluster()
