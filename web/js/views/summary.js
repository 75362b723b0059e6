import { api } from "../api.js";
import { aboutMinutes, formatDate, h, mount } from "../dom.js";
import { summaryBody } from "./summary_body.js";

export async function showSummary(app, sessionId) {
  let summary;
  try {
    summary = await api("GET", `/api/summaries/${sessionId}`);
  } catch (error) {
    mount(h("h1", {}, "No summary here"), h("p", {}, error.message), h("a", { href: "/home", "data-link": true }, "Back to home"));
    return;
  }
  const c = summary.content;
  mount(
    h("h1", {}, `Your session, ${formatDate(summary.started_at || summary.created_at)}`),
    h("p", {}, `${summary.plan_title} · ${aboutMinutes(summary.minutes)}.`),
    h("p", {}, h("a", { class: "button secondary", href: `/api/summaries/${sessionId}/markdown`, download: true },
      "Download a copy (plain text)")),
    summaryBody(c),
    c.private_reflections.length ? [h("h2", {}, "Your private reflections"),
      h("p", { class: "hint" }, "Only you can see these."),
      h("ul", {}, c.private_reflections.map((l) => h("li", {}, l.value)))] : null,
    h("p", {}, "Thank you for showing up for each other."));
}
