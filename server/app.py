"""The app factory: one place that assembles settings, database, stores, auth and routes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.stores.file import FileStore

from rooms.runtime import LiveRuntime, RuntimeConfig
from server.accounts.controller import AccountController
from server.accounts.passwords import PasswordService
from server.accounts.sessions import build_session_auth
from server.accounts.throttle import Throttle
from server.between.controller import KitController, RitualController, SoloController
from server.db import create_engine, provide_db_session, session_factory
from server.errors import EXCEPTION_HANDLERS
from server.facilitation.controller import FacilitatorController, PartnerFacilitationController
from server.gc_pacing import pace_garbage_collection
from server.health import healthz
from server.journal.controller import FacilitatorJournalController, JournalController, NoticingController
from server.live.controller import PracticeController
from server.live.endpoint import live_session
from server.live.publisher import ProtocolCodec, build_cluster
from server.pairing.controller import PairingController
from server.progress.controller import FacilitatorProgressController, ProgressController
from server.security.counters import build_counter
from server.security.headers import add_security_headers
from server.security.hosts import trusted_hosts_middleware
from server.security.same_site import same_site_middleware
from server.settings import Settings
from server.stores import SESSIONS_STORE, build_store_registry
from server.web import web_router


def create_app(settings: Settings | None = None) -> Litestar:
    settings = (settings or Settings.from_env()).resolved()
    stores = build_store_registry(settings)
    counter = build_counter(settings.redis_url, settings.redis_namespace)
    passwords = PasswordService.with_parameters(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        workers=settings.password_hash_workers,
    )

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncGenerator[None, None]:
        # The engine is made inside the app's own loop: test clients run the app in another thread.
        engine = create_engine(settings.database_url)
        app.state.db_sessions = session_factory(engine)
        runtime = LiveRuntime(
            engine,
            ProtocolCodec(),
            cluster=build_cluster(settings),
            config=RuntimeConfig(
                grace_seconds=settings.presence_grace_seconds,
                abandon_after_seconds=settings.abandon_after_minutes * 60,
            ),
        )
        app.state.live_runtime = runtime
        pacer: asyncio.Task[None] | None = None
        try:
            sessions = stores.get(SESSIONS_STORE)
            if isinstance(sessions, FileStore):  # Redis expires keys by itself; files need sweeping
                await sessions.delete_expired()
            # Open sessions are taken up in the background (the sweep), so a restart listens at once.
            await runtime.start()
            if settings.pace_gc:
                pacer = asyncio.create_task(pace_garbage_collection())
            yield
        finally:
            if pacer is not None:
                pacer.cancel()
            await runtime.close()  # bounded: a shutdown finishes even if the database or Redis stopped answering
            await engine.dispose()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(counter.close(), timeout=5)
            passwords.close()

    state = State(
        {
            "settings": settings,
            "passwords": passwords,
            "throttle": Throttle(counter=counter, settings=settings),
        }
    )
    session_auth = build_session_auth(
        secure=settings.cookie_secure, exclude=["^/schema"], idle_days=settings.session_idle_days
    )
    return Litestar(
        route_handlers=[
            healthz,
            AccountController,
            PairingController,
            PracticeController,
            PartnerFacilitationController,
            FacilitatorController,
            JournalController,
            FacilitatorJournalController,
            NoticingController,
            ProgressController,
            FacilitatorProgressController,
            KitController,
            SoloController,
            RitualController,
            live_session,
            web_router(),
        ],
        lifespan=[database],
        # The Host check, then the same-site check, before any handler runs.
        middleware=[trusted_hosts_middleware(settings), same_site_middleware(settings)],
        before_send=[add_security_headers],
        dependencies={"db": Provide(provide_db_session)},
        state=state,
        stores=stores,
        on_app_init=[session_auth.on_app_init],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="duologue_csrf",
            header_name="x-csrf-token",
            cookie_secure=settings.cookie_secure,
        ),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        openapi_config=OpenAPIConfig(
            title="Duologue",
            version="0.1.0",
            description="Two partners practise communicating, together and in real time.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            log_exceptions="never",
        ),
        debug=False,
    )
