// The live session page: whose turn, what to do, time left, the partner's words, space and leaving.
// Made for a phone in an emotional moment: what needs attention sits in one status area that stays in view,
// the words to respond to sit right above the answer box, and nothing typed is lost to a reload.
import { api } from "../api.js";
import { announce, copyText, formatClock, h, mount } from "../dom.js";
import { clearDrafts, draftKey } from "../drafts.js";
import { LiveConnection } from "../live.js";
import { inputFor } from "./step_inputs.js";
import { startBreathingGuide } from "./breathing.js";
import { confirmDialog, describeAnswer, showTimeLeft, spokenSeconds } from "./live_shared.js";
import { fillSpaceKit } from "./kit.js"; // issue 13: the kit, one tap away while I take space
import { buildSpaceDialog, loadRules, momentNotice } from "./pausing.js"; // issue 11: rules-driven breaks, one moment
import { revealArea, waitingForReveal } from "./reveal.js"; // issue 11: both answer, then both see

const RESPONDING_STEPS = new Set(["listener"]); // the listener reflects, mirrors, sums up, validates, empathises
const WORDS_SHOWN = 3; // the partner's last few pieces of this round, newest last

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
  const partnerName = info.partner_display_name || "Your partner";
  const model = {
    phase: "lobby", step: null, ready: [], pauses: [], transcript: [], answered: [], connected: [],
    ended: null, startedAt: null, partner: null, facilitator: null, plan: null, myAnswerSent: false,
  };
  // What each step asked, learned from its announcement (or the snapshot), so answers read as "How calm: 5 of 7".
  const stepInfo = new Map();
  const facilitatorName = info.facilitator_display_name || "Your facilitator";
  const nameOf = (id) => (id === me ? "You" : id === model.facilitator ? facilitatorName : partnerName);
  const nudgeAfter = Number(app.config.lobby_nudge_seconds ?? 120) * 1000;

  // ---- page skeleton: built once, parts updated in place so typing is never lost
  const connection = h("span", { class: "connection", role: "status", "data-state": "connecting", "data-testid": "connection" }, "Connecting…");
  const presence = h("span", { "data-testid": "presence" });
  const pauseArea = h("div", { "data-testid": "pause-area" });
  // Calm, passing words: what the facilitator just did, or that time is nearly up. Gone when the next step starts.
  const notice = h("p", { class: "notice", role: "status", "data-testid": "facilitator-notice", hidden: true });
  const stage = h("div", { class: "stack stage", "data-testid": "stage" });
  // issue 13: while I take space, my kit and solo breathing open here, in this page: the socket stays open.
  const spaceKit = h("section", { id: "space-kit", class: "card space-kit", "aria-labelledby": "space-kit-heading", "data-testid": "space-kit", hidden: true });
  const spaceKitButton = h("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-controls": "space-kit",
    "data-testid": "space-kit-button", onclick: () => toggleSpaceKit() }, "While you take space: your calming kit");
  let stopSpaceKit = null;
  const feedback = h("p", { class: "form-error", role: "alert", hidden: true });
  const transcriptList = h("ol", { class: "transcript", "aria-live": "polite", "data-testid": "transcript" });
  const spaceButton = h("button", { type: "button", class: "secondary", onclick: () => spaceDialog.showModal() }, "I need space");
  const leaveButton = h("button", { type: "button", class: "quiet", onclick: () => openLeave() }, "Leave");
  const momentButton = h("button", { type: "button", class: "secondary", onclick: () => act({ type: "one_moment" }) }, "One moment"); // issue 11
  const spaceDialog = buildSpaceDialog(await loadRules(), (minutes) => act({ type: "ask_space", return_in_seconds: minutes * 60 }));
  const reveal = revealArea(nameOf); // issue 11
  const leaveText = h("p", {});
  const leaveDialog = confirmDialog({ id: "leave", title: "Leave the session?", ok: "Leave the session", cancel: "Stay", text: leaveText },
    () => act({ type: "end" }));
  const timer = h("span", { class: "timer", "aria-hidden": "false" });
  const controls = h("div", { class: "controls" }, spaceButton, momentButton, leaveButton);
  // The one place for what needs attention: it stays at the top of the screen however far you've scrolled.
  const status = h("div", { class: "live-status", "data-testid": "live-status" },
    h("div", { class: "status-bar" }, connection, presence), pauseArea, notice);

  mount(
    h("h1", { class: "live-title" }, `${/practi[cs]e$/i.test(info.plan_title) ? info.plan_title : `${info.plan_title} practice`} with ${partnerName}`),
    status,
    spaceKit,
    reveal.element,
    stage,
    feedback,
    h("section", { "aria-labelledby": "shared-heading" },
      h("h2", { id: "shared-heading" }, "What's been shared"),
      transcriptList),
    controls,
    spaceDialog, leaveDialog);

  let stopGuide = null;
  let connState = "connecting";
  let frozenLeft = null; // the time left when our connection dropped: the server pauses soon after, so we stop too
  let aloneSince = Date.now(); // in the lobby, since when the partner has not been here
  let stageKey = "";
  // Turn words and the form follow the pause without rebuilding the stage (typed words stay put).
  let turnLine = null;
  let turnText = "";
  let form = null;
  // How many step starts a notice survives: "moved you on" is about the step that starts right after it.
  let noticeOutlives = 0;
  const live = new LiveConnection(sessionId, { onFrame, onStatus });
  live.connect();
  const ticker = setInterval(tick, 250);
  app.leave = () => { clearInterval(ticker); stopGuide?.(); stopSpaceKit?.(); live.close(); };

  /** Whether I am the one taking space (or asked for the moment): the kit's words follow who is waiting. */
  function iAmAway() {
    return model.pauses.some((p) => (p.kind === "space" || p.kind === "moment") && p.who === me);
  }

  function kitLabel() {
    return iAmAway() ? "While you take space: your calming kit" : "While you wait: your calming kit";
  }

  async function toggleSpaceKit(open = spaceKit.hidden) {
    spaceKitButton.setAttribute("aria-expanded", String(open));
    spaceKitButton.textContent = open ? "Close your calming kit" : kitLabel();
    if (!open) {
      stopSpaceKit?.();
      stopSpaceKit = null;
      spaceKit.hidden = true;
      spaceKit.replaceChildren();
      return;
    }
    spaceKit.hidden = false;
    stopSpaceKit = await fillSpaceKit(spaceKit, { waiting: !iAmAway() });
    spaceKit.querySelector("h2")?.focus();
  }

  function onStatus(state, message) {
    connState = state;
    if (state !== "open" && frozenLeft === null && model.step && model.step.deadline) {
      frozenLeft = Math.max(0, model.step.deadline - live.serverNow());
    }
    if (state === "open") frozenLeft = null;
    connection.dataset.state = state;
    connection.textContent = { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…", closed: message || "Disconnected" }[state];
    tick();
  }

  function openLeave() {
    leaveText.textContent = model.phase === "lobby"
      ? "You don't need to give a reason. The session hasn't begun, so nothing is saved; you can start again whenever you like."
      : "You don't need to give a reason. The session ends for both of you, and each of you keeps a summary.";
    leaveDialog.showModal();
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
      ended: state.ended, startedAt: state.started_at, plan: state.plan, facilitator: state.facilitator, connected,
      partner: state.partners.find((p) => p !== me) ?? null, myAnswerSent: state.your_answer !== null,
    });
    for (const [stepNo, asked] of Object.entries(state.steps || {})) {
      stepInfo.set(Number(stepNo), { ...stepInfo.get(Number(stepNo)), title: asked.title, input: asked.input });
    }
    if (state.step) rememberStep(state.step);
    model.transcript = [];
    transcriptList.replaceChildren();
    for (const answer of state.transcript) addToTranscript(answer);
    if (state.phase === "ended") clearDrafts(`${me}.${sessionId}.`);
  }

  function rememberStep(d) {
    stepInfo.set(d.step_no, { title: d.step_title, input: d.input, exercise_index: d.exercise_index, round: d.round });
  }

  function applyEvent(name, d) {
    switch (name) {
      case "ready_recorded": model.ready = [...new Set([...model.ready, d.participant])]; break;
      case "session_started": model.phase = "running"; model.startedAt = d.started_at ?? live.serverNow(); announce("The session has started."); break;
      case "exercise_started": announce(`Next: ${d.title}.`); break;
      case "step_started": {
        rememberStep(d);
        const wasMine = model.step?.acting;
        model.step = d; model.answered = []; model.myAnswerSent = false;
        reveal.follow(d); // issue 11
        if (noticeOutlives > 0) noticeOutlives -= 1; else notice.hidden = true; // passing words belong to their step
        feedback.hidden = true;
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
      case "warning": tell("About 30 seconds left for this step. No rush: finish your thought."); break;
      case "paused": if (model.step) { model.step = { ...model.step, deadline: null, remaining: d.remaining, paused: true }; } feedback.hidden = true; break;
      case "resumed": if (model.step) { model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining, paused: false }; } announce("We're carrying on."); break;
      case "extended":
        if (model.step) { model.step = { ...model.step, deadline: d.deadline, remaining: d.remaining }; }
        tell(`${facilitatorName} added ${spokenSeconds(d.seconds)} to this step. No rush.`);
        break;
      case "step_skipped": tell(`${facilitatorName} moved you on to the next step. Nothing you wrote is lost.`, 1); break;
      case "first_speaker_chosen":
        tell(`${facilitatorName} asked ${d.partner === me ? "you" : partnerName} to speak first${model.phase === "lobby" ? "" : " from the next exercise"}.`);
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
      case "space_ended":
        model.pauses = model.pauses.filter((p) => !(p.kind === "space" && p.who === d.who));
        if (d.who !== me) tell(`${nameOf(d.who)} is back. Welcome back to each other.`);
        break;
      case "participant_away":
        if (model.facilitator && d.participant === model.facilitator) { // the engine carries on without them
          tell(`${facilitatorName} stepped out for a moment; you can carry on.`);
          break;
        }
        model.pauses = [...model.pauses, { kind: "away", who: d.participant }];
        announce(`${nameOf(d.participant)} lost their connection. We've paused until they're back.`);
        break;
      case "participant_back":
        model.pauses = model.pauses.filter((p) => !(p.kind === "away" && p.who === d.participant));
        if (d.participant !== me && d.participant !== model.facilitator) tell(`${nameOf(d.participant)} is back. The clock is running again.`);
        break;
      // issue 11: the short pause, never shown as a break
      case "moment_started":
        model.pauses = [...model.pauses, { kind: "moment", who: d.who, return_at: d.until }];
        announce(d.who === me ? "One moment: the clock has stopped." : `${nameOf(d.who)} asked for one moment.`);
        break;
      case "moment_ended": model.pauses = model.pauses.filter((p) => !(p.kind === "moment" && p.who === d.who)); break;
      case "facilitator_paused": model.pauses = [...model.pauses, { kind: "facilitator", who: d.by }]; announce(`${facilitatorName} paused the session.`); break;
      case "facilitator_resumed": model.pauses = model.pauses.filter((p) => p.kind !== "facilitator"); tell(`${facilitatorName} resumed the session.`); break;
      case "session_ended":
        model.phase = "ended"; model.ended = { reason: d.reason, by: d.by, at: d.ended_at }; model.step = null; model.pauses = [];
        notice.hidden = true;
        clearDrafts(`${me}.${sessionId}.`);
        announce(endedWords().title);
        break;
      default: break;
    }
  }

  function tell(text, outlives = 0) {
    noticeOutlives = outlives;
    notice.textContent = text;
    notice.hidden = false;
    announce(text);
  }

  function addToTranscript(answer) {
    if (answer.value === null || answer.value === undefined || answer.value === true) return; // "ready" clicks say nothing
    const asked = stepInfo.get(answer.step_no);
    model.transcript.push({ ...answer, exercise_index: answer.exercise_index ?? asked?.exercise_index, round: answer.round ?? asked?.round });
    const { title, value } = describeAnswer(answer, stepInfo);
    transcriptList.append(h("li", {},
      h("span", { class: "who" }, `${nameOf(answer.author)}`), h("span", { class: "hint" }, ` · ${title}`),
      h("span", { class: "said" }, value),
      answer.private ? h("span", { class: "private-note" }, "Only you can see this") : null));
  }

  // ---- drawing
  const isPaused = () => model.phase === "running" && (model.pauses.length > 0 || Boolean(model.step?.paused));
  const partnerLeft = () => model.phase === "ended" && model.ended?.reason === "ended_early" && model.ended?.by === model.partner;

  function endedWords() {
    if (!model.startedAt) {
      return { title: "The session closed before it began",
        text: "Nothing was saved, and that's fine. You can start again whenever the moment is right." };
    }
    const reason = model.ended?.reason;
    if (reason === "completed") return { title: "The session has ended", text: "You finished the whole plan together. Well done." };
    if (reason === "abandoned") return { title: "The session has ended", text: "The session closed after a long quiet. You can start again whenever you like." };
    if (partnerLeft()) return { title: `${partnerName} left the session`, text: "That's okay: stopping is part of practising too. Your summary is saved." };
    if (model.ended?.by && model.ended.by === model.facilitator) return { title: "The session has ended", text: `${facilitatorName} ended the session. Your summary is saved.` };
    return { title: "The session has ended", text: "You left the session. That's fine: stopping is part of practising." };
  }

  function render() {
    const partnerHere = model.partner && model.connected.includes(model.partner);
    const facilitatorHere = model.facilitator && model.connected.includes(model.facilitator);
    if (model.phase !== "lobby" || partnerHere) aloneSince = null;
    else if (aloneSince === null) aloneSince = Date.now();
    presence.textContent = [
      model.partner ? (partnerLeft() ? `${partnerName} left the session` : `${partnerName} is ${partnerHere ? "here" : "not connected"}`) : "",
      model.facilitator ? `${facilitatorName} (facilitator) ${facilitatorHere ? "is here" : "isn't here right now"}` : "",
    ].filter(Boolean).join(" · ");
    renderPause();
    const nudge = model.phase === "lobby" && aloneSince !== null && Date.now() - aloneSince >= nudgeAfter;
    const key = JSON.stringify([model.phase, model.step?.step_no, model.step?.acting, model.myAnswerSent, model.ready,
      model.phase === "ended" && model.ended?.reason, nudge]);
    if (key !== stageKey) {
      const stepChanged = stageKey !== "" && JSON.parse(stageKey)[1] !== model.step?.step_no;
      stageKey = key;
      renderStage(nudge);
      if (stepChanged || model.phase === "ended") bringIntoView(stage);
    }
    updatePausedState();
    spaceButton.hidden = model.phase !== "running";
    momentButton.hidden = model.phase !== "running" || model.pauses.some((p) => p.kind === "moment" && p.who === me); // issue 11
    leaveButton.hidden = model.phase === "ended";
    tick();
  }

  /** Scroll so that `element` starts just under the status area (which stays at the top), unless it already fits. */
  function bringIntoView(element) {
    const box = element.getBoundingClientRect();
    const covered = status.getBoundingClientRect().bottom;
    const free = window.innerHeight - controls.getBoundingClientRect().height;
    if (box.top < covered || box.bottom > free) window.scrollBy({ top: box.top - covered - 4, behavior: "instant" });
  }

  function renderPause() {
    const space = model.pauses.find((p) => p.kind === "space");
    const away = model.pauses.find((p) => p.kind === "away" && p.who !== me);
    const held = model.pauses.find((p) => p.kind === "facilitator");
    const parts = [];
    if (space) {
      if (space.return_due) {
        const iResumed = space.resumed_by?.includes(me);
        parts.push(h("p", {}, "It's time to come back together. Ready to carry on?"),
          space.who === me ? h("div", { class: "row space-row" }, h("button", { type: "button", onclick: () => act({ type: "come_back" }) }, "I'm back"))
            : iResumed ? h("p", {}, `Thanks. Waiting for ${nameOf(space.who)}…`)
              : h("button", { type: "button", onclick: () => act({ type: "resume" }) }, "Ready to carry on"));
      } else if (space.who === me) {
        parts.push(h("p", {}, `You're taking some space. You said you'd be back at ${formatClock(space.return_at)}. The clock has stopped for both of you.`),
          h("div", { class: "row space-row" }, h("button", { type: "button", onclick: () => act({ type: "come_back" }) }, "I'm back")));
      } else {
        parts.push(h("p", {}, `${nameOf(space.who)} asked for some space and plans to be back at ${formatClock(space.return_at)}. ` +
          "The session is paused and the clock has stopped. This is a good moment to look after yourself too."));
      }
    }
    if (away) {
      parts.push(h("p", {}, `${nameOf(away.who)}'s connection dropped. The clock has stopped, and we'll keep the session paused ` +
        `for as long as you're here, so there's no hurry. You can wait for ${nameOf(away.who)}, or end the session kindly; you each keep a summary.`),
      h("button", { type: "button", class: "secondary", onclick: () => openLeave() }, "End the session"));
    }
    for (const moment of model.pauses.filter((p) => p.kind === "moment")) parts.push(momentNotice(moment, me, nameOf, act)); // issue 11
    if (held) parts.push(h("p", {}, `${facilitatorName}, your facilitator, has paused the session for a moment. The clock has stopped; nothing is lost.`));
    // The kit is one tap away in a space break or a "one moment" pause, for whoever takes it and whoever waits.
    const kitOffered = Boolean(space) || model.pauses.some((p) => p.kind === "moment");
    if (!kitOffered && !spaceKit.hidden) toggleSpaceKit(false); // no pause any more
    const key = JSON.stringify([space, away, held, model.pauses.filter((p) => p.kind === "moment")]);
    if (pauseArea.dataset.key === key) return; // keep focus on a button that did not change
    pauseArea.dataset.key = key;
    const banner = parts.length ? h("div", { class: "pause-banner", role: "region", "aria-label": "Session paused" }, h("h2", {}, "Paused"), parts) : "";
    pauseArea.replaceChildren(banner);
    if (kitOffered && banner) { // one button, moved here only once the banner is new
      const row = banner.querySelector(".space-row") || banner.appendChild(h("div", { class: "row space-row" }));
      if (spaceKit.hidden) spaceKitButton.textContent = kitLabel();
      row.append(spaceKitButton);
    }
  }

  function updatePausedState() {
    const paused = isPaused();
    if (turnLine) {
      turnLine.replaceChildren(h("span", { "aria-hidden": "true" }, paused ? "❚❚ " : model.step?.acting ? "▶ " : "◇ "),
        paused ? "Paused for now. You'll carry on from here when you're both back." : turnText);
      turnLine.classList.toggle("yours", !paused && Boolean(model.step?.acting));
    }
    if (paused) feedback.hidden = true; // an error from before a pause is no longer true after it
    form?.setPaused(paused);
  }

  function partnerWords(step) {
    // The partner's words to respond to: what they shared this round, newest last, right above the answer box.
    const words = model.transcript.filter((a) => a.author === model.partner && a.exercise_index === step.exercise_index
      && a.round === step.round && typeof a.value === "string" && stepInfo.get(a.step_no)?.input?.kind === "text");
    if (!words.length) return null;
    return h("figure", { class: "partner-words", "data-testid": "partner-words", tabindex: "0" }, // it may scroll: reachable by keyboard
      h("figcaption", {}, `${partnerName} said:`),
      words.slice(-WORDS_SHOWN).map((a) => h("blockquote", {}, a.value)));
  }

  function renderStage(nudge) {
    stopGuide?.(); stopGuide = null;
    turnLine = null; form = null;
    if (model.phase === "ended") {
      const words = endedWords();
      stage.replaceChildren(h("h2", {}, words.title), h("p", {}, words.text),
        model.startedAt ? h("a", { class: "button", href: `/summary/${sessionId}`, "data-link": true }, "Read your summary")
          : h("a", { class: "button", href: "/home", "data-link": true }, "Back to home"));
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
        h("p", {}, partnerReady ? `${partnerName} is ready.` : `Waiting for ${partnerName}.`),
        nudge ? lobbyNudge() : null);
      return;
    }
    const step = model.step;
    if (!step) { stage.replaceChildren(h("p", {}, "Getting the next step ready…")); return; }
    const yours = step.acting;
    const guide = step.input.kind === "guide";
    turnText = guide ? "Breathe together: just follow the circle."
      : step.role === "both" ? "Both of you: answer in your own time. Answers are shown together."
        : step.role === "private" ? "Just for you: your partner will not see this."
          : yours ? `Your turn: you're the ${step.role === "speaker" ? "speaker" : "listener"}.`
            : `${nameOf(step.role === "listener" ? step.speaker : step.listener)}'s turn. You're the ${step.role}.`;
    turnLine = h("p", { class: `turn${yours ? " yours" : ""}`, "data-testid": "turn" });
    stage.replaceChildren(
      h("div", { class: "step-line" },
        h("p", { class: "hint" }, `${step.exercise_title} · round ${step.round} of ${step.rounds} · ${step.step_title}`),
        h("p", { class: "time-left" }, "Time left: ", timer)),
      turnLine,
      h("p", { class: "prompt", "data-testid": "prompt" }, step.prompt));
    if (guide) {
      const circle = h("div", { class: "breath", "data-testid": "breathing-guide" });
      stage.append(circle);
      stopGuide = startBreathingGuide(circle, step, () => live.serverNow());
    } else if (yours && !model.myAnswerSent) {
      if (RESPONDING_STEPS.has(step.role)) stage.append(partnerWords(step) ?? "");
      form = inputFor(step, (value) => act({ type: "submit", step_no: step.step_no, value }),
        { draft: draftKey(me, sessionId, step.step_no) });
      stage.append(form);
    } else if (yours && model.myAnswerSent && step.role === "both" && step.input.kind === "text" && model.partner && !model.answered.includes(model.partner)) {
      stage.append(waitingForReveal(partnerName)); // issue 11
    } else if (yours && model.myAnswerSent) {
      stage.append(h("p", {}, model.partner && !model.answered.includes(model.partner) && step.role !== "speaker" && step.role !== "listener"
        ? `Thank you. Waiting for ${partnerName}…` : "Thank you."));
    }
  }

  function lobbyNudge() {
    const link = `${location.origin}/session/${sessionId}`;
    const shown = h("span", { class: "break", "data-testid": "session-link" }, link);
    const said = h("p", { role: "status", "data-testid": "copy-result" });
    return h("div", { class: "card stack", "data-testid": "lobby-nudge" },
      h("p", {}, `${partnerName} hasn't joined yet. That's okay: sometimes the moment isn't right for both of you at once.`),
      h("p", {}, "You could send them the link again, or leave it for today. Nothing is saved from a session that hasn't begun."),
      h("p", {}, shown),
      h("div", { class: "row" },
        h("button", { type: "button", class: "secondary", onclick: async () => { said.textContent = await copyText(link, shown); } }, "Copy the link again"),
        h("button", { type: "button", class: "quiet", onclick: () => openLeave() }, "Leave it for today")),
      said);
  }

  function tick() {
    if (model.phase === "lobby" && aloneSince !== null && Date.now() - aloneSince >= nudgeAfter && !stage.querySelector("[data-testid=lobby-nudge]")) render();
    let step = model.step;
    // A dropped device stops its countdown: the session pauses for everyone once we're gone a moment.
    if (step && connState !== "open" && frozenLeft !== null) step = { ...step, deadline: null, remaining: frozenLeft };
    showTimeLeft(timer, step, live.serverNow());
  }
}
