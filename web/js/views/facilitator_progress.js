// The facilitator's view of a couple's progress: per partner who chose to share it with them, their trends;
// for everyone, attendance of the sessions this facilitator ran; a CSV of exactly that; and recording a
// questionnaire score given elsewhere (only for a partner who shares).
import { api } from "../api.js";
import { weeklyChart } from "../charts.js";
import { h } from "../dom.js";
import { measureGroups, progressQuery, tzQuery } from "./progress.js";

const panels = new Map(); // couple id → its panel, kept across the dashboard's redraws (open state, typed values)

/** The progress panel of one couple. The element is reused so a redraw keeps it open, but what it shows is
 * fetched again each time it opens and on every dashboard refresh while open: a partner who stops sharing
 * must vanish from it within one poll. */
export function progressPanel(couple) {
  let panel = panels.get(couple.couple_id);
  if (panel) return panel.element;
  const body = h("div", { class: "stack" });
  const details = h("details", { class: "facilitator-progress", "data-testid": "couple-progress" },
    h("summary", {}, "Progress"), body);
  panel = { element: details, body, couple, weeks: 0, shown: "" };
  details.addEventListener("toggle", () => {
    if (details.open) { panel.shown = ""; load(panel); }
  });
  panels.set(couple.couple_id, panel);
  return details;
}

/** Called on each dashboard refresh: forget panels of couples no longer listed, reload the open ones. */
export function refreshPanels(couples) {
  const listed = new Set(couples.map((c) => c.couple_id));
  for (const [id, panel] of panels) {
    if (!listed.has(id)) panels.delete(id);
    else if (panel.element.open) load(panel, { quiet: true });
  }
}

async function load(panel, { quiet = false } = {}) {
  const { couple, body } = panel;
  const id = couple.couple_id;
  if (!quiet) body.replaceChildren(h("p", { class: "hint" }, "Loading…"));
  let data;
  let recorded;
  try {
    const query = panel.weeks ? `${progressQuery(panel.weeks)}` : tzQuery();
    data = await api("GET", `/api/facilitator/couples/${id}/progress?${query}`);
    recorded = await api("GET", `/api/facilitator/couples/${id}/scores`).catch(() => []);
  } catch (error) {
    panel.shown = "";
    body.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
    return;
  }
  // Redraw only when something changed, so a score being typed in is not wiped by a poll.
  const key = JSON.stringify([data, recorded]);
  if (quiet && key === panel.shown) return;
  panel.shown = key;
  const weeks = data.weeks.length;
  const choices = data.week_choices || [weeks];
  const csv = `/api/facilitator/couples/${id}/progress.csv?${progressQuery(weeks)}`;
  const reload = () => load(panel);
  body.replaceChildren(
    h("div", { class: "row", role: "group", "aria-label": "Weeks shown" }, choices.map((n) => h("label", { class: "choice" },
      h("input", { type: "radio", name: `weeks-${id}`, value: n, checked: n === weeks,
        onchange: () => { panel.weeks = n; reload(); } }), `${n} weeks`))),
    h("p", { class: "hint" }, `The last ${weeks} weeks. You see a partner's measures only while they share them with you; ` +
      "attendance of the sessions you ran is always here."),
    h("p", {}, h("a", { class: "button secondary", href: csv, download: "progress.csv", "data-testid": "progress-csv" }, "Download as CSV")),
    ...data.partners.map((partner) => partnerBlock(couple, partner, data.week_starts,
      recorded.filter((r) => r.user_id === partner.user_id), reload)));
}

function partnerBlock(couple, partner, weekStarts, recorded, reload) {
  const name = partner.display_name;
  const att = partner.attendance_with_me;
  const attendance = att && att.weeks?.length ? h("div", { class: "measure-grid" },
    h("article", { class: "card measure" }, h("h6", {}, `${name}: sessions with you`),
      weeklyChart({ title: `${name}: sessions you ran that they attended`, kind: "count", min: att.min ?? 0,
        max: att.max ?? Math.max(7, ...att.attended.filter((v) => v !== null)), weekStarts,
        values: att.attended, series: "partner" }),
      h("p", { class: "hint" }, `Attended ${sum(att.attended)}, completed ${sum(att.completed)} of the sessions you ran in these weeks.`)))
    : null;
  return h("section", { class: "partner-progress stack", "data-partner": partner.user_id, "aria-label": `${name}'s progress` },
    h("h5", {}, name),
    partner.shared
      ? [h("p", { class: "hint" }, `${name} shares their progress with you. They can stop at any time.`),
        ...measureGroups({ measures: partner.measures, recorded_scores: partner.recorded_scores, week_starts: weekStarts },
          { series: "partner", owner: name, level: 6 }),
        scoreForm(couple, partner, reload),
        recorded.length ? recordedList(partner, recorded, reload) : null]
      : h("p", { class: "hint" }, `${name} hasn't shared their progress with you. It's their choice.`),
    attendance);
}

/** The scores this facilitator recorded for one partner, each removable (a typo, or the wrong person). */
function recordedList(partner, scores, reload) {
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  return h("div", { class: "recorded-list" },
    h("p", { class: "hint" }, `Scores you recorded for ${partner.display_name}:`),
    h("ul", { class: "summary-list" }, scores.map((score) => {
      const what = `${score.instrument}, ${score.subscale}: ${score.value} (${score.scale_min} to ${score.scale_max}) on ${score.administered_on}`;
      return h("li", { class: "row" }, h("span", {}, what),
        h("button", { type: "button", class: "quiet", "aria-label": `Remove ${what}`, onclick: async () => {
          try { await api("DELETE", `/api/facilitator/scores/${score.id}`); reload(); }
          catch (error) { problem.textContent = error.message; problem.hidden = false; }
        } }, "Remove"));
    })),
    problem);
}

function sum(values) {
  return values.reduce((total, v) => total + (v || 0), 0);
}

function scoreForm(couple, partner, reload) {
  const base = `score-${partner.user_id}`;
  const input = (name, label, attrs) => h("div", { class: "field inline" },
    h("label", { for: `${base}-${name}` }, label), h("input", { id: `${base}-${name}`, name, required: true, ...attrs }));
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  const status = h("p", { class: "hint", role: "status" });
  const form = h("form", { class: "stack score-form", novalidate: true },
    h("p", { class: "hint" }, `A score from a validated questionnaire you gave ${partner.display_name} elsewhere. It shows as its own series.`),
    input("instrument", "Questionnaire", { type: "text", maxlength: 60 }),
    input("subscale", "Subscale", { type: "text", maxlength: 60 }),
    h("div", { class: "row" },
      input("value", "Score", { type: "number", step: "any" }),
      input("scale_min", "Lowest possible", { type: "number", step: "any" }),
      input("scale_max", "Highest possible", { type: "number", step: "any" })),
    input("administered_on", "Given on", { type: "date", value: new Date().toISOString().slice(0, 10) }),
    problem, status,
    h("button", { type: "submit", class: "secondary" }, "Record this score"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.hidden = true;
    const data = new FormData(form);
    const number = (key) => (data.get(key) === "" ? null : Number(data.get(key)));
    try {
      await api("POST", `/api/facilitator/couples/${couple.couple_id}/scores`, {
        user_id: partner.user_id, instrument: data.get("instrument"), subscale: data.get("subscale"),
        value: number("value"), scale_min: number("scale_min"), scale_max: number("scale_max"),
        administered_on: data.get("administered_on"),
      });
      reload();
    } catch (error) {
      problem.textContent = error.fields?.length ? error.fields.map((f) => f.message).join(" ") : error.message;
      problem.hidden = false;
    }
  });
  return h("details", { class: "record-score" }, h("summary", {}, `Record a questionnaire score for ${partner.display_name}`), form);
}
