// The facilitator's live view (pace the session, see what partners share, keep private notes) and, after the end, their record.
import { api } from "../api.js";
import { navigate } from "../app.js";
import { announce, formatClock, formatDate, h, mount } from "../dom.js";
import { LiveConnection } from "../live.js";
import { confirmDialog, describeAnswer, showTimeLeft, spokenSeconds } from "./live_shared.js";

const ENDINGS = {
  completed: "The couple finished the whole plan.",
  ended_early: "The session ended early.",
  abandoned: "The session closed after a long quiet.",
};

/** Partner names for this session, from the facilitator's couples (the session API names only one "partner"). */
async function partnersOf(sessionId) {
  const couples = await api("GET", "/api/facilitator/couples").catch(() => []);
  const couple = couples.find((c) => [...c.upcoming, ...c.live, ...c.past].some((s) => s.id === sessionId));
  return couple ? couple.partners : [];
}

function cannotOpen(message) {
  mount(h("h1", {}, "We could not open this session"), h("p", {}, message),
    h("a", { href: "/facilitator", "data-link": true }, "Back to your couples"));
}

export async function showFacilitatorSession(app, sessionId) {
  if (!app.me.is_facilitator) { navigate(`/session/${sessionId}`, { replace: true }); return; } // a partner's own page
  let info = null;
  try {
    info = await api("GET", `/api/sessions/${sessionId}`);
  } catch (error) {
    // 404 also when the couple has unlinked this facilitator: their own record (below) may still be there.
    if (error.status !== 404) { cannotOpen(error.message); return; }
  }
  const partners = await partnersOf(sessionId);
  if (!info || info.status === "ended") { await showRecord(app, sessionId, info, partners); return; }
  showLive(app, sessionId, info, partners);
}

function notesPanel(sessionId) {
  const box = h("textarea", { id: "note-text", name: "note", maxlength: 4000, "aria-describedby": "note-hint note-error" });
  const error = h("p", { class: "field-error", id: "note-error", role: "alert", hidden: true });
  const list = h("ul", { class: "notes", "data-testid": "notes" });
  const save = h("button", { type: "submit" }, "Save note");
  const show = (notes) => list.replaceChildren(...(notes.length
    ? notes.map((n) => h("li", {}, h("span", { class: "hint" }, formatClock(Date.parse(n.created_at) / 1000)), " ", n.text))
    : [h("li", { class: "hint" }, "No notes yet.")]));
  let notes = [];
  api("GET", `/api/facilitator/sessions/${sessionId}/notes`).then((n) => { notes = n; show(notes); }).catch(() => show([]));
  const form = h("form", { class: "card stack" },
    h("label", { for: "note-text" }, "Your private notes"),
    h("p", { class: "hint", id: "note-hint" }, "Only you can read these. The couple never sees them."),
    box, error, save, list);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!box.value.trim()) { error.textContent = "Write a few words first."; error.hidden = false; box.focus(); return; }
    save.disabled = true;
    try {
      const note = await api("POST", `/api/facilitator/sessions/${sessionId}/notes`, { text: box.value.trim() });
      notes = [...notes, note];
      show(notes);
      box.value = "";
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  return h("section", { "aria-labelledby": "notes-heading" }, h("h2", { id: "notes-heading" }, "Notes"), form);
}

function showLive(app, sessionId, info, partners) {
  const me = app.me.id;
  const names = new Map(partners.map((p) => [p.id, p.display_name]));
  const nameOf = (id) => (id === me ? "You" : names.get(id) || "A partner");
  const model = { phase: "lobby", step: null, ready: [], pauses: [], connected: [], partners: partners.map((p) => p.id),
    answered: [], ended: null, firstSpeaker: null };
  const stepInfo = new Map();

  const connection = h("span", { class: "connection", role: "status", "data-state": "connecting" }, "Connecting…");
  const presence = h("span", { "data-testid": "presence" });
  const pauseArea = h("div", { "data-testid": "pause-area" });
  const stage = h("div", { class: "stack", "data-testid": "stage" });
  const feedback = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "refusal" });
  const done = h("p", { class: "hint", role: "status", "data-testid": "control-status" });
  const transcriptList = h("ol", { class: "transcript", "aria-live": "polite", "data-testid": "transcript" });
  const timer = h("span", { class: "timer" });

  const startButton = h("button", { type: "button", onclick: () => act({ type: "start" }, "You started the session.") }, "Start the session");
  const pauseButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "pause" }, "Paused. The clock has stopped for both partners.") }, "Pause");
  const resumeButton = h("button", { type: "button", onclick: () => act({ type: "resume_session" }, "Resumed.") }, "Resume");
  const extendButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "extend", seconds: 60 }, "Added a minute to this step.") }, "Add a minute");
  const skipButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "skip" }, "Moved on to the next step.") }, "Skip this step");
  const firstSelect = h("select", { id: "first-speaker", name: "first" }, partners.map((p) => h("option", { value: p.id }, p.display_name)));
  const firstForm = h("form", { class: "row first-speaker" },
    h("label", { for: "first-speaker" }, "Who speaks first"), firstSelect,
    h("button", { type: "submit", class: "secondary" }, "Choose"));
  firstForm.addEventListener("submit", (event) => {
    event.preventDefault();
    act({ type: "choose_first_speaker", partner: firstSelect.value }, `${nameOf(firstSelect.value)} will speak first.`);
  });
  const endDialog = confirmDialog({ id: "end", title: "End the session?", ok: "End the session", cancel: "Keep going",
    text: "It ends for both partners straight away, and each keeps their own summary." },
  () => act({ type: "end" }, "You ended the session."));
  const endButton = h("button", { type: "button", class: "quiet", onclick: () => endDialog.showModal() }, "End the session");
  const controls = h("div", { class: "card stack facilitator-controls", role: "group", "aria-labelledby": "controls-heading" },
    h("h2", { id: "controls-heading" }, "Pace the session"),
    h("div", { class: "row" }, startButton, pauseButton, resumeButton, extendButton, skipButton),
    firstForm,
    endButton, feedback, done);

  mount(
    h("h1", {}, `${info.plan_title} with ${partners.map((p) => p.display_name).join(" and ") || "your couple"}`),
    h("div", { class: "status-bar" }, connection, presence),
    h("div", { class: "columns" },
      h("div", { class: "stack" }, pauseArea, stage, controls),
      h("div", {},
        h("section", { "aria-labelledby": "shared-heading" },
          h("h2", { id: "shared-heading" }, "What they share with each other"),
          h("p", { class: "hint" }, "Private reflections are never shown here."),
          transcriptList),
        notesPanel(sessionId))),
    endDialog);

  const live = new LiveConnection(sessionId, { onFrame, onStatus });
  live.connect();
  const ticker = setInterval(() => showTimeLeft(timer, model.step, live.serverNow()), 250);
  app.leave = () => { clearInterval(ticker); live.close(); };

  function onStatus(state, message) {
    connection.dataset.state = state;
    connection.textContent = { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…", closed: message || "Disconnected" }[state];
  }

  async function act(message, success) {
    feedback.hidden = true;
    done.textContent = "";
    try {
      const ack = await live.send(message);
      done.textContent = success;
      return ack;
    } catch (error) {
      feedback.textContent = error.message || "That didn't go through. Please try again.";
      feedback.hidden = false;
      return null;
    }
  }

  function onFrame(frame) {
    if (frame.type === "snapshot" && frame.state.as && frame.state.as !== "facilitator") {
      navigate(`/session/${sessionId}`, { replace: true }); // a partner here: their own page
      return;
    }
    if (frame.type === "snapshot") loadSnapshot(frame.state, frame.connected);
    else if (frame.type === "synced" || frame.type === "presence") model.connected = frame.connected;
    else if (frame.type === "event") applyEvent(frame.event, frame.data);
    else return;
    render();
  }

  function loadSnapshot(state, connected) {
    Object.assign(model, { phase: state.phase, step: state.step, ready: state.ready, pauses: state.pauses, answered: state.answered,
      ended: state.ended, partners: state.partners, firstSpeaker: state.first_speaker, connected });
    if (state.step) stepInfo.set(state.step.step_no, { title: state.step.step_title, input: state.step.input });
    transcriptList.replaceChildren();
    for (const answer of state.transcript) addToTranscript(answer);
  }

  function applyEvent(name, d) {
    switch (name) {
      case "ready_recorded": model.ready = [...new Set([...model.ready, d.participant])]; break;
      case "first_speaker_chosen": model.firstSpeaker = d.partner; break;
      case "session_started": model.phase = "running"; model.firstSpeaker = d.first_speaker; announce("The session has started."); break;
      case "step_started":
        stepInfo.set(d.step_no, { title: d.step_title, input: d.input });
        if (model.step?.step_no !== d.step_no) model.answered = [];
        model.step = d;
        break;
      case "answer_shared": addToTranscript({ author: d.author, value: d.value, step_no: d.step_no, step_id: d.step_id }); break;
      case "answers_revealed":
        for (const [author, value] of Object.entries(d.answers)) addToTranscript({ author, value, step_no: d.step_no, step_id: d.step_id });
        break;
      case "answer_received": model.answered = [...new Set([...model.answered, d.participant])]; break;
      case "warning": announce("About 30 seconds left for this step."); break;
      case "paused": if (model.step) model.step = { ...model.step, deadline: null, remaining: d.remaining, paused: true }; break;
      case "resumed": if (model.step) model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining, paused: false }; break;
      case "extended":
        if (model.step) model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining };
        announce(`${spokenSeconds(d.seconds)} added.`);
        break;
      case "space_requested":
        model.pauses = [...model.pauses, { kind: "space", who: d.who, return_at: d.return_at }];
        announce(`${nameOf(d.who)} asked for some space.`);
        break;
      case "space_ended": model.pauses = model.pauses.filter((p) => !(p.kind === "space" && p.who === d.who)); break;
      // issue 11: a partner's "one moment" (not a break)
      case "moment_started": model.pauses = [...model.pauses, { kind: "moment", who: d.who, return_at: d.until }]; break;
      case "moment_ended": model.pauses = model.pauses.filter((p) => !(p.kind === "moment" && p.who === d.who)); break;
      case "participant_away":
        if (model.partners.includes(d.participant)) model.pauses = [...model.pauses, { kind: "away", who: d.participant }];
        break;
      case "participant_back": model.pauses = model.pauses.filter((p) => !(p.kind === "away" && p.who === d.participant)); break;
      case "facilitator_paused": model.pauses = [...model.pauses, { kind: "facilitator", who: d.by }]; break;
      case "facilitator_resumed": model.pauses = model.pauses.filter((p) => p.kind !== "facilitator"); break;
      case "session_ended": model.phase = "ended"; model.ended = d; model.step = null; model.pauses = []; announce("The session has ended."); break;
      default: break;
    }
  }

  function addToTranscript(answer) {
    if (answer.private || answer.value === null || answer.value === undefined || answer.value === true) return;
    const { title, value } = describeAnswer(answer, stepInfo);
    transcriptList.append(h("li", {},
      h("span", { class: "who" }, nameOf(answer.author)), h("span", { class: "hint" }, ` · ${title}`),
      h("span", { style: "display:block" }, value)));
  }

  let stageKey = "";
  function render() {
    presence.textContent = model.partners.map((id) => `${nameOf(id)} is ${model.connected.includes(id) ? "here" : "not connected"}`).join(" · ");
    const facilitatorPaused = model.pauses.some((p) => p.kind === "facilitator");
    const running = model.phase === "running";
    startButton.hidden = model.phase !== "lobby";
    pauseButton.hidden = !running || facilitatorPaused;
    resumeButton.hidden = !running || !facilitatorPaused;
    extendButton.hidden = !running;
    skipButton.hidden = !running;
    firstForm.hidden = model.phase === "ended";
    endButton.hidden = model.phase === "ended";
    if (model.firstSpeaker && document.activeElement !== firstSelect) firstSelect.value = model.firstSpeaker;
    renderPause();
    const key = JSON.stringify([model.phase, model.step?.step_no, model.step?.speaker, model.ready, model.answered, model.connected]);
    if (key !== stageKey) { stageKey = key; renderStage(); }
    showTimeLeft(timer, model.step, live.serverNow());
  }

  function renderPause() {
    const parts = model.pauses.map((p) => h("p", {},
      p.kind === "facilitator" ? "You paused the session. The clock has stopped for both partners."
        : p.kind === "space" ? `${nameOf(p.who)} asked for some space and plans to be back at ${formatClock(p.return_at)}.`
          : p.kind === "moment" ? `${nameOf(p.who)} asked for one moment (back by ${formatClock(p.return_at)} at the latest).`
          : `${nameOf(p.who)}'s connection dropped. The session waits for them.`));
    pauseArea.replaceChildren(parts.length ? h("div", { class: "pause-banner", role: "region", "aria-label": "Session paused" }, h("h2", {}, "Paused"), parts) : "");
  }

  function renderStage() {
    if (model.phase === "ended") {
      stage.replaceChildren(h("h2", {}, "The session has ended"), h("p", {}, ENDINGS[model.ended?.reason] || ""),
        h("a", { class: "button", href: `/facilitator/session/${sessionId}`, "data-link": true }, "Open your record"));
      return;
    }
    if (model.phase === "lobby") {
      stage.replaceChildren(
        h("h2", {}, "In the lobby"),
        h("p", {}, "The partners say when now is a good time. You start the session when you're all ready."),
        h("ul", { "data-testid": "ready-list" }, model.partners.map((id) => h("li", {},
          `${nameOf(id)}: ${model.ready.includes(id) ? "ready" : model.connected.includes(id) ? "here, not ready yet" : "not here yet"}`))));
      return;
    }
    const step = model.step;
    if (!step) { stage.replaceChildren(h("p", {}, "Getting the next step ready…")); return; }
    let turn;
    if (step.input.kind === "guide") turn = "Both partners follow the breathing guide.";
    else if (step.speaker) turn = `${nameOf(step.speaker)} is the speaker, ${nameOf(step.listener)} the listener.`;
    else if (step.step_role === "private") turn = "Each partner writes privately. You won't see these answers.";
    else turn = "Both partners answer; their answers appear together.";
    const answered = model.answered.length ? h("p", { class: "hint" }, `Answered so far: ${model.answered.map(nameOf).join(", ")}.`) : null;
    stage.replaceChildren(
      h("p", { class: "hint" }, `${step.exercise_title} · round ${step.round} of ${step.rounds} · ${step.step_title}`),
      h("p", { class: "turn", "data-testid": "turn" }, h("span", { "aria-hidden": "true" }, "◇ "), turn),
      h("p", { class: "prompt", "data-testid": "prompt" }, step.prompt),
      h("p", {}, "Time left: ", timer),
      ...(answered ? [answered] : []));
  }
}

const EVENT_WORDS = {
  session_started: () => "The session started.",
  exercise_started: (d) => `Exercise: ${d.title}.`,
  step_skipped: () => "You skipped a step.",
  extended: (d) => `You added ${spokenSeconds(d.seconds)}.`,
  facilitator_paused: () => "You paused the session.",
  facilitator_resumed: () => "You resumed the session.",
  space_ended: () => "The break ended.",
  session_ended: (d) => ENDINGS[d.reason] || "The session ended.",
};

async function showRecord(app, sessionId, info, partners) {
  const names = new Map(partners.map((p) => [p.id, p.display_name]));
  // Names may be unknown (the couple unlinked this facilitator): label partners in order of appearance.
  let unnamed = 0;
  const nameOf = (id) => {
    if (id === app.me.id) return "You";
    if (!names.has(id)) names.set(id, `Partner ${++unnamed}`);
    return names.get(id);
  };
  let record;
  try {
    record = await api("GET", `/api/facilitator/sessions/${sessionId}/record`);
  } catch (error) {
    if (info && error.status === 404) { navigate(`/session/${sessionId}`, { replace: true }); return; } // a partner's session
    if (!info) { cannotOpen(error.message); return; }
    mount(h("h1", {}, "No record here"), h("p", {}, error.message), h("a", { href: "/facilitator", "data-link": true }, "Back to your couples"));
    return;
  }
  const stepInfo = new Map();
  const items = [];
  for (const { event, data, at } of record.timeline) {
    let text = null;
    if (event === "step_started") { stepInfo.set(data.step_no, { title: data.step_title, input: data.input }); continue; }
    if (event === "answer_shared") {
      const { title, value } = describeAnswer(data, stepInfo);
      if (data.value !== true) text = `${nameOf(data.author)}, ${title}: ${value}`;
    } else if (event === "answers_revealed") {
      text = Object.entries(data.answers).filter(([, v]) => v !== true).map(([author, value]) => {
        const described = describeAnswer({ ...data, value }, stepInfo);
        return `${nameOf(author)}, ${described.title}: ${described.value}`;
      }).join(" · ") || null;
    } else if (event === "first_speaker_chosen") text = `You chose ${nameOf(data.partner)} to speak first.`;
    else if (event === "space_requested") text = `${nameOf(data.who)} asked for some space.`;
    else if (EVENT_WORDS[event]) text = EVENT_WORDS[event](data);
    if (text) items.push(h("li", {}, h("span", { class: "hint" }, `${formatClock(at)} `), text));
  }
  const couple = partners.map((p) => p.display_name).join(" and ");
  mount(
    h("h1", {}, `Your record: ${info?.plan_title || record.session.plan_title}${couple ? ` with ${couple}` : ""}`),
    h("p", {}, `${formatDate(record.session.started_at || record.session.created_at)}. ${record.session.started_at
      ? ENDINGS[record.session.end_reason] || "" : "The session closed before it began."}`),
    h("p", { class: "hint" }, "What you saw: what the partners shared with each other and how the session was paced. Private reflections are never part of it."),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "timeline-heading" },
        h("h2", { id: "timeline-heading" }, "Timeline"),
        items.length ? h("ol", { class: "transcript", "data-testid": "timeline" }, items) : h("p", {}, "Nothing was shared in this session.")),
      notesPanel(sessionId)),
    h("p", {}, h("a", { href: "/facilitator", "data-link": true }, "Back to your couples")));
}
