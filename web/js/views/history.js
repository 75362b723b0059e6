import { api } from "../api.js";
import { aboutMinutes, formatDate, h, mount } from "../dom.js";

const ENDINGS = { completed: "completed", ended_early: "ended early", abandoned: "left unfinished" };

export async function showHistory() {
  const summaries = await api("GET", "/api/summaries").catch(() => []);
  mount(
    h("h1", {}, "Your sessions"),
    summaries.length
      ? h("ul", { class: "summary-list" }, summaries.map((s) => h("li", { class: "card" },
        h("a", { href: `/summary/${s.session_id}`, "data-link": true }, `${s.plan_title}, ${formatDate(s.started_at || s.created_at)}`),
        h("span", { class: "hint", style: "display:block" }, `${aboutMinutes(s.minutes).replace("about", "About")} · ${ENDINGS[s.end_reason] || ""}`))))
      : h("p", {}, "No sessions yet. When you finish one, your own summary will be kept here."));
}
