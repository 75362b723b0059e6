"""The weekly self-check: its items (from selfcheck.toml) and their scoring, pure.

Each scale is the mean of its items on 1-7; a reverse-keyed item counts as ``min + max - answer``, so a
higher score always means more of what the scale is named after. A set of answers must hold every item,
nothing else, each an integer in range; anything else is refused with a message naming the item.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping

import msgspec

SCALE_KEYS = ("worry", "discomfort", "steadiness", "satisfaction")


class SelfCheckInvalid(ValueError):
    """Answers that cannot be scored; ``item`` names the first item at fault (None: the whole set)."""

    def __init__(self, message: str, item: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.item = item


class Item(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: str
    reverse: bool = False


class Scale(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    key: str
    label: str
    about: str
    items: tuple[Item, ...]


class Bounds(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    min: int
    max: int
    low_label: str
    high_label: str


class SelfCheck(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    intro: str
    order: tuple[str, ...]
    scale: Bounds
    scales: tuple[Scale, ...]

    def items_in_order(self) -> list[Item]:
        by_id = {item.id: item for s in self.scales for item in s.items}
        return [by_id[i] for i in self.order]

    def scale_of(self, key: str) -> Scale:
        return next(s for s in self.scales if s.key == key)


def parse_selfcheck(text: str) -> SelfCheck:
    """Read and check the form: four known scales of 3-4 items, unique ids, every item shown once."""
    form = msgspec.convert(tomllib.loads(text), SelfCheck)
    if tuple(s.key for s in form.scales) != SCALE_KEYS:
        raise ValueError(f"the self-check needs exactly the scales {SCALE_KEYS}")
    ids = [item.id for s in form.scales for item in s.items]
    if len(set(ids)) != len(ids):
        raise ValueError("self-check item ids must be unique")
    if sorted(form.order) != sorted(ids):
        raise ValueError("`order` must list every self-check item exactly once")
    for s in form.scales:
        if not 3 <= len(s.items) <= 4:
            raise ValueError(f"scale {s.key!r} needs 3 or 4 items")
    if not form.scale.min < form.scale.max:
        raise ValueError("the answer scale needs min < max")
    return form


def score(form: SelfCheck, answers: Mapping[str, object]) -> dict[str, float]:
    """Each scale's mean, rounded to two decimals; raises ``SelfCheckInvalid`` naming the item at fault."""
    if not isinstance(answers, Mapping):
        raise SelfCheckInvalid("Please send your answers as an object of item ids to numbers.")
    lo, hi = form.scale.min, form.scale.max
    known = {item.id for s in form.scales for item in s.items}
    for item_id in form.order:
        if item_id not in answers:
            raise SelfCheckInvalid(f"Please answer every statement: {item_id} has no answer yet.", item_id)
        value = answers[item_id]
        if type(value) is not int or not lo <= value <= hi:  # not True, not 4.5, not "4"
            raise SelfCheckInvalid(f"The answer to {item_id} must be a whole number from {lo} to {hi}.", item_id)
    extra = sorted(k for k in answers if k not in known)
    if extra:
        name = str(extra[0])[:40]
        raise SelfCheckInvalid(f"There is no statement called {name!r} in this self-check.", name)
    scores = {}
    for s in form.scales:
        values = [(lo + hi - int(answers[i.id])) if i.reverse else int(answers[i.id]) for i in s.items]  # type: ignore[call-overload]
        scores[s.key] = round(sum(values) / len(values), 2)
    return scores
