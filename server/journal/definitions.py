"""The journal's feeling tags, prompts and bounds, read once from the package (exercises/journal.toml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from exercises.journal import JournalDefinitions, parse_journal_definitions


@cache
def journal_definitions() -> JournalDefinitions:
    text = resources.files("exercises").joinpath("journal.toml").read_text(encoding="utf-8")
    return parse_journal_definitions("journal.toml", text)
