"""Two real clients go through the whole "daily" plan against a real server, then read their summaries."""

import asyncio
from typing import Any

from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import default_answer, paired_couple, play, started_session


async def test_a_couple_completes_the_daily_plan_and_each_gets_their_own_summary(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    landed_answers = {"Alex": ["not_quite", "yes"], "Sam": ["mostly"]}

    def person(name: str) -> Any:
        base = default_answer(name)

        def answer(step: dict[str, Any]) -> Any:
            if step["step_id"] == "landed" and step["exercise_id"] == "small_truths":
                return landed_answers[name].pop(0)
            if step["step_id"] == "share":
                return f"{name} shares: I felt a small joy when the kettle sang, round {step['round']}"
            if step["step_id"] == "clarify":
                return f"{name} clarifies: it was more relief than joy"
            if step["step_id"] == "reflect" and step["exercise_id"] == "small_truths":
                return f"{name} reflects: you felt joy at a small thing (step {step['step_no']})"
            return base(step)

        return answer

    session_id, a, s = await started_session(alex, sam, "daily", first_speaker="me")
    await asyncio.gather(play(a, person("Alex")), play(s, person("Sam")))

    for live in (a, s):
        ended = live.latest("session_ended")
        assert ended is not None and ended["data"]["reason"] == "completed"
        seqs = [f["seq"] for f in live.events]
        assert seqs == sorted(set(seqs)), "events arrive in order, without duplicates"

    # Each partner saw the other's shared words in real time.
    assert any("Alex shares" in str(f["data"]) for f in s.events)
    assert any("Sam reflects" in str(f["data"]) for f in a.events)
    # Both partners finish the same small-truth starter, drawn for this couple; the speaker sees it.
    shares = [f["data"] for live in (a, s) for f in live.events if f["event"] == "step_started"]
    shares = [d for d in shares if d["step_id"] == "share" and d["acting"]]
    assert len({d["drawn_prompt"] for d in shares}) == 1 and shares[0]["drawn_prompt"] in shares[0]["prompt"]

    alex_summary, sam_summary = await alex.summary(session_id), await sam.summary(session_id)
    assert alex_summary["end_reason"] == "completed"
    alex_text, sam_text = str(alex_summary), str(sam_summary)
    assert "Alex shares" in alex_text and "Sam reflects" in alex_text  # what I shared and how it was reflected
    assert "not_quite" in alex_text or "Not quite" in alex_text  # my "did it land?" answers
    assert "Alex clarifies" in alex_text
    assert "Sam shares" in alex_text  # what my partner shared, and how I reflected it
    assert "Sam shares" in sam_text and "Alex reflects" in sam_text
    titles = alex_summary["content"]["exercises_done"]
    assert titles == ["Check-in", "Small truths", "Check-out"]
    assert alex_summary["content"]["scores"], "check-in and check-out scores are kept"

    markdown = await alex.summary_markdown(session_id)
    assert markdown.startswith("# ") and "Alex shares" in markdown

    # The partner cannot read the other's summary: there is only their own.
    listed = await sam.call("GET", "/api/summaries")
    assert [item["session_id"] for item in listed] == [session_id]
    for person_ in (alex, sam):
        await person_.http.aclose()
