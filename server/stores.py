"""Litestar stores.

Default mode: sign-in sessions in files under the data folder (so a restart signs nobody out and live
sessions resume), everything else in memory. Scaled mode (REDIS_URL): every store in Redis, shared by
all processes.
"""

from __future__ import annotations

from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry

from server.settings import Settings

SESSIONS_STORE = "sessions"


def build_store_registry(settings: Settings) -> StoreRegistry:
    if settings.redis_url:
        root = RedisStore.with_client(url=settings.redis_url, namespace=settings.redis_namespace)

        def redis_factory(name: str) -> Store:
            return root.with_namespace(name)

        return StoreRegistry(default_factory=redis_factory)
    sessions_dir = settings.data_dir / "sessions"
    sessions_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    sessions = FileStore(sessions_dir)
    return StoreRegistry(stores={SESSIONS_STORE: sessions}, default_factory=lambda _name: MemoryStore())
