// The live session page: whose turn, what to do, time left, the partner's words, space and leaving.
import { api } from "../api.js";
import { announce, formatClock, h, mount } from "../dom.js";
import { LiveConnection } from "../live.js";
import { inputFor } from "./step_inputs.js";
import { startBreathingGuide } from "./breathing.js";
import { confirmDialog, describeAnswer, showTimeLeft, spokenSeconds } from "./live_shared.js";
import { buildSpaceDialog, loadRules, momentNotice } from "./pausing.js"; // issue 11: rules-driven breaks, one moment
import { revealArea, waitingForReveal } from "./reveal.js"; // issue 11: both answer, then both see
const ENDINGS = {
  completed: "You finished the whole plan together. Well done.",
  ended_early: "The session ended. That's fine: stopping is part of practising.",
  abandoned: "The session closed after a long quiet. You can start again whenever you like.",
};

export async function showSession(app, sessionId) {
  let info;
  try {
    info = await api("GET", `/api/sessions/${sessionId}`);
  } catch (error) {
    mount(h("h1", {}, "We could not open this session"), h("p", {}, error.message),
      h("a", { href: "/home", "data-link": true }, "Back to home"));
    return;
  }
  const me = app.me.id;
  const model = {
    phase: "lobby", step: null, ready: [], pauses: [], transcript: [], answered: [], connected: [],
    ended: null, partner: null, facilitator: null, plan: null, myAnswerSent: false,
  };
  // What each step asked, learned from its announcement, so answers read as "How calm: 5 of 7".
  const stepInfo = new Map();
  const facilitatorName = info.facilitator_display_name || "Your facilitator";
  const nameOf = (id) => (id === me ? "You" : id === model.facilitator ? facilitatorName : info.partner_display_name || "Your partner");

  // ---- page skeleton: built once, parts updated in place so typing is never lost
  const connection = h("span", { class: "connection", role: "status", "data-state": "connecting" }, "Connecting…");
  const presence = h("span", { "data-testid": "presence" });
  const pauseArea = h("div", { "data-testid": "pause-area" });
  // Calm words about what the facilitator just did (more time, a skipped step, who speaks first).
  const notice = h("p", { class: "notice", role: "status", "data-testid": "facilitator-notice", hidden: true });
  const stage = h("div", { class: "stack", "data-testid": "stage" });
  const feedback = h("p", { class: "form-error", role: "alert", hidden: true });
  const transcriptList = h("ol", { class: "transcript", "aria-live": "polite", "data-testid": "transcript" });
  const spaceButton = h("button", { type: "button", class: "secondary", onclick: () => spaceDialog.showModal() }, "I need space");
  const leaveButton = h("button", { type: "button", class: "quiet", onclick: () => leaveDialog.showModal() }, "Leave");
  const momentButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "one_moment" }) }, "One moment"); // issue 11
  const spaceDialog = buildSpaceDialog(await loadRules(), (minutes) => act({ type: "ask_space", return_in_seconds: minutes * 60 }));
  const reveal = revealArea(nameOf); // issue 11
  const leaveDialog = confirmDialog({ id: "leave", title: "Leave the session?", ok: "Leave the session", cancel: "Stay",
    text: "You don't need to give a reason. The session ends for both of you, and each of you keeps a summary." }, () => act({ type: "end" }));
  const timer = h("span", { class: "timer", "aria-hidden": "false" });

  mount(
    h("h1", {}, `${/practi[cs]e$/i.test(info.plan_title) ? info.plan_title : `${info.plan_title} practice`} with ${info.partner_display_name}`),
    h("div", { class: "status-bar" }, connection, presence),
    pauseArea,
    notice,
    reveal.element,
    stage,
    feedback,
    h("section", { "aria-labelledby": "shared-heading" },
      h("h2", { id: "shared-heading" }, "What's been shared"),
      transcriptList),
    h("div", { class: "controls" }, spaceButton, momentButton, leaveButton),
    spaceDialog, leaveDialog);

  const live = new LiveConnection(sessionId, { onFrame, onStatus });
  live.connect();
  const ticker = setInterval(tick, 250);
  let stopGuide = null;
  app.leave = () => { clearInterval(ticker); stopGuide?.(); live.close(); };

  function onStatus(state, message) {
    connection.dataset.state = state;
    connection.textContent = { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…", closed: message || "Disconnected" }[state];
  }

  async function act(message) {
    feedback.hidden = true;
    try {
      return await live.send(message);
    } catch (error) {
      feedback.textContent = error.message || "That didn't go through. Please try again.";
      feedback.hidden = false;
      return null;
    }
  }

  // ---- applying what the server says
  function onFrame(frame) {
    if (frame.type === "snapshot") loadSnapshot(frame.state, frame.connected);
    else if (frame.type === "synced" || frame.type === "presence") model.connected = frame.connected;
    else if (frame.type === "event") applyEvent(frame.event, frame.data);
    else return;
    render();
  }

  function loadSnapshot(state, connected) {
    Object.assign(model, {
      phase: state.phase, step: state.step, ready: state.ready, pauses: state.pauses, answered: state.answered,
      ended: state.ended, plan: state.plan, facilitator: state.facilitator, connected,
      partner: state.partners.find((p) => p !== me) ?? null, myAnswerSent: state.your_answer !== null,
    });
    if (state.step) stepInfo.set(state.step.step_no, { title: state.step.step_title, input: state.step.input });
    model.transcript = [];
    transcriptList.replaceChildren();
    for (const answer of state.transcript) addToTranscript(answer);
  }

  function applyEvent(name, d) {
    switch (name) {
      case "ready_recorded": model.ready = [...new Set([...model.ready, d.participant])]; break;
      case "session_started": model.phase = "running"; announce("The session has started."); break;
      case "exercise_started": announce(`Next: ${d.title}.`); break;
      case "step_started": {
        stepInfo.set(d.step_no, { title: d.step_title, input: d.input });
        const wasMine = model.step?.acting;
        model.step = d; model.answered = []; model.myAnswerSent = false;
        reveal.follow(d); // issue 11
        if (d.acting && d.role !== "both" && d.role !== "private") announce(`Your turn. ${d.prompt}`);
        else if (!d.acting && wasMine) announce(`${nameOf(d.speaker)}'s turn. You're listening.`);
        else if (d.acting) announce(d.prompt);
        break;
      }
      case "answer_shared": addToTranscript({ author: d.author, value: d.value, step_no: d.step_no, step_id: d.step_id, private: false }); break;
      case "answers_revealed":
        reveal.reveal(d, model.step, me); // issue 11
        for (const [author, value] of Object.entries(d.answers)) addToTranscript({ author, value, step_no: d.step_no, step_id: d.step_id, private: false });
        break;
      case "private_answer_saved": addToTranscript({ author: me, value: d.value, step_no: d.step_no, step_id: d.step_id, private: true }); break;
      case "answer_received": model.answered = [...new Set([...model.answered, d.participant])]; if (d.participant === me) model.myAnswerSent = true; break;
      case "warning": announce("About 30 seconds left for this step."); break;
      case "paused": if (model.step) { model.step = { ...model.step, deadline: null, remaining: d.remaining, paused: true }; } break;
      case "resumed": if (model.step) { model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining, paused: false }; } announce("We're carrying on."); break;
      case "extended":
        if (model.step) { model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining }; }
        tell(`${facilitatorName} added ${spokenSeconds(d.seconds)} to this step. No rush.`);
        break;
      case "step_skipped": tell(`${facilitatorName} moved you on to the next step. Nothing you wrote is lost.`); break;
      case "first_speaker_chosen":
        tell(`${facilitatorName} asked ${d.partner === me ? "you" : info.partner_display_name} to speak first${model.phase === "lobby" ? "" : " from the next exercise"}.`);
        break;
      case "space_requested":
        model.pauses = [...model.pauses, { kind: "space", who: d.who, return_at: d.return_at, return_due: false, resumed_by: [] }];
        announce(d.who === me ? `The session is paused. Take the time you need; back at ${formatClock(d.return_at)}.`
          : `${nameOf(d.who)} asked for some space. The session is paused until ${formatClock(d.return_at)}.`);
        break;
      case "space_return_due":
        model.pauses = model.pauses.map((p) => (p.kind === "space" && p.who === d.who ? { ...p, return_due: true } : p));
        announce("It's time to come back together.");
        break;
      case "resume_recorded":
        model.pauses = model.pauses.map((p) => (p.kind === "space" ? { ...p, resumed_by: [...p.resumed_by, d.participant] } : p));
        break;
      case "space_ended": model.pauses = model.pauses.filter((p) => !(p.kind === "space" && p.who === d.who)); break;
      case "participant_away":
        if (model.facilitator && d.participant === model.facilitator) { // the engine carries on without them
          announce(`${facilitatorName} stepped out for a moment; you can carry on.`);
          break;
        }
        model.pauses = [...model.pauses, { kind: "away", who: d.participant }];
        announce(`${nameOf(d.participant)} lost their connection. We've paused until they're back.`);
        break;
      case "participant_back": model.pauses = model.pauses.filter((p) => !(p.kind === "away" && p.who === d.participant)); break;
      // issue 11: the short pause, never shown as a break
      case "moment_started":
        model.pauses = [...model.pauses, { kind: "moment", who: d.who, return_at: d.until }];
        announce(d.who === me ? "One moment: the clock has stopped." : `${nameOf(d.who)} asked for one moment.`);
        break;
      case "moment_ended": model.pauses = model.pauses.filter((p) => !(p.kind === "moment" && p.who === d.who)); break;
      case "facilitator_paused": model.pauses = [...model.pauses, { kind: "facilitator", who: d.by }]; announce(`${facilitatorName} paused the session.`); break;
      case "facilitator_resumed": model.pauses = model.pauses.filter((p) => p.kind !== "facilitator"); tell(`${facilitatorName} resumed the session.`); break;
      case "session_ended": model.phase = "ended"; model.ended = d; model.step = null; model.pauses = []; announce("The session has ended."); break;
      default: break;
    }
  }

  function tell(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  function addToTranscript(answer) {
    if (answer.value === null || answer.value === undefined || answer.value === true) return; // "ready" clicks say nothing
    model.transcript.push(answer);
    const { title, value } = describeAnswer(answer, stepInfo);
    transcriptList.append(h("li", {},
      h("span", { class: "who" }, `${nameOf(answer.author)}`), h("span", { class: "hint" }, ` · ${title}`),
      h("span", { style: "display:block" }, value),
      answer.private ? h("span", { class: "private-note", style: "display:block" }, "Only you can see this") : null));
  }

  // ---- drawing
  let stageKey = "";
  function render() {
    const partnerHere = model.partner && model.connected.includes(model.partner);
    const facilitatorHere = model.facilitator && model.connected.includes(model.facilitator);
    presence.textContent = [
      model.partner ? `${info.partner_display_name} is ${partnerHere ? "here" : "not connected"}` : "",
      model.facilitator ? `${facilitatorName}, your facilitator, ${facilitatorHere ? "is here" : "isn't here right now"}` : "",
    ].filter(Boolean).join(" · ");
    renderPause();
    const key = JSON.stringify([model.phase, model.step?.step_no, model.step?.acting, model.myAnswerSent, model.ready, model.phase === "ended" && model.ended?.reason]);
    if (key !== stageKey) { stageKey = key; renderStage(); }
    spaceButton.hidden = model.phase !== "running";
    momentButton.hidden = model.phase !== "running" || model.pauses.some((p) => p.kind === "moment" && p.who === me); // issue 11
    leaveButton.hidden = model.phase === "ended";
    tick();
  }

  function renderPause() {
    const space = model.pauses.find((p) => p.kind === "space");
    const away = model.pauses.find((p) => p.kind === "away");
    const held = model.pauses.find((p) => p.kind === "facilitator");
    const parts = [];
    if (space) {
      if (space.return_due) {
        const iResumed = space.resumed_by?.includes(me);
        parts.push(h("p", {}, "It's time to come back together. Ready to carry on?"),
          space.who === me ? h("button", { type: "button", onclick: () => act({ type: "come_back" }) }, "I'm back")
            : iResumed ? h("p", {}, `Thanks. Waiting for ${nameOf(space.who)}…`)
              : h("button", { type: "button", onclick: () => act({ type: "resume" }) }, "Ready to carry on"));
      } else if (space.who === me) {
        parts.push(h("p", {}, `You're taking some space. You said you'd be back at ${formatClock(space.return_at)}. The clock has stopped for both of you.`),
          h("button", { type: "button", onclick: () => act({ type: "come_back" }) }, "I'm back"));
      } else {
        parts.push(h("p", {}, `${nameOf(space.who)} asked for some space and plans to be back at ${formatClock(space.return_at)}. ` +
          "The session is paused and the clock has stopped. This is a good moment to look after yourself too."));
      }
    }
    if (away) parts.push(h("p", {}, `${nameOf(away.who)}'s connection dropped. We've paused until they're back.`));
    for (const moment of model.pauses.filter((p) => p.kind === "moment")) parts.push(momentNotice(moment, me, nameOf, act)); // issue 11
    if (held) parts.push(h("p", {}, `${facilitatorName}, your facilitator, has paused the session for a moment. The clock has stopped; nothing is lost.`));
    pauseArea.replaceChildren(parts.length ? h("div", { class: "pause-banner", role: "region", "aria-label": "Session paused" }, h("h2", {}, "Paused"), parts) : "");
  }

  function renderStage() {
    stopGuide?.(); stopGuide = null;
    if (model.phase === "ended") {
      stage.replaceChildren(h("h2", {}, "The session has ended"), h("p", {}, ENDINGS[model.ended?.reason] || ""),
        h("a", { class: "button", href: `/summary/${sessionId}`, "data-link": true }, "Read your summary"));
      return;
    }
    if (model.phase === "lobby") {
      const iAmReady = model.ready.includes(me);
      const partnerReady = model.partner && model.ready.includes(model.partner);
      stage.replaceChildren(
        h("h2", {}, "Is now a good time for you both?"),
        h("p", {}, model.facilitator ? `Say when now is a good time for you. ${facilitatorName}, your facilitator, will start the session.`
          : "We'll start when you've both said yes. There's no rush."),
        iAmReady ? h("p", {}, "You're ready.") : h("button", { type: "button", onclick: () => act({ type: "ready" }) }, "Now is a good time"),
        h("p", {}, partnerReady ? `${info.partner_display_name} is ready.` : `Waiting for ${info.partner_display_name}.`));
      return;
    }
    const step = model.step;
    if (!step) { stage.replaceChildren(h("p", {}, "Getting the next step ready…")); return; }
    const yours = step.acting;
    const turnText = step.role === "both" ? "Both of you: answer in your own time. Answers are shown together."
      : step.role === "private" ? "Just for you: your partner will not see this."
        : yours ? `Your turn: you're the ${step.role === "speaker" ? "speaker" : "listener"}.`
          : `${nameOf(step.role === "listener" ? step.speaker : step.listener)}'s turn. You're the ${step.role}.`;
    stage.replaceChildren(
      h("p", { class: "hint" }, `${step.exercise_title} · round ${step.round} of ${step.rounds} · ${step.step_title}`),
      h("p", { class: `turn${yours ? " yours" : ""}`, "data-testid": "turn" }, h("span", { "aria-hidden": "true" }, yours ? "▶ " : "◇ "), turnText),
      h("p", { class: "prompt", "data-testid": "prompt" }, step.prompt),
      h("p", {}, "Time left: ", timer));
    if (step.input.kind === "guide") {
      const guide = h("div", { class: "breath", "data-testid": "breathing-guide" });
      stage.append(guide);
      stopGuide = startBreathingGuide(guide, step, () => live.serverNow());
    } else if (yours && !model.myAnswerSent) {
      stage.append(inputFor(step, (value) => act({ type: "submit", step_no: step.step_no, value })));
    } else if (yours && model.myAnswerSent && step.role === "both" && step.input.kind === "text" && model.partner && !model.answered.includes(model.partner)) {
      stage.append(waitingForReveal(info.partner_display_name)); // issue 11
    } else if (yours && model.myAnswerSent) {
      stage.append(h("p", {}, model.partner && !model.answered.includes(model.partner) && step.role !== "speaker" && step.role !== "listener"
        ? `Thank you. Waiting for ${info.partner_display_name}…` : "Thank you."));
    }
  }

  function tick() {
    showTimeLeft(timer, model.step, live.serverNow());
  }
}
