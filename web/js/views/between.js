// Between sessions: the practice mostly happens here. A calm hub of what each person has for themself
// (their kit, breathing, grounding, journal, noticing) and what the couple shares (their rhythm).
import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { calendarLink, soonestLine } from "./ritual.js";
import { runSolo } from "./solo.js";

export async function showBetween(app) {
  const rhythm = h("div", { "data-testid": "between-rhythm" });
  const link = (href, title, text) => h("li", { class: "card" },
    h("a", { href, "data-link": true, class: "hub-link" }, title), h("p", { class: "hint" }, text));
  mount(h("h1", {}, "Between sessions"),
    h("p", {}, "Most of the practice happens between sessions, a little at a time. Everything here is yours alone, except your rhythm, which you share."),
    h("section", { "aria-labelledby": "for-you-heading" },
      h("h2", { id: "for-you-heading" }, "For you"),
      h("ul", { class: "hub" },
        link("/kit", "Your calming kit", "What helps you calm down, kept close, with slow breathing."),
        link("/breathe", "Breathe slowly", "The breathing guide from your sessions, on your own."),
        link("/grounding", "Grounding", "Three minutes: five things you see, four you hear, three you can touch…"),
        link("/journal", "Journal", "Write about what you feel, privately."),
        link("/noticing", "Noticing", "Note when you feel the urge to pull away, to learn your own signals."))),
    h("section", { "aria-labelledby": "together-heading" },
      h("h2", { id: "together-heading" }, "Together"),
      h("ul", { class: "hub" }, link("/rhythm", "Your rhythm", "A regular time to practise together, in both your calendars.")),
      rhythm));
  const state = await api("GET", "/api/rituals").catch(() => null);
  if (state?.rituals?.length) rhythm.replaceChildren(h("p", {}, soonestLine(state.rituals)), calendarLink(state.rituals[0]));
}

/** /breathe and /grounding: one solo practice on its own page. */
export async function showSoloPage(app, kind) {
  const area = h("div", {});
  mount(h("h1", {}, kind === "breathing" ? "Breathe slowly" : "Grounding"),
    h("p", {}, kind === "breathing"
      ? "The same slow breathing you know from your sessions, just for you. Let the out-breath be a little longer."
      : "A few minutes to come back to the room through your senses. Nothing to type; just notice."),
    area,
    h("p", {}, h("a", { href: "/between", "data-link": true }, "Back to Between sessions")));
  const start = h("button", { type: "button", "data-testid": `start-${kind}`, onclick: async () => {
    stop = await runSolo(area, kind, { onClose: () => area.replaceChildren(start) });
  } }, "Begin");
  let stop = () => {};
  area.replaceChildren(start);
  app.leave = () => stop();
}
