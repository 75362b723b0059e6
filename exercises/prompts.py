"""Prompt pools (data) and the choice of a couple's prompts for a new session.

Pure: the caller gathers which prompts the couple used and when, and passes today's date. The choice is
deterministic from the couple id and that history, so a restart or a second process picks the same.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Annotated, Literal

import msgspec

Depth = Literal["light", "deeper"]
DEPTHS: tuple[Depth, ...] = ("light", "deeper")
FRESH_DAYS = 90  # no prompt repeats for a couple within this many days

PromptText = Annotated[str, msgspec.Meta(min_length=3, max_length=240)]


class PromptPoolSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The shape of a file in ``exercises/prompts/``."""

    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    minimum: Annotated[int, msgspec.Meta(ge=1)]  # the loader refuses a pool with fewer prompts
    light: tuple[PromptText, ...] = ()
    deeper: tuple[PromptText, ...] = ()


class Prompt(msgspec.Struct, frozen=True):
    id: str  # stable: derived from the text, so reordering the file never changes a couple's history
    text: str
    depth: Depth


class PromptPool(msgspec.Struct, frozen=True):
    id: str
    title: str
    prompts: tuple[Prompt, ...]

    def at_depth(self, depth: Depth) -> tuple[Prompt, ...]:
        return tuple(p for p in self.prompts if p.depth == depth)


class DrawnPrompt(msgspec.Struct, frozen=True):
    """A prompt chosen for one slot of a session (stored in the session state)."""

    pool: str
    id: str
    text: str


class UsedPrompt(msgspec.Struct, frozen=True):
    """One prompt a couple saw before, and the day they saw it (the caller's history)."""

    pool: str
    id: str
    on: date


def prompt_id(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def build_pool(spec: PromptPoolSpec) -> PromptPool:
    prompts = tuple(
        Prompt(id=prompt_id(text), text=" ".join(text.split()), depth=depth)
        for depth in DEPTHS
        for text in (spec.light if depth == "light" else spec.deeper)
    )
    return PromptPool(id=spec.id, title=spec.title, prompts=prompts)


def slot_key(exercise_index: int, step_id: str) -> str:
    """Where a drawn prompt belongs in a session: one draw per prompt-bearing step of each exercise."""
    return f"{exercise_index}.{step_id}"


def draws_per_90_days(sessions_per_week: int) -> int:
    return math.ceil(FRESH_DAYS * sessions_per_week / 7)


def choose_prompts(
    slots: Iterable[tuple[str, str, Depth]],
    *,
    couple_id: str,
    used: Iterable[UsedPrompt],
    today: date,
    pools: Mapping[str, PromptPool],
) -> dict[str, DrawnPrompt]:
    """Pick one prompt per ``(slot key, pool id, depth)``, fresh for this couple.

    A prompt the couple saw within ``FRESH_DAYS`` is never chosen while a fresh one remains: of the
    asked depth first, else of the other depth. Among equals the couple's own fixed shuffle decides (a
    hash of couple and prompt), so two couples walk the pool in different orders and one couple's
    choice is reproducible. If the pool is exhausted (several plans sharing it, say), the prompt seen
    longest ago comes back first.
    """
    last_seen: dict[tuple[str, str], date] = {}
    for u in used:
        key = (u.pool, u.id)
        if key not in last_seen or u.on > last_seen[key]:
            last_seen[key] = u.on
    fresh_after = today - timedelta(days=FRESH_DAYS)
    chosen: dict[str, DrawnPrompt] = {}
    taken: set[tuple[str, str]] = set()
    for key, pool_id, depth in slots:
        candidates = [p for p in pools[pool_id].prompts if (pool_id, p.id) not in taken]
        if not candidates:
            continue  # a pool smaller than one session's draws: the step keeps its own prompt

        def order(p: Prompt, pool_id: str = pool_id, depth: str = depth) -> tuple[bool, bool, date, str]:
            # Fresh before depth: a prompt of the other depth beats one the couple saw last week.
            seen = last_seen.get((pool_id, p.id))
            recent = seen is not None and seen > fresh_after
            shuffle = hashlib.sha256(f"{couple_id}/{pool_id}/{p.id}".encode()).hexdigest()
            return (recent, p.depth != depth, seen or date.min, shuffle)

        best = min(candidates, key=order)
        taken.add((pool_id, best.id))
        chosen[key] = DrawnPrompt(pool=pool_id, id=best.id, text=best.text)
    return chosen
