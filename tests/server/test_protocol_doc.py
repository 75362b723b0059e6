"""docs/protocol.md documents every message, frame, event, error code and close code the code defines.

Names count only in backticks (`ask_space`), so a word in a sentence does not stand in for a reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import msgspec

from exercises.events import EVENT_TYPES
from server.live.protocol import (
    CLIENT_MESSAGES,
    CLOSE_CODES,
    ENGINE_ERRORS,
    ERROR_CODES,
    HARD_FRAME_LIMIT_BYTES,
    MAX_FRAME_BYTES,
    MAX_INTENTS_PER_SECOND,
    MAX_REF_LENGTH,
    SERVER_FRAMES,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"

# `IntentRejected("code", ...)`, also when the code sits on the next line.
REJECTION = re.compile(r"""IntentRejected\(\s*["']([a-z_]+)["']""")
# Codes the websocket endpoint and the frame parser send themselves.
SERVER_ERROR = re.compile(r"""(?:\.error|ProtocolError|refuse)\((?:[^()"']*,\s*)?["']([a-z_]+)["']""")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _missing(names: Iterable[object]) -> list[str]:
    text = _doc()
    return sorted(str(name) for name in names if f"`{name}`" not in text)


def _rejection_codes() -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for path in sorted((ROOT / "exercises").glob("*.py")):
        for code in REJECTION.findall(path.read_text(encoding="utf-8")):
            codes.setdefault(code, []).append(path.name)
    return codes


def test_every_client_message_type_is_documented() -> None:
    assert _missing(CLIENT_MESSAGES) == []


def test_every_field_of_every_client_message_is_documented() -> None:
    fields = {"type", "ref"}
    for message_type in CLIENT_MESSAGES.values():
        fields.update(field.name for field in msgspec.structs.fields(message_type))
    assert _missing(fields) == []


def test_every_server_frame_is_documented() -> None:
    tags = [frame.__struct_config__.tag for frame in SERVER_FRAMES]  # type: ignore[attr-defined]
    assert len(tags) == len(SERVER_FRAMES)
    assert _missing(tags) == []


def test_every_event_type_is_documented() -> None:
    assert _missing(EVENT_TYPES) == []


def test_every_event_type_is_one_the_engine_emits() -> None:
    engine = (ROOT / "exercises" / "engine.py").read_text(encoding="utf-8")
    assert sorted(name for name in EVENT_TYPES if f'"{name}"' not in engine) == []


def test_every_error_code_is_documented() -> None:
    assert _missing(ERROR_CODES) == []


def test_every_close_code_and_its_name_is_documented() -> None:
    assert _missing(CLOSE_CODES) == []
    assert _missing(CLOSE_CODES.values()) == []


def test_the_documented_limits_are_the_real_ones() -> None:
    text = _doc()
    assert f"{MAX_FRAME_BYTES // 1024} KiB" in text
    assert f"{HARD_FRAME_LIMIT_BYTES // 1024} KiB" in text
    assert f"{MAX_INTENTS_PER_SECOND} messages per second" in text
    assert f"at most {MAX_REF_LENGTH} characters" in text


def test_every_code_the_engine_rejects_with_is_a_known_error_code() -> None:
    codes = _rejection_codes()
    assert len(codes) > 10, "the pattern no longer finds the engine's rejections"
    unknown = {code: files for code, files in codes.items() if code not in ERROR_CODES}
    assert unknown == {}, f"add these to ENGINE_ERRORS in server/live/protocol.py: {unknown}"


def test_every_engine_error_code_is_still_raised_somewhere() -> None:
    assert sorted(set(ENGINE_ERRORS) - set(_rejection_codes())) == []


def test_every_code_the_server_sends_is_a_known_error_or_close_code() -> None:
    sources = [ROOT / "server" / "live" / "endpoint.py", ROOT / "server" / "live" / "protocol.py"]
    sent = {code for path in sources for code in SERVER_ERROR.findall(path.read_text(encoding="utf-8"))}
    assert len(sent) > 5, "the pattern no longer finds the server's error codes"
    known = set(ERROR_CODES) | set(CLOSE_CODES.values())
    assert sorted(sent - known) == []


def test_the_documented_break_and_short_pause_bounds_are_the_rules_the_engine_reads() -> None:
    from rooms.catalogue import builtin_catalogue

    rules = builtin_catalogue().rules
    text = _doc()
    assert f"at least {rules.break_.min_seconds:,} ({rules.break_.min_minutes} minutes)" in text
    assert f"less than {rules.break_.less_than_seconds:,} (24 hours)" in text
    assert f'"min_minutes": {rules.break_.min_minutes}' in text
    assert f"up to {rules.short_pause.max_seconds // 60} minutes" in text


def test_the_doc_says_a_facilitators_return_is_announced_as_the_engine_does() -> None:
    """Code and doc agree: `participant_back` is sent for a facilitator too (tests/exercises prove the code)."""
    section = _doc().split("### `participant_back`", 1)[1].split("###", 1)[0]
    assert "a partner or the facilitator alike" in section
