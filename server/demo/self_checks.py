"""Weekly self-checks for the demo people: answers to the real form that drift gently, with a dip on the way.

Pure: takes the form and a random generator, returns rows. The trend is a person's start and end score
per scale; each week sits on the line between them, plus a little noise, and one stretch in the middle
goes the "wrong" way for a while, as real weeks do.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from exercises.selfcheck import SelfCheck, score

# (start, end) per scale, on the form's 1-7 scale
TRENDS: dict[str, dict[str, tuple[float, float]]] = {
    "sam": {"worry": (5.2, 4.2), "discomfort": (3.9, 3.3), "steadiness": (3.4, 4.6), "satisfaction": (4.3, 5.4)},
    "alex": {"worry": (3.6, 3.1), "discomfort": (5.1, 4.1), "steadiness": (4.0, 4.8), "satisfaction": (4.6, 5.3)},
}
DIP = {"worry": 0.6, "discomfort": 0.4, "steadiness": -0.5, "satisfaction": -0.6}  # a hard stretch mid-way


def answers_for(form: SelfCheck, targets: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Whole-number answers whose scale means land near `targets` (reverse-keyed items answered reversed)."""
    lo, hi = form.scale.min, form.scale.max
    answers = {}
    for scale in form.scales:
        for item in scale.items:
            raw = max(lo, min(hi, round(targets[scale.key] + rng.uniform(-0.7, 0.7))))
            answers[item.id] = lo + hi - raw if item.reverse else raw
    return answers


def self_check_rows(
    form: SelfCheck,
    *,
    who: str,
    user_id: uuid.UUID,
    first_day: date,
    today: date,
    days_ago: int,
    rng: random.Random,
    missed: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """One self-check every seven days, the last `days_ago` days before `today`, back to `first_day`;
    the k-th one back is left out when k is in `missed` (a week without one is a gap, not a zero)."""
    dates = []
    day = today - timedelta(days=days_ago)
    while day >= first_day:
        dates.append(day)
        day -= timedelta(days=7)
    dates.reverse()
    rows = []
    span = max(1, len(dates) - 1)
    for index, taken_on in enumerate(dates):
        if len(dates) - 1 - index in missed:
            continue
        t = index / span
        dip = 1.0 if 0.45 <= t <= 0.62 else 0.0
        targets = {key: start + (end - start) * t + DIP[key] * dip for key, (start, end) in TRENDS[who].items()}
        answers = answers_for(form, targets, rng)
        taken_at = datetime(taken_on.year, taken_on.month, taken_on.day, 20, rng.randint(0, 59), tzinfo=UTC)
        rows.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "taken_on": taken_on,
                "taken_at": taken_at,
                "answers": answers,
                "scores": score(form, answers),
            }
        )
    return rows
