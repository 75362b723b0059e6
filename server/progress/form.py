"""The self-check form, read once from the exercises package (the one source of its items and bounds)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import exercises
from exercises.selfcheck import SelfCheck, parse_selfcheck

FORM_FILE = Path(exercises.__file__).resolve().parent / "selfcheck.toml"


@cache
def selfcheck_form() -> SelfCheck:
    return parse_selfcheck(FORM_FILE.read_text("utf-8"))
