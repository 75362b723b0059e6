"""What participants (and the runtime, as actor "system") ask the engine to do.

A tagged union: on the wire each intent is a JSON object with ``"type"`` set to the tag, e.g.
``{"type": "submit", "step_no": 4, "value": "gratitude"}``. Decode with ``decode_intent``.
"""

from __future__ import annotations

import msgspec

Value = str | int | bool | None  # text/feeling/choice: str, rating: int, ready: true or null

SYSTEM = "system"  # the actor name the runtime uses for presence and abandonment


class _Intent(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type"):
    pass


# Partners
class Ready(_Intent, tag="ready"):
    """Now is a good time for me."""


class Submit(_Intent, tag="submit"):
    step_no: int
    value: Value = None


class AskSpace(_Intent, tag="ask_space"):
    return_in_seconds: int


class ComeBack(_Intent, tag="come_back"):
    """The person who asked for space is back (early or late)."""


class Resume(_Intent, tag="resume"):
    """After a break's return time, each partner says they are ready to go on."""


class OneMoment(_Intent, tag="one_moment"):
    """A short pause ("one moment": the doorbell). Freezes the clock for a few minutes; not a break."""


class MomentDone(_Intent, tag="moment_done"):
    """The sender's short pause is over, before its time runs out."""


class End(_Intent, tag="end"):
    """Either partner or the facilitator ends the session; no reason is ever asked."""


# The runtime (actor "system")
class Away(_Intent, tag="away"):
    participant: str


class Back(_Intent, tag="back"):
    participant: str


class Abandon(_Intent, tag="abandon"):
    """Nobody has been there for a long while (the runtime decides how long: 30 minutes)."""


# The facilitator
class Start(_Intent, tag="start"):
    pass


class Pause(_Intent, tag="pause"):
    pass


class ResumeSession(_Intent, tag="resume_session"):
    pass


class Extend(_Intent, tag="extend"):
    seconds: int


class Skip(_Intent, tag="skip"):
    pass


class ChooseFirstSpeaker(_Intent, tag="choose_first_speaker"):
    partner: str


Intent = (
    Ready
    | Submit
    | AskSpace
    | ComeBack
    | Resume
    | OneMoment
    | MomentDone
    | End
    | Away
    | Back
    | Abandon
    | Start
    | Pause
    | ResumeSession
    | Extend
    | Skip
    | ChooseFirstSpeaker
)

PARTNER_INTENTS = (Ready, Submit, AskSpace, ComeBack, Resume, OneMoment, MomentDone)
SYSTEM_INTENTS = (Away, Back, Abandon)
FACILITATOR_INTENTS = (Start, Pause, ResumeSession, Extend, Skip, ChooseFirstSpeaker)


def decode_intent(data: bytes | str) -> Intent:
    """Decode and validate one intent from JSON; raises ``msgspec.ValidationError`` / ``DecodeError``."""
    return msgspec.json.decode(data, type=Intent)  # type: ignore[arg-type]
