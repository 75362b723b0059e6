// Solo practices, alone between sessions: the breathing guide (the same pace as the shared one, from the
// server's definition) and a paced grounding. The server starts each one and notes it only once it has run
// its course; nothing here decides lengths.
import { api } from "../api.js";
import { h } from "../dom.js";
import { startBreathingGuide } from "./breathing.js";

const GET_READY_SECONDS = 3;
const now = () => Date.now() / 1000;

export function minutesOf(seconds) {
  const m = Math.max(1, Math.round(seconds / 60));
  return `about ${m} minute${m === 1 ? "" : "s"}`;
}

/**
 * Run one solo practice inside `container`. `onClose` is called when the person goes back.
 * Returns a stop function (used when the page or panel goes away).
 */
export async function runSolo(container, kind, { onClose = () => {}, headingLevel = "h2" } = {}) {
  let stopped = false;
  let stopGuide = null;
  let timer = null;
  const stop = () => { stopped = true; stopGuide?.(); clearTimeout(timer); };
  const heading = h(headingLevel, { tabindex: "-1" }, kind === "breathing" ? "Breathe slowly" : "Grounding");
  const area = h("div", { class: "stack" });
  const endButton = h("button", { type: "button", class: "secondary", onclick: () => { stop(); onClose(); } }, "Stop here");
  const box = h("div", { class: "card stack solo", "data-testid": `solo-${kind}` }, heading, area, h("div", { class: "row" }, endButton));
  container.replaceChildren(box);
  heading.focus({ preventScroll: true });

  const bringIntoView = () => box.scrollIntoView({ block: "nearest" }); // the whole practice on screen, once it's drawn

  let started;
  try {
    started = await api("POST", `/api/solo/${kind}/start`);
  } catch (error) {
    area.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
    return stop;
  }
  const finish = async () => {
    if (stopped) return;
    stopGuide?.();
    endButton.textContent = "Back";
    let line;
    try {
      await api("POST", "/api/solo/complete", { token: started.token });
      line = "That's done — it's in your own log; only you see it.";
    } catch (error) { // no grade either way: not noting a practice never reads as "you didn't do it"
      line = error.code === "already_logged" ? "That's done — it's in your own log already."
        : error.code === "not_yet" ? error.message : `That's done. ${error.message}`;
    }
    area.replaceChildren(h("p", { role: "status", "data-testid": "solo-done" }, line));
    endButton.focus();
  };

  if (kind === "breathing") {
    const guide = started.definition;
    const step = { ...guide, starts_at: now() + GET_READY_SECONDS };
    const circle = h("div", { class: "breath", "data-testid": "breathing-guide" });
    area.replaceChildren(h("p", {}, `${guide.cycles} slow breaths, ${minutesOf(started.duration_seconds)}. Follow the circle: in as it grows, out as it shrinks.`), circle);
    stopGuide = startBreathingGuide(circle, step, now);
    bringIntoView();
    timer = setTimeout(finish, (GET_READY_SECONDS + started.duration_seconds) * 1000 + 300);
  } else {
    const steps = started.definition.steps;
    const title = h("p", { class: "grounding-count", "aria-live": "polite", "data-testid": "grounding-step" });
    const prompt = h("p", { class: "prompt" });
    const progress = h("progress", { max: steps.length, value: 0, "aria-label": "Steps done" });
    area.replaceChildren(h("p", { class: "hint" }, `${minutesOf(started.duration_seconds)}. Each step stays as long as it needs; just notice, nothing to type.`),
      title, prompt, progress);
    const show = (i) => {
      if (stopped) return;
      if (i >= steps.length) { progress.value = steps.length; finish(); return; }
      const s = steps[i];
      title.textContent = `${s.count} thing${s.count === 1 ? "" : "s"} you can ${s.sense} · step ${i + 1} of ${steps.length}`;
      prompt.textContent = s.prompt;
      progress.value = i;
      timer = setTimeout(() => show(i + 1), s.seconds * 1000);
    };
    show(0);
    bringIntoView();
  }
  return stop;
}
