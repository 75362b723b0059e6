"""A consistent copy of the SQLite database while the server runs (SQLite's online backup)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the live database page by page into `target` (readers and writers carry on); returns its size."""
    source_path = sqlite_path(database_url)
    if source_path is None:
        raise ValueError("not a SQLite database")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()
    target.chmod(0o600)  # it holds everything the server holds
    return target.stat().st_size
