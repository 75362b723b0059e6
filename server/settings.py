"""Settings read from the environment, so one build runs on a laptop or a cluster unchanged."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATA_DIR = "var"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else int(raw)


def _env_list(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(item.strip().rstrip("/") for item in raw.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Everything an operator can configure. See the README's configuration table."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    database_url: str = ""
    redis_url: str | None = None
    redis_namespace: str = "duologue"
    secret_key: str = ""
    cookie_secure: bool = False
    allowed_origins: tuple[str, ...] = ()
    public_url: str = ""
    help_url: str = "https://findahelpline.com"
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    allowed_hosts: tuple[str, ...] = ()
    bind_host: str = ""
    signin_max_attempts_per_email_and_address: int = 5
    signin_max_attempts_per_address: int = 30
    signin_max_attempts_per_email: int = 100
    signin_window_seconds: int = 15 * 60
    signup_max_per_address: int = 20
    invite_accept_max_attempts: int = 10
    abuse_window_seconds: int = 60 * 60
    password_hash_workers: int = 0  # 0: sized to the cores (see server/accounts/hashing_pool.py)
    session_idle_days: float = 14
    session_absolute_days: float = 30
    invite_lifetime_hours: int = 72
    presence_grace_seconds: float = 10.0
    abandon_after_minutes: float = 30.0
    # A socket that leaves a ping unanswered this long after it is sent is closed (so presence notices a
    # phone that went quiet); pings go out at the same interval.
    ws_ping_seconds: float = 10.0
    # In the lobby, how long before we offer a partner something to do while the other hasn't come.
    lobby_nudge_seconds: float = 120.0
    log_level: str = "INFO"
    # Freeze long-lived objects so collections stay short (server/gc_pacing.py). On for `duologue serve`
    # (from the environment); off for an app built in a test process, whose objects it would freeze too.
    pace_gc: bool = False

    @property
    def default_database_url(self) -> str:
        return f"sqlite+aiosqlite:///{(self.data_dir / 'duologue.db').as_posix()}"

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def trusted_hosts(self) -> frozenset[str]:
        """Host names a request may name: configured ones, else the public URL's, the bound host and localhost."""
        hosts = {h.lower() for h in self.allowed_hosts}
        if self.public_url:
            hosts.add((urlsplit(self.public_url).hostname or "").lower())
        if self.bind_host and self.bind_host not in ("0.0.0.0", "::"):  # noqa: S104  (any address: no name to trust)
            hosts.add(self.bind_host.lower().strip("[]"))
        hosts.update({"localhost", "127.0.0.1", "::1"})
        hosts.discard("")
        return frozenset(hosts)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("DUOLOGUE_DATA_DIR", DEFAULT_DATA_DIR))
        settings = cls(
            data_dir=data_dir,
            database_url=os.environ.get("DATABASE_URL", ""),
            redis_url=os.environ.get("REDIS_URL") or None,
            redis_namespace=os.environ.get("DUOLOGUE_REDIS_NAMESPACE", "duologue"),
            secret_key=os.environ.get("DUOLOGUE_SECRET_KEY", ""),
            cookie_secure=_env_bool("DUOLOGUE_COOKIE_SECURE", False),
            allowed_origins=_env_list("DUOLOGUE_ALLOWED_ORIGINS"),
            public_url=os.environ.get("DUOLOGUE_PUBLIC_URL", "").rstrip("/"),
            allowed_hosts=_env_list("DUOLOGUE_ALLOWED_HOSTS"),
            bind_host=os.environ.get("DUOLOGUE_BIND_HOST", ""),
            password_hash_workers=_env_int("DUOLOGUE_PASSWORD_HASH_WORKERS", 0),
            signin_max_attempts_per_address=_env_int(
                "DUOLOGUE_SIGNIN_MAX_PER_ADDRESS", cls.signin_max_attempts_per_address
            ),
            signup_max_per_address=_env_int("DUOLOGUE_SIGNUP_MAX_PER_ADDRESS", cls.signup_max_per_address),
            invite_accept_max_attempts=_env_int("DUOLOGUE_INVITE_MAX_ATTEMPTS", cls.invite_accept_max_attempts),
            help_url=os.environ.get("DUOLOGUE_HELP_URL", cls.help_url),
            argon2_time_cost=_env_int("DUOLOGUE_ARGON2_TIME_COST", cls.argon2_time_cost),
            argon2_memory_kib=_env_int("DUOLOGUE_ARGON2_MEMORY_KIB", cls.argon2_memory_kib),
            argon2_parallelism=_env_int("DUOLOGUE_ARGON2_PARALLELISM", cls.argon2_parallelism),
            presence_grace_seconds=float(os.environ.get("DUOLOGUE_PRESENCE_GRACE_SECONDS", "10")),
            abandon_after_minutes=float(os.environ.get("DUOLOGUE_ABANDON_AFTER_MINUTES", "30")),
            ws_ping_seconds=float(os.environ.get("DUOLOGUE_WS_PING_SECONDS", "10")),
            lobby_nudge_seconds=float(os.environ.get("DUOLOGUE_LOBBY_NUDGE_SECONDS", "120")),
            log_level=os.environ.get("DUOLOGUE_LOG_LEVEL", cls.log_level).upper(),
            pace_gc=_env_bool("DUOLOGUE_PACE_GC", True),
        )
        return settings.resolved()

    def resolved(self) -> Settings:
        """Fill in defaults that depend on the data folder (and create it when SQLite needs it)."""
        database_url = self.database_url or self.default_database_url
        secret_key = self.secret_key or _load_or_create_secret(self.data_dir)
        if database_url.startswith("sqlite"):
            _ensure_sqlite_folder(database_url)
        return replace(self, database_url=database_url, secret_key=secret_key)


def ensure_private_folder(folder: Path) -> None:
    """Created (or tightened) to 0700: the folder holds the database, sessions and the secret key."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def _ensure_sqlite_folder(database_url: str) -> None:
    path = database_url.split("///", 1)[-1]
    if path and path != ":memory:":
        ensure_private_folder(Path(path).parent)
        secure_sqlite_files(Path(path))


def secure_sqlite_files(database: Path) -> None:
    """The database and its -wal/-shm files readable by the owner only. SQLite gives the -wal and -shm
    files the main file's mode, so creating that file 0600 before SQLite does is what matters."""
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def _load_or_create_secret(data_dir: Path) -> str:
    """Keep one secret per installation so CSRF tokens survive a restart without configuration."""
    ensure_private_folder(data_dir)
    secret_file = data_dir / "secret_key"
    if secret_file.exists():
        return secret_file.read_text().strip()
    secret = secrets.token_hex(32)
    secret_file.write_text(secret)
    secret_file.chmod(0o600)
    return secret
