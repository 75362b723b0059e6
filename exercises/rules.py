"""Session-wide rules (break bounds, the short pause) as data: parsed from ``rules.toml``.

The parsed rules are embedded in every plan, so a session keeps the rules it started with, like its plan.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

MINUTES_IN_A_DAY = 24 * 60


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class BreakRules(_Frozen):
    min_minutes: Annotated[int, msgspec.Meta(ge=1, le=MINUTES_IN_A_DAY - 1)]
    less_than_minutes: Annotated[int, msgspec.Meta(ge=2, le=MINUTES_IN_A_DAY + 1)]  # exclusive: never a whole day
    choices_minutes: Annotated[tuple[int, ...], msgspec.Meta(min_length=1, max_length=12)]
    suggested_minutes: int

    @property
    def min_seconds(self) -> int:
        return self.min_minutes * 60

    @property
    def less_than_seconds(self) -> int:
        return self.less_than_minutes * 60

    def allows(self, seconds: int) -> bool:
        return self.min_seconds <= seconds < self.less_than_seconds

    def describe(self) -> str:
        """The bounds in words, for error messages and hints."""
        return f"at least {_duration(self.min_minutes)} and less than {_duration(self.less_than_minutes)}"


class ShortPauseRules(_Frozen):
    max_seconds: Annotated[int, msgspec.Meta(ge=10, le=900)]


class SessionRules(_Frozen):
    break_: BreakRules = msgspec.field(name="break")
    short_pause: ShortPauseRules


# Sessions stored before the rules became data started under these; they keep them, as they keep their plan.
LEGACY_RULES = SessionRules(
    break_=BreakRules(
        min_minutes=1, less_than_minutes=MINUTES_IN_A_DAY + 1, choices_minutes=(20,), suggested_minutes=20
    ),
    short_pause=ShortPauseRules(max_seconds=300),
)


def check_rules(source_name: str, rules: SessionRules) -> list[str]:
    """Cross-field problems as ``path: problem`` strings (empty when the rules hang together)."""
    b = rules.break_
    problems = []
    if b.min_minutes >= b.less_than_minutes:
        problems.append(
            f"break.min_minutes: must be below less_than_minutes ({b.min_minutes} >= {b.less_than_minutes})"
        )
    if b.less_than_minutes > MINUTES_IN_A_DAY:
        problems.append("break.less_than_minutes: a break ends within a day (at most 1440)")
    for i, m in enumerate(b.choices_minutes):
        if not b.allows(m * 60):
            problems.append(f"break.choices_minutes[{i}]: {m} is not {b.describe()}")
    if b.suggested_minutes not in b.choices_minutes:
        problems.append("break.suggested_minutes: must be one of choices_minutes")
    if rules.short_pause.max_seconds >= b.min_seconds:
        problems.append("short_pause.max_seconds: a short pause must be shorter than the shortest break")
    return [f"{source_name}: {p}" for p in problems]


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    if minutes > 60:
        return f"{minutes} minutes"
    return "a minute" if minutes == 1 else f"{minutes} minutes"
