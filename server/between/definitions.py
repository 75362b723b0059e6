"""Reads the between-sessions definitions shipped in the `exercises` package (the parsing there is pure)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from exercises.between_sessions import Grounding, KitRules, parse_grounding, parse_kit, solo_breathing
from exercises.schema import GuideInput
from rooms.catalogue import builtin_catalogue


def _text(name: str) -> str:
    return files("exercises").joinpath("between", name).read_text("utf-8")


@cache
def kit_rules() -> KitRules:
    return parse_kit("between/kit.toml", _text("kit.toml"))


@cache
def grounding() -> Grounding:
    return parse_grounding("between/grounding.toml", _text("grounding.toml"))


def breathing() -> GuideInput:
    """The shared `breathe` exercise's guide (definitions/breathe.toml), never a copy of its numbers."""
    return solo_breathing(builtin_catalogue())
