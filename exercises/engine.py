"""The pure session engine: ``apply`` an intent, or ``on_deadline`` when time passes.

Sans-I/O: the caller owns the clock, storage, timers and sockets. Every function takes a state and
returns a new state plus the events to deliver; a refused intent raises ``IntentRejected`` and the
caller keeps its old state (states are immutable, so nothing needs rolling back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from msgspec.structs import replace

from .errors import IntentRejected
from .events import Event, everyone, only
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
    MomentDone,
    OneMoment,
    Pause,
    Ready,
    Resume,
    ResumeSession,
    Skip,
    Start,
    Submit,
    Value,
)
from .plans import GUIDE_LEAD_SECONDS, Plan, branch_key, loop_seconds, offered_options, prompt_slots
from .prompts import DrawnPrompt
from .schema import END, ChoiceInput, FeelingInput, GuideInput, RatingInput, ReadyInput, StepDefinition, TextInput
from .state import ActivePause, Answer, SessionState, SpaceRecord, StepState
from .text import visible_length
from .views import announcement, current_step, required_authors, speaker_of

WARNING_SECONDS = 30
REINVITE_NOTICE = "Take your time. Would you like to try again? A sentence or two is plenty."
MOVED_ON_NOTE = "Nothing was shared this time, and that's okay. Let's move on."
EXTEND_MIN_SECONDS = 10
EXTEND_MAX_SECONDS = 1800

Events = list[Event]


def new_session(
    plan: Plan,
    partners: tuple[str, str],
    first_speaker: str,
    facilitator: str | None = None,
    *,
    prompts: Mapping[str, DrawnPrompt] | None = None,
) -> SessionState:
    """A session in the lobby. ``first_speaker`` is chosen by the caller (see ``choose_first_speaker``);
    ``prompts`` by ``choose_prompts`` (a step without a drawn prompt shows its own)."""
    if len(set(partners)) != 2 or SYSTEM in partners or facilitator in (*partners, SYSTEM):
        raise ValueError("two distinct partners and a different facilitator are needed")
    if first_speaker not in partners:
        raise ValueError("first_speaker must be one of the partners")
    slots = {key for key, _, _ in prompt_slots(plan)}
    drawn = {key: prompt for key, prompt in (prompts or {}).items() if key in slots}
    return SessionState(
        plan=plan, partners=partners, first_speaker=first_speaker, facilitator=facilitator, prompts=drawn
    )


def choose_first_speaker(plan: Plan, partners: tuple[str, str], coin: int) -> str:
    """Resolve the plan's ``first_speaker`` rule; ``coin`` (0 or 1) is the caller's random draw."""
    if plan.first_speaker == "partner_a":
        return partners[0]
    if plan.first_speaker == "partner_b":
        return partners[1]
    return partners[coin % 2]


def apply(state: SessionState, actor: str, intent: Intent, now: float) -> tuple[SessionState, Events]:
    _check_actor(state, actor, intent)
    events: Events = []
    handler = _HANDLERS[type(intent)]
    new_state = handler(state, actor, intent, now, events)
    return new_state, events


def on_deadline(state: SessionState, now: float) -> tuple[SessionState, Events]:
    """Handle whatever time has made due: a break's return time, the 30 s warning, a step's end.

    Calling it early is harmless: nothing is due, so the same state and no events come back.
    """
    events: Events = []
    if state.phase != "running":
        return state, events
    for pause in state.pauses:  # a short pause lifts by itself when its few minutes are up
        if pause.kind == "moment" and pause.return_at is not None and pause.return_at <= now:
            state = _end_moment(state, pause.who, "time_up", now, events)
    pauses = []
    for pause in state.pauses:
        if pause.kind == "space" and not pause.return_due and pause.return_at is not None and pause.return_at <= now:
            pause = replace(pause, return_due=True)
            events.append(
                everyone("space_return_due", who=pause.who, return_at=pause.return_at, asked=list(state.partners))
            )
        pauses.append(pause)
    if tuple(pauses) != state.pauses:
        state = replace(state, pauses=tuple(pauses))
    step = state.step
    if step is None or step.deadline is None:
        return state, events
    if now >= step.deadline:
        _, definition = current_step(state)
        outcome = "completed" if isinstance(definition.input, GuideInput) else "timed_out"
        return _complete_step(state, now, events, outcome), events
    if not step.warned and now >= step.deadline - WARNING_SECONDS:
        state = replace(state, step=replace(step, warned=True))
        events.append(everyone("warning", step_no=step.no, deadline=step.deadline, seconds_left=step.deadline - now))
    return state, events


def next_wakeup(state: SessionState) -> float | None:
    """When the caller should next call ``on_deadline`` (absolute time), or None when nothing is timed."""
    if state.phase != "running":
        return None
    times = [
        p.return_at
        for p in state.pauses
        if ((p.kind == "space" and not p.return_due) or p.kind == "moment") and p.return_at is not None
    ]
    step = state.step
    if step is not None and step.deadline is not None:
        times.append(step.deadline if step.warned else step.deadline - WARNING_SECONDS)
    return min(times) if times else None


# ---------------------------------------------------------------- who may do what

_PARTNER_ONLY = (Ready, Submit, AskSpace, ComeBack, Resume, OneMoment, MomentDone)
_SYSTEM_ONLY = (Away, Back, Abandon)
_FACILITATOR_ONLY = (Start, Pause, ResumeSession, Extend, Skip, ChooseFirstSpeaker)


def _check_actor(state: SessionState, actor: str, intent: Intent) -> None:
    is_partner = actor in state.partners
    is_facilitator = state.facilitator is not None and actor == state.facilitator
    if not (is_partner or is_facilitator or actor == SYSTEM):
        raise IntentRejected("not_a_participant", "You're not part of this session.")
    if state.phase == "ended":
        raise IntentRejected("session_ended", "This session has ended.")
    if isinstance(intent, _SYSTEM_ONLY) and actor != SYSTEM:
        raise IntentRejected("not_allowed", "That's handled automatically.")
    if isinstance(intent, _FACILITATOR_ONLY) and not is_facilitator:
        raise IntentRejected("not_allowed", "Only the facilitator can do that.")
    if isinstance(intent, _PARTNER_ONLY) and not is_partner:
        raise IntentRejected("not_allowed", "Only the two partners can do that.")
    if isinstance(intent, End) and actor == SYSTEM:
        raise IntentRejected("not_allowed", "Only a person can end a session.")


def _require_running(state: SessionState) -> None:
    if state.phase == "lobby":
        raise IntentRejected("not_started", "The session hasn't started yet.")


# ---------------------------------------------------------------- handlers


def _ready(state: SessionState, actor: str, intent: Ready, now: float, events: Events) -> SessionState:
    if state.phase != "lobby":
        raise IntentRejected("already_started", "The session has already started.")
    if actor in state.ready:
        raise IntentRejected("already_ready", "You're already marked as ready.")
    state = replace(state, ready=(*state.ready, actor))
    events.append(everyone("ready_recorded", participant=actor))
    if state.facilitator is None and set(state.ready) == set(state.partners):
        state = _start_session(state, now, events)
    return state


def _start(state: SessionState, actor: str, intent: Start, now: float, events: Events) -> SessionState:
    if state.phase != "lobby":
        raise IntentRejected("already_started", "The session has already started.")
    return _start_session(state, now, events)


def _submit(state: SessionState, actor: str, intent: Submit, now: float, events: Events) -> SessionState:
    _require_running(state)
    if state.paused:
        raise IntentRejected("session_paused", "The session is paused; your answer can wait until it resumes.")
    step = state.step
    assert step is not None
    if intent.step_no < step.no:
        raise IntentRejected("step_passed", "That step has already moved on.")
    if intent.step_no > step.no:
        raise IntentRejected("unknown_step", "That step hasn't started.")
    planned, definition = current_step(state)
    if isinstance(definition.input, GuideInput):
        raise IntentRejected("nothing_to_submit", "Nothing to send here; just breathe along.")
    if actor not in required_authors(state, definition):
        raise IntentRejected("not_your_turn", "It's your partner's turn right now.")
    if actor in step.answers:
        raise IntentRejected("already_answered", "You've already answered this one.")
    value = _validated(definition.input, intent.value)
    if (offered := offered_options(definition, state.closed_branches)) is not None and value not in offered:
        raise IntentRejected("invalid_value", "Please pick one of the options.")
    speaker = speaker_of(state, step.round)
    if definition.role in ("speaker", "listener"):
        answer = _answer(state, actor, value, now)
        state = replace(state, answers=(*state.answers, answer))
        events.append(
            everyone(
                "answer_shared",
                step_no=step.no,
                exercise_id=planned.definition.id,
                step_id=definition.id,
                author=actor,
                role=definition.role,
                speaker=speaker,
                value=value,
            )
        )
        return _complete_step(state, now, events, "completed", choice=value)
    state = replace(state, step=replace(step, answers={**step.answers, actor: value}))
    if definition.role == "private":
        events.append(only((actor,), "private_answer_saved", step_no=step.no, step_id=definition.id, value=value))
    events.append(everyone("answer_received", step_no=step.no, participant=actor))
    if set(state.step.answers) >= set(state.partners):  # type: ignore[union-attr]
        state = _complete_step(state, now, events, "completed")
    return state


def _ask_space(state: SessionState, actor: str, intent: AskSpace, now: float, events: Events) -> SessionState:
    _require_running(state)
    bounds = state.plan.rules.break_
    if not bounds.allows(intent.return_in_seconds):
        raise IntentRejected(
            "bad_return_time",
            f"A break lasts {bounds.describe()}, with a time to come back: "
            'a racing body needs at least that long to settle. For a quick interruption, use "one moment".',
        )
    if any(p.kind == "space" and p.who == actor for p in state.pauses):
        raise IntentRejected("already_on_break", "You're already taking a break.")
    return _begin_space(state, actor, intent.return_in_seconds, now, events, from_exercise=False)


def _come_back(state: SessionState, actor: str, intent: ComeBack, now: float, events: Events) -> SessionState:
    _require_running(state)
    if not any(p.kind == "space" and p.who == actor for p in state.pauses):
        raise IntentRejected("not_on_break", "You're not on a break.")
    return _end_space(state, actor, now, events)


def _resume(state: SessionState, actor: str, intent: Resume, now: float, events: Events) -> SessionState:
    _require_running(state)
    due = [p for p in state.pauses if p.kind == "space" and p.return_due]
    if not due:
        if any(p.kind == "space" for p in state.pauses):
            raise IntentRejected("break_not_over", "The break isn't over yet; there's no rush.")
        raise IntentRejected("nothing_to_resume", "There's no break to come back from.")
    if all(actor in p.resumed_by for p in due):
        raise IntentRejected("already_answered", "You've already said you're ready to go on.")
    events.append(everyone("resume_recorded", participant=actor))
    state = replace(
        state,
        pauses=tuple(
            replace(p, resumed_by=(*p.resumed_by, actor)) if p in due and actor not in p.resumed_by else p
            for p in state.pauses
        ),
    )
    for pause in [p for p in state.pauses if p.return_due and set(p.resumed_by) >= set(state.partners)]:
        state = _end_space(state, pause.who, now, events)
    return state


def _one_moment(state: SessionState, actor: str, intent: OneMoment, now: float, events: Events) -> SessionState:
    _require_running(state)
    if any(p.kind == "moment" and p.who == actor for p in state.pauses):
        raise IntentRejected("moment_running", "Your moment is still running; take the time you need.")
    seconds = state.plan.rules.short_pause.max_seconds
    events.append(everyone("moment_started", who=actor, until=now + seconds, seconds=seconds))
    pause = ActivePause(kind="moment", who=actor, since=now, return_at=now + seconds)
    return _add_pause(state, pause, now, events)


def _moment_done(state: SessionState, actor: str, intent: MomentDone, now: float, events: Events) -> SessionState:
    _require_running(state)
    if not any(p.kind == "moment" and p.who == actor for p in state.pauses):
        raise IntentRejected("no_moment", "You haven't asked for a moment.")
    return _end_moment(state, actor, "back", now, events)


def _end_moment(state: SessionState, who: str, reason: str, now: float, events: Events) -> SessionState:
    events.append(everyone("moment_ended", who=who, reason=reason))
    return _remove_pause(state, lambda p: p.kind == "moment" and p.who == who, now, events)


def _end(state: SessionState, actor: str, intent: End, now: float, events: Events) -> SessionState:
    return _end_session(state, "ended_early", actor, now, events)


def _abandon(state: SessionState, actor: str, intent: Abandon, now: float, events: Events) -> SessionState:
    return _end_session(state, "abandoned", None, now, events)


def _away(state: SessionState, actor: str, intent: Away, now: float, events: Events) -> SessionState:
    who = _present_participant(state, intent.participant)
    if who == state.facilitator:  # a facilitator stepping out does not stop the couple
        if state.facilitator_away:
            raise IntentRejected("already_away", "That participant is already away.")
        events.append(everyone("participant_away", participant=who))
        return replace(state, facilitator_away=True)
    if any(p.kind == "away" and p.who == who for p in state.pauses):
        raise IntentRejected("already_away", "That participant is already away.")
    events.append(everyone("participant_away", participant=who))
    return _add_pause(state, ActivePause(kind="away", who=who, since=now), now, events)


def _back(state: SessionState, actor: str, intent: Back, now: float, events: Events) -> SessionState:
    who = _present_participant(state, intent.participant)
    if who == state.facilitator:
        if not state.facilitator_away:
            raise IntentRejected("not_away", "That participant isn't away.")
        events.append(everyone("participant_back", participant=who))
        return replace(state, facilitator_away=False)
    if not any(p.kind == "away" and p.who == who for p in state.pauses):
        raise IntentRejected("not_away", "That participant isn't away.")
    events.append(everyone("participant_back", participant=who))
    return _remove_pause(state, lambda p: p.kind == "away" and p.who == who, now, events)


def _pause(state: SessionState, actor: str, intent: Pause, now: float, events: Events) -> SessionState:
    _require_running(state)
    if any(p.kind == "facilitator" for p in state.pauses):
        raise IntentRejected("already_paused", "The session is already paused.")
    events.append(everyone("facilitator_paused", by=actor))
    return _add_pause(state, ActivePause(kind="facilitator", who=actor, since=now), now, events)


def _resume_session(state: SessionState, actor: str, intent: ResumeSession, now: float, events: Events) -> SessionState:
    _require_running(state)
    if not any(p.kind == "facilitator" for p in state.pauses):
        raise IntentRejected("not_paused", "The session isn't paused by you.")
    events.append(everyone("facilitator_resumed", by=actor))
    return _remove_pause(state, lambda p: p.kind == "facilitator", now, events)


def _extend(state: SessionState, actor: str, intent: Extend, now: float, events: Events) -> SessionState:
    _require_running(state)
    if not EXTEND_MIN_SECONDS <= intent.seconds <= EXTEND_MAX_SECONDS:
        raise IntentRejected("invalid_value", f"Extend by {EXTEND_MIN_SECONDS} to {EXTEND_MAX_SECONDS} seconds.")
    step = state.step
    assert step is not None
    deadline = None if step.deadline is None else step.deadline + intent.seconds
    left = step.remaining + intent.seconds if deadline is None else deadline - now
    step = replace(step, deadline=deadline, remaining=left, warned=step.warned and left <= WARNING_SECONDS)
    events.append(everyone("extended", step_no=step.no, seconds=intent.seconds, deadline=deadline, remaining=left))
    return replace(state, step=step)


def _skip(state: SessionState, actor: str, intent: Skip, now: float, events: Events) -> SessionState:
    _require_running(state)
    assert state.step is not None
    events.append(everyone("step_skipped", step_no=state.step.no, by=actor))
    state = replace(state, skipped_steps=(*state.skipped_steps, state.step.no))
    return _complete_step(state, now, events, "skipped")


def _choose_first_speaker(
    state: SessionState, actor: str, intent: ChooseFirstSpeaker, now: float, events: Events
) -> SessionState:
    if intent.partner not in state.partners:
        raise IntentRejected("invalid_value", "Please choose one of the two partners.")
    state = replace(state, first_speaker=intent.partner)
    step = state.step
    fresh = (
        state.phase == "running"
        and step is not None
        and step.round == 1
        and not step.answers
        and not any(a.exercise_index == step.exercise_index for a in state.answers)
    )
    applies_from = 0 if state.phase == "lobby" else (step.exercise_index + (0 if fresh else 1))  # type: ignore
    events.append(everyone("first_speaker_chosen", partner=intent.partner, applies_from_exercise=applies_from))
    if fresh:  # nothing said yet in this exercise: the new speaker takes the floor now
        state = replace(state, exercise_first_speaker=intent.partner)
        events.extend(_announce(state, now))
    return state


_HANDLERS: dict[type, Callable[..., SessionState]] = {
    Ready: _ready,
    Submit: _submit,
    AskSpace: _ask_space,
    ComeBack: _come_back,
    Resume: _resume,
    OneMoment: _one_moment,
    MomentDone: _moment_done,
    End: _end,
    Away: _away,
    Back: _back,
    Abandon: _abandon,
    Start: _start,
    Pause: _pause,
    ResumeSession: _resume_session,
    Extend: _extend,
    Skip: _skip,
    ChooseFirstSpeaker: _choose_first_speaker,
}


# ---------------------------------------------------------------- flow


def _start_session(state: SessionState, now: float, events: Events) -> SessionState:
    state = replace(state, phase="running", started_at=now)
    events.append(
        everyone(
            "session_started",
            started_at=now,
            first_speaker=state.first_speaker,
            plan_id=state.plan.id,
            plan_title=state.plan.title,
        )
    )
    return _start_exercise(state, 0, now, events)


def _start_exercise(state: SessionState, index: int, now: float, events: Events) -> SessionState:
    planned = state.plan.exercises[index]
    state = replace(state, exercise_first_speaker=state.first_speaker)
    events.append(
        everyone(
            "exercise_started",
            exercise_index=index,
            exercise_id=planned.definition.id,
            title=planned.definition.title,
            description=planned.definition.description,
            rounds=planned.rounds,
        )
    )
    return _go_to(state, index, 1, planned.definition.first_step, now, events)


def _go_to(
    state: SessionState,
    index: int,
    round_no: int,
    target: str,
    now: float,
    events: Events,
    notice: str | None = None,
    reinvited: bool = False,
) -> SessionState:
    definition = state.plan.exercises[index].definition
    if target == definition.first_step and (
        state.step is None or state.step.exercise_index != index or state.step.round != round_no
    ):
        state = replace(state, round_started_at=now, branch_counts={}, closed_branches=())  # a fresh round
    while target != END:
        step = definition.step(target)
        if not _skipped(state, index, round_no, step):
            return _start_step(state, index, round_no, target, now, events, notice, reinvited)
        target = step.next
    return _finish_round(state, index, round_no, now, events)


def _skipped(state: SessionState, index: int, round_no: int, step: StepDefinition) -> bool:
    """Steps that would make no sense now: asked once already, a question a loop's limit has answered,
    or a response to a reveal that never happened."""
    if step.first_round_only and round_no > 1:
        return True
    offered = offered_options(step, state.closed_branches)
    if offered is not None and len(offered) <= 1 and step.branches:
        return True  # "is there more?" with only "no" left would ignore a "yes": don't ask it
    if step.only_after_reveal_of is not None:
        shown = {
            a.author
            for a in state.answers
            if (a.exercise_index, a.round, a.step_id) == (index, round_no, step.only_after_reveal_of)
            and not a.private
            and not a.timed_out
        }
        return shown != set(state.partners)
    return False


def _finish_round(state: SessionState, index: int, round_no: int, now: float, events: Events) -> SessionState:
    planned = state.plan.exercises[index]
    if round_no < planned.rounds:
        speaker = speaker_of(state, round_no + 1)
        events.append(
            everyone(
                "round_swapped",
                exercise_index=index,
                round=round_no + 1,
                speaker=speaker,
                listener=state.other(speaker),
            )
        )
        return _go_to(state, index, round_no + 1, planned.definition.first_step, now, events)
    events.append(everyone("exercise_completed", exercise_index=index, exercise_id=planned.definition.id))
    if index + 1 < len(state.plan.exercises):
        return _start_exercise(state, index + 1, now, events)
    return _end_session(state, "completed", None, now, events)


def _start_step(
    state: SessionState,
    index: int,
    round_no: int,
    step_id: str,
    now: float,
    events: Events,
    notice: str | None = None,
    reinvited: bool = False,
) -> SessionState:
    planned = state.plan.exercises[index]
    definition = planned.definition.step(step_id)
    limit = planned.time_limits[step_id]
    is_guide = isinstance(definition.input, GuideInput)
    running = not state.paused
    step = StepState(
        no=state.step_counter + 1,
        exercise_index=index,
        round=round_no,
        step_id=step_id,
        started_at=now,
        remaining=float(limit),
        deadline=now + limit if running else None,
        warned=is_guide or limit <= WARNING_SECONDS,  # no countdown warning for a guide or a short step
        guide_starts_at=now + GUIDE_LEAD_SECONDS if is_guide and running else None,
        notice=notice,
        reinvited=reinvited,
    )
    state = replace(state, step=step, step_counter=step.no)
    events.extend(_announce(state, now))
    return state


def _announce(state: SessionState, now: float) -> Events:
    """One ``step_started`` per recipient: each sees their own role and prompt."""
    recipients = (*state.partners, *((state.facilitator,) if state.facilitator else ()))
    return [only((who,), "step_started", **announcement(state, who, now)) for who in recipients]


def _complete_step(state: SessionState, now: float, events: Events, outcome: str, choice: Value = None) -> SessionState:
    """Close the current step (completed, timed_out or skipped) and move along the step graph."""
    step = state.step
    assert step is not None
    planned, definition = current_step(state)
    required = required_authors(state, definition)
    answered_before = {a.author for a in state.answers if a.step_no == step.no}
    missing = [p for p in required if p not in step.answers and p not in answered_before]
    silent_share = outcome == "timed_out" and definition.reinvite_if_silent and bool(missing)
    if silent_share and not step.reinvited:
        # Nothing said in time: no "mirror it back" of nothing. Offer the floor once more, gently.
        events.append(
            everyone(
                "step_completed",
                step_no=step.no,
                exercise_id=planned.definition.id,
                step_id=definition.id,
                outcome=outcome,
                missing=missing,
                note=REINVITE_NOTICE,
            )
        )
        return _start_step(
            state, step.exercise_index, step.round, definition.id, now, events, REINVITE_NOTICE, reinvited=True
        )
    # A "both" answer is revealed only when everyone answered: whoever waits out the clock must not see
    # the other's answer without giving their own. Until then it stays its author's own, like a private one.
    everyone_answered = all(p in step.answers for p in required)
    keep_private = definition.role == "private" or (definition.role == "both" and not everyone_answered)
    held = [_answer(state, p, step.answers[p], now, private=keep_private) for p in state.partners if p in step.answers]
    timed_out = (
        [_answer(state, p, None, now, private=definition.role == "private", timed_out=True) for p in missing]
        if outcome == "timed_out"
        else []
    )
    state = replace(state, answers=(*state.answers, *held, *timed_out))
    if definition.role == "both" and held and not keep_private:  # revealed together: nobody went first
        events.append(
            everyone(
                "answers_revealed",
                step_no=step.no,
                step_id=definition.id,
                answers={a.author: a.value for a in held},
            )
        )
    events.append(
        everyone(
            "step_completed",
            step_no=step.no,
            exercise_id=planned.definition.id,
            step_id=definition.id,
            outcome=outcome,
            missing=missing if outcome != "completed" else [],
            note=MOVED_ON_NOTE if silent_share else None,
        )
    )
    if silent_share:  # still nothing: move on kindly, to the sum-up if something was said earlier this round
        said_before = any(
            (a.exercise_index, a.round, a.author) == (step.exercise_index, step.round, missing[0]) and not a.timed_out
            for a in state.answers
        )
        target = definition.if_silent if said_before and definition.if_silent else END
        return _go_to(state, step.exercise_index, step.round, target, now, events)
    if definition.starts_break_from is not None and outcome != "skipped":
        minutes = _chosen_minutes(state, definition.starts_break_from)
        state = _begin_space(state, speaker_of(state, step.round), minutes * 60, now, events, from_exercise=True)
    target, notice = definition.next, None
    for branch in definition.branches:
        key = branch_key(definition, branch.goto)
        taken = state.branch_counts.get(key, 0)
        if choice == branch.when and key not in state.closed_branches and taken < branch.at_most:
            state = replace(state, branch_counts={**state.branch_counts, key: taken + 1})
            target = branch.goto
            if _last_pass(state, planned, definition, branch, taken + 1, now):
                # Say so before the last pass begins, and never offer the loop again this round.
                state = replace(state, closed_branches=(*state.closed_branches, key))
                notice = branch.last_notice
            break
    return _go_to(state, step.exercise_index, step.round, target, now, events, notice)


def _last_pass(state: SessionState, planned: Any, step: StepDefinition, branch: Any, passes: int, now: float) -> bool:
    if passes >= branch.at_most:
        return True
    if branch.budget_seconds is None:
        return False
    elapsed = now - (state.round_started_at if state.round_started_at is not None else now)
    # This pass and the next must both fit in the round's budget; otherwise this one is the last.
    return elapsed + 2 * loop_seconds(planned, step, branch.goto) > branch.budget_seconds


def _chosen_minutes(state: SessionState, source_step: str) -> int:
    step = state.step
    assert step is not None
    for answer in reversed(state.answers):
        if (answer.exercise_index, answer.round, answer.step_id) == (
            step.exercise_index,
            step.round,
            source_step,
        ):
            if isinstance(answer.value, str) and answer.value.isdigit():
                return int(answer.value)
            break
    return state.plan.rules.break_.suggested_minutes


def _end_session(state: SessionState, reason: str, by: str | None, now: float, events: Events) -> SessionState:
    if state.step is not None and state.step.answers:
        # Answers still held back (a private reflection, or one half of a "both" step) stay their
        # author's own: kept for the author's summary, never revealed to anyone else.
        recorded = {a.author for a in state.answers if a.step_no == state.step.no}
        held = tuple(
            _answer(state, author, value, now, private=True)
            for author, value in state.step.answers.items()
            if author not in recorded  # a step that completed already moved its answers to the transcript
        )
        state = replace(state, answers=(*state.answers, *held))
    state = replace(state, phase="ended", ended_at=now, end_reason=reason, ended_by=by, step=None, pauses=())
    events.append(everyone("session_ended", reason=reason, by=by, ended_at=now))
    return state


# ---------------------------------------------------------------- pauses and breaks


def _begin_space(
    state: SessionState, who: str, seconds: int, now: float, events: Events, from_exercise: bool
) -> SessionState:
    record = SpaceRecord(who=who, requested_at=now, planned_return_at=now + seconds, from_exercise=from_exercise)
    state = replace(state, spaces=(*state.spaces, record))
    events.append(
        everyone(
            "space_requested",
            who=who,
            requested_at=now,
            return_at=now + seconds,
            return_in_seconds=seconds,
            from_exercise=from_exercise,
        )
    )
    return _add_pause(state, ActivePause(kind="space", who=who, since=now, return_at=now + seconds), now, events)


def _end_space(state: SessionState, who: str, now: float, events: Events) -> SessionState:
    spaces = list(state.spaces)
    for i in range(len(spaces) - 1, -1, -1):
        if spaces[i].who == who and spaces[i].returned_at is None:
            spaces[i] = replace(spaces[i], returned_at=now)
            break
    state = replace(state, spaces=tuple(spaces))
    events.append(everyone("space_ended", who=who, returned_at=now))
    return _remove_pause(state, lambda p: p.kind == "space" and p.who == who, now, events)


def _add_pause(state: SessionState, pause: ActivePause, now: float, events: Events) -> SessionState:
    """Pauses stack; the step's clock freezes when the first one begins."""
    step = state.step
    if not state.paused and state.phase == "running" and step is not None and step.deadline is not None:
        step = replace(step, remaining=max(0.0, step.deadline - now), deadline=None, guide_starts_at=None)
        events.append(everyone("paused", step_no=step.no, reason=pause.kind, who=pause.who, remaining=step.remaining))
    return replace(state, step=step, pauses=(*state.pauses, pause))


def _remove_pause(
    state: SessionState, which: Callable[[ActivePause], bool], now: float, events: Events
) -> SessionState:
    """Remove matching pauses; when none is left the clock restarts from the time that was left."""
    state = replace(state, pauses=tuple(p for p in state.pauses if not which(p)))
    step = state.step
    if state.paused or state.phase != "running" or step is None or step.deadline is not None:
        return state
    planned, definition = current_step(state)
    if isinstance(definition.input, GuideInput):  # breathing restarts from the first breath, in step for both
        limit = planned.time_limits[definition.id]
        step = replace(step, remaining=float(limit), deadline=now + limit, guide_starts_at=now + GUIDE_LEAD_SECONDS)
    else:
        step = replace(step, deadline=now + step.remaining)
    state = replace(state, step=step)
    events.append(everyone("resumed", step_no=step.no, deadline=step.deadline, remaining=step.remaining))
    if isinstance(definition.input, GuideInput):
        events.extend(_announce(state, now))
    return state


# ---------------------------------------------------------------- answers


def _answer(
    state: SessionState, author: str, value: Value, now: float, private: bool = False, timed_out: bool = False
) -> Answer:
    step = state.step
    assert step is not None
    planned, definition = current_step(state)
    return Answer(
        step_no=step.no,
        exercise_index=step.exercise_index,
        exercise_id=planned.definition.id,
        step_id=definition.id,
        round=step.round,
        speaker=speaker_of(state, step.round),
        author=author,
        role=definition.role,
        value=value,
        private=private,
        at=now,
        timed_out=timed_out,
    )


def _validated(spec: Any, value: Value) -> Value:
    if isinstance(spec, TextInput):
        if not isinstance(value, str) or not value.strip():
            raise IntentRejected("invalid_value", "Please write a few words first.")
        text = value.strip()
        if visible_length(text) > spec.max_length:  # count what people see: an emoji is one
            raise IntentRejected(
                "text_too_long",
                f"That's a little long; please keep it under {spec.max_length} "
                "characters. Small pieces are easier to hear.",
            )
        return text
    if isinstance(spec, FeelingInput | ChoiceInput):
        if value not in [option.value for option in spec.options]:
            raise IntentRejected("invalid_value", "Please pick one of the options.")
        return value
    if isinstance(spec, RatingInput):
        if type(value) is not int or not 1 <= value <= spec.scale:
            raise IntentRejected("invalid_value", f"Please pick a number from 1 to {spec.scale}.")
        return value
    if isinstance(spec, ReadyInput):
        if value is not None and value is not True:  # not 1, not "yes": JSON true (or nothing)
            raise IntentRejected("invalid_value", "Just press the button when you're ready.")
        return True
    raise IntentRejected("nothing_to_submit", "Nothing to send here.")


def _present_participant(state: SessionState, who: str) -> str:
    if who not in state.partners and who != state.facilitator:
        raise IntentRejected("not_a_participant", "That person isn't part of this session.")
    return who
