import { api } from "../api.js";
import { aboutMinutes, formatClock, formatDate, h, mount } from "../dom.js";

export async function showSummary(app, sessionId) {
  let summary;
  try {
    summary = await api("GET", `/api/summaries/${sessionId}`);
  } catch (error) {
    mount(h("h1", {}, "No summary here"), h("p", {}, error.message), h("a", { href: "/home", "data-link": true }, "Back to home"));
    return;
  }
  const c = summary.content;
  const who = (author) => (author === c.participant ? "You" : "Your partner");
  const exchanges = (items) => items.map((x) => h("div", { class: "card" },
    h("h3", {}, `${x.exercise_title}, round ${x.round}`),
    h("ul", {}, x.lines.map((line) => h("li", {}, h("strong", {}, `${line.label} (${who(line.author)}): `),
      line.timed_out ? h("span", { class: "hint" }, "no answer this time") : line.value)))));
  mount(
    h("h1", {}, `Your session, ${formatDate(summary.started_at || summary.created_at)}`),
    h("p", {}, `${summary.plan_title} · ${aboutMinutes(summary.minutes)}.`),
    h("p", {}, h("a", { class: "button secondary", href: `/api/summaries/${sessionId}/markdown`, download: true },
      "Download a copy (plain text)")),
    c.exercises_done.length ? [h("h2", {}, "What you practised"), h("ul", {}, c.exercises_done.map((t) => h("li", {}, t)))] : null,
    c.scores.length ? [h("h2", {}, "How you arrived, and how you left"),
      h("div", { class: "table-wrap", role: "region", "aria-label": "Check-in and check-out scores", tabindex: "0" }, h("table", { class: "summary-table" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Question"), h("th", { scope: "col" }, "You: start"),
        h("th", { scope: "col" }, "You: end"), h("th", { scope: "col" }, "Partner: start"), h("th", { scope: "col" }, "Partner: end"))),
      h("tbody", {}, c.scores.map((s) => h("tr", {}, h("th", { scope: "row" }, `${s.question} (1–${s.scale})`),
        [s.yours_before, s.yours_after, s.partners_before, s.partners_after].map((v) => h("td", {}, v ?? "–")))))))] : null,
    c.you_shared.length ? [h("h2", {}, "What you shared, and how it was reflected"), exchanges(c.you_shared)] : null,
    c.partner_shared.length ? [h("h2", {}, "What your partner shared, and how you reflected it"), exchanges(c.partner_shared)] : null,
    c.together.length ? [h("h2", {}, "Together"), h("ul", {}, c.together.map((l) => h("li", {}, `${l.label} (${who(l.author)}): ${l.value}`)))] : null,
    c.spaces.length ? [h("h2", {}, "Breaks"), h("ul", {}, c.spaces.map((s) => h("li", {},
      `${who(s.who)} asked for space at ${formatClock(s.requested_at)}, planning to be back at ${formatClock(s.planned_return_at)}` +
      (s.returned_at ? `; back at ${formatClock(s.returned_at)}.` : ".")))) ] : null,
    c.private_reflections.length ? [h("h2", {}, "Your private reflections"),
      h("p", { class: "hint" }, "Only you can see these."),
      h("ul", {}, c.private_reflections.map((l) => h("li", {}, l.value)))] : null,
    h("p", {}, "Thank you for showing up for each other."));
}
