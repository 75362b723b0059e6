"""Litestar stores: in memory by default, Redis when REDIS_URL is set (several processes share them)."""

from __future__ import annotations

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry

from server.settings import Settings


def build_store_registry(settings: Settings) -> StoreRegistry:
    if settings.redis_url:
        root = RedisStore.with_client(url=settings.redis_url, namespace=settings.redis_namespace)

        def redis_factory(name: str) -> Store:
            return root.with_namespace(name)

        return StoreRegistry(default_factory=redis_factory)
    return StoreRegistry(default_factory=lambda _name: MemoryStore())
