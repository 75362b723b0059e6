"""The two exceptions the package raises: bad data, and a refused intent."""

from __future__ import annotations


class DefinitionError(ValueError):
    """An exercise or plan definition is invalid.

    The message always names the source file, the field path and the problem, e.g.
    ``small_truths.toml: steps[2].time_limit: expected int >= 10, got 5``.
    """


class IntentRejected(Exception):
    """An intent is not allowed right now; the state the caller holds is unchanged.

    ``code`` is a stable snake_case string for clients; ``message`` is warm, plain text for people.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
