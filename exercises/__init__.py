"""Duologue's exercises: definitions as data, and a pure engine that paces a session.

Nothing here does I/O, reads a clock, draws a random number or uses asyncio. The runtime (``rooms/``)
owns all of that and calls in with plain values, in the spirit of a Sans-I/O protocol.

Catalogue (package data; the caller reads the files, we parse the texts)::

    from importlib.resources import files
    root = files("exercises")
    def texts(folder):  # "definitions" or "plans"
        return {p.name: p.read_text("utf-8") for p in root.joinpath(folder).iterdir()
                if p.name.endswith(".toml")}

    catalogue = build_catalogue(texts("definitions"), texts("plans"))  # -> Catalogue(exercises, plans)

    parse_exercise(source_name, text) -> ExerciseDefinition
    parse_plan(source_name, text, catalogue) -> Plan
    build_plan(spec: PlanSpec, exercises) -> Plan; validate_plan_parameters(spec, exercises)
    # all raise DefinitionError("file: field.path: problem")

Session engine::

    first = choose_first_speaker(plan, (a, b), coin)     # coin: the caller's random 0 or 1
    state = new_session(plan, (a, b), first_speaker=first, facilitator=None)
    state, events = apply(state, actor, intent, now)     # raises IntentRejected(code, message)
    state, events = on_deadline(state, now)              # no-op when nothing is due
    when = next_wakeup(state)                            # absolute time, or None
    snapshot_for(state, participant, now) -> dict        # full per-participant view for (re)connects
    encode_state(state) -> bytes; decode_state(bytes) -> SessionState
    build_summary(state, partner) -> Summary; summary_to_markdown(summary) -> str

``actor`` is a partner id, the facilitator id, or ``"system"`` (the runtime: presence, abandonment).
Each ``Event`` has ``type``, ``payload`` and ``audience`` (``None`` = everyone; otherwise exactly those
ids). Deliver an event only to its audience: private answers are addressed to their author alone.
"""

from .engine import apply, choose_first_speaker, new_session, next_wakeup, on_deadline
from .errors import DefinitionError, IntentRejected
from .events import Event
from .intents import (
    SYSTEM,
    Abandon,
    AskSpace,
    Away,
    Back,
    ChooseFirstSpeaker,
    ComeBack,
    End,
    Extend,
    Intent,
    Pause,
    Ready,
    Resume,
    ResumeSession,
    Skip,
    Start,
    Submit,
    decode_intent,
)
from .loading import Catalogue, build_catalogue, parse_exercise, parse_plan
from .plans import Plan, PlanSpec, build_plan, validate_plan_parameters
from .schema import ExerciseDefinition
from .state import SessionState, decode_state, encode_state
from .summary import Summary, build_summary, keeps_summaries, summary_to_markdown
from .views import snapshot_for

__all__ = [
    "SYSTEM",
    "Abandon",
    "AskSpace",
    "Away",
    "Back",
    "Catalogue",
    "ChooseFirstSpeaker",
    "ComeBack",
    "DefinitionError",
    "End",
    "Event",
    "ExerciseDefinition",
    "Extend",
    "Intent",
    "IntentRejected",
    "Pause",
    "Plan",
    "PlanSpec",
    "Ready",
    "Resume",
    "ResumeSession",
    "SessionState",
    "Skip",
    "Start",
    "Submit",
    "Summary",
    "apply",
    "build_catalogue",
    "build_plan",
    "build_summary",
    "choose_first_speaker",
    "decode_intent",
    "decode_state",
    "encode_state",
    "keeps_summaries",
    "new_session",
    "next_wakeup",
    "on_deadline",
    "parse_exercise",
    "parse_plan",
    "snapshot_for",
    "summary_to_markdown",
    "validate_plan_parameters",
]
