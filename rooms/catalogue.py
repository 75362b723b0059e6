"""Reads the exercise and plan files shipped inside the `exercises` package (the engine itself does no I/O)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from exercises import Catalogue, build_catalogue


def _texts(folder: str) -> dict[str, str]:
    root = files("exercises").joinpath(folder)
    return {item.name: item.read_text("utf-8") for item in root.iterdir() if item.name.endswith(".toml")}


@cache
def builtin_catalogue() -> Catalogue:
    rules = files("exercises").joinpath("rules.toml")
    return build_catalogue(
        _texts("definitions"),
        _texts("plans"),
        prompt_texts=_texts("prompts"),
        rules_text=("rules.toml", rules.read_text("utf-8")),
    )
