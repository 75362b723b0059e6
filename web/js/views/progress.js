// "Your progress": one small chart per measure over 4, 12 or 52 weeks, each with its plain sentence from the
// server; what the partner chose to share; and who may see mine. No streaks, no judgement: a dip is part of it.
import { api, ApiError } from "../api.js";
import { weeklyChart } from "../charts.js";
import { announce, h, mount } from "../dom.js";

const GROUPS = [ // [group, heading on my own page, heading for someone else's]
  ["self_check", "From your weekly self-check", "From the weekly self-check"],
  ["practice", "From your practice together", "From practice together"],
  ["attendance", "Coming to sessions", "Coming to sessions"],
];
let chosenWeeks = 0; // 0: the server's default; the choices themselves come from the API (week_choices)
let cards = 0;

/** The browser's own time zone, so weeks start on the person's Monday. */
export function timeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch { return "UTC"; }
}

export function tzQuery() {
  return `tz=${encodeURIComponent(timeZone())}`;
}

export function progressQuery(weeks) {
  return `weeks=${weeks}&${tzQuery()}`;
}

/** One card per measure: its name, its sentence, its chart (with a table), and what it is about. */
export function measureCard(measure, weekStarts, { series = "own", owner = "", level = 4 } = {}) {
  const id = `m-${++cards}-${measure.key}`;
  return h("article", { class: "card measure", "aria-labelledby": id, "data-measure": measure.key },
    h(`h${level}`, { id }, owner ? `${owner}: ${measure.label}` : measure.label),
    h("div", { class: "measure-text" },
      h("p", { class: "measure-summary" }, measure.summary),
      measure.about ? h("p", { class: "hint" }, measure.about) : null), // "about" is written for whoever is shown
    weeklyChart({ title: owner ? `${owner}: ${measure.label}` : measure.label, summary: measure.summary, kind: measure.kind,
      min: measure.min, max: measure.max, weekStarts, values: measure.values, series }));
}

function longDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString([], { day: "numeric", month: "long", year: "numeric" });
}

export function recordedCard(score, weekStarts, { owner = "", level = 4 } = {}) {
  const title = `${score.instrument}, ${score.subscale}`;
  const last = score.points[score.points.length - 1];
  const summary = last ? `Recorded by ${score.recorded_by}; the latest, on ${longDate(last.date)}, was ${last.value} (on a scale of ${score.min} to ${score.max}).`
    : `Recorded by ${score.recorded_by}.`;
  return h("article", { class: "card measure recorded", "data-instrument": score.instrument },
    h(`h${level}`, {}, owner ? `${owner}: ${title}` : title, " ", h("span", { class: "tag" }, "recorded score")),
    h("div", { class: "measure-text" },
      h("p", { class: "measure-summary" }, summary),
      h("p", { class: "hint" }, "A score from a questionnaire given outside Duologue, shown as its own series.")),
    weeklyChart({ title: `${owner ? `${owner}: ` : ""}${title} (recorded score)`, summary, kind: "scale", min: score.min, max: score.max,
      weekStarts, points: score.points, series: "recorded" }));
}

export function measureGroups(data, { series = "own", owner = "", level = 3 } = {}) {
  const heading = `h${level}`;
  const card = { series, owner, level: Math.min(6, level + 1) };
  const out = [];
  for (const [group, mine, theirs] of GROUPS) {
    const title = owner ? theirs : mine;
    const measures = data.measures.filter((m) => m.group === group);
    if (!measures.length) continue;
    out.push(h("section", { class: "measure-group" }, h(heading, {}, title),
      h("div", { class: "measure-grid" }, measures.map((m) => measureCard(m, data.week_starts, card)))));
  }
  if (data.recorded_scores?.length) {
    out.push(h("section", { class: "measure-group" }, h(heading, {}, "Recorded scores"),
      h("div", { class: "measure-grid" }, data.recorded_scores.map((s) => recordedCard(s, data.week_starts, card)))));
  }
  return out;
}

export async function showProgress(app) {
  const body = h("div", { "data-testid": "progress-body", "aria-busy": "true" });
  const partnerArea = h("section", { "aria-labelledby": "partner-progress-heading", "data-testid": "partner-progress" });
  const sharingArea = h("section", { "aria-labelledby": "sharing-heading", "data-testid": "sharing" });
  const choices = h("div", { class: "row" });
  const range = h("fieldset", { class: "range-switch", hidden: true }, h("legend", {}, "Show the last"), choices);
  range.addEventListener("change", async (event) => {
    chosenWeeks = Number(event.target.value);
    await load();
    announce(`Showing the last ${chosenWeeks} weeks.`); // a short word, not the whole page read again
  });
  mount(
    h("h1", {}, "Your progress"),
    h("p", {}, "Change in how we relate comes slowly, and not in a straight line. These charts are here to help you notice it. " +
      "A dip is part of the path, not a step back."),
    range, body, partnerArea, sharingArea);

  async function load() {
    body.setAttribute("aria-busy", "true");
    const query = chosenWeeks ? progressQuery(chosenWeeks) : tzQuery();
    const [mine, partner] = await Promise.all([
      api("GET", `/api/progress?${query}`).catch((error) => error),
      api("GET", `/api/progress/partner?${query}`).catch((error) => error),
    ]);
    if (mine instanceof ApiError) {
      body.replaceChildren(h("p", { class: "form-error", role: "alert" }, mine.message));
    } else {
      body.replaceChildren(...[selfCheckNote(mine.self_check), ...measureGroups(mine, { level: 2 })].filter(Boolean));
      chosenWeeks = mine.weeks.length;
      if (!choices.children.length) {
        choices.replaceChildren(...mine.week_choices.map((weeks) => h("label", { class: "choice" },
          h("input", { type: "radio", name: "weeks", value: weeks, checked: weeks === chosenWeeks }), `${weeks} weeks`)));
        range.hidden = false;
      }
    }
    body.setAttribute("aria-busy", "false");
    renderPartner(partnerArea, partner);
  }
  await Promise.all([load(), renderSharing(sharingArea)]);
}

function selfCheckNote(selfCheck) {
  if (!selfCheck?.due) return null;
  return h("p", { class: "notice", "data-testid": "self-check-due" },
    "Your weekly self-check is ready whenever you are. ",
    h("a", { href: "/self-check", "data-link": true }, "Take the self-check"));
}

function renderPartner(area, partner) {
  if (partner instanceof ApiError || !partner) { // no partner (404): nothing to show here
    area.replaceChildren();
    area.hidden = true;
    return;
  }
  area.hidden = false;
  const name = partner.person.display_name;
  area.replaceChildren(
    h("h2", { id: "partner-progress-heading" }, `${name}'s progress`),
    partner.shared
      ? h("p", { class: "hint" }, `${name} chose to share this with you. They can change that at any time.`)
      : h("p", { class: "hint" }, `${name} keeps their own measures to themself for now; that's their choice. ` +
        "Here is what you see of each other anyway: the sessions you shared."),
    ...measureGroups(partner, { series: "partner", owner: name, level: 3 }));
}

async function renderSharing(area) {
  const sharing = await api("GET", "/api/progress/sharing").catch(() => null);
  if (!sharing) { area.replaceChildren(); return; }
  const status = h("p", { class: "hint", role: "status", "data-testid": "sharing-status" });
  const rows = [];
  if (sharing.partner) {
    rows.push(sharingSwitch("share-partner", `Show my progress to ${sharing.partner.display_name}`,
      `${sharing.partner.display_name} would see your charts and self-check results from when you two paired, not your answers.`,
      sharing.partner.shared, "/api/progress/sharing/partner", status, sharing.partner.display_name));
  }
  for (const f of sharing.facilitators) {
    rows.push(sharingSwitch(`share-f-${f.facilitator_id}`, `Show my progress to ${f.display_name}, our facilitator`,
      `${f.display_name} would see your charts from when you and your partner paired, and could note questionnaire scores they give you.`,
      f.shared, `/api/progress/sharing/facilitators/${f.facilitator_id}`, status, f.display_name));
  }
  area.replaceChildren(
    h("h2", { id: "sharing-heading" }, "Who sees your progress"),
    h("div", { class: "card stack" },
      h("p", {}, "Your progress is yours. Nobody else sees it unless you choose to show them; you can stop at any time and it is hidden from them at once."),
      rows.length ? rows : h("p", { class: "hint" }, "Once you're paired, or linked with a facilitator, you can choose to show them here."),
      status));
}

function sharingSwitch(id, label, hint, checked, path, status, name) {
  const input = h("input", { type: "checkbox", role: "switch", id, checked, "aria-describedby": `${id}-hint` });
  input.addEventListener("change", async () => {
    const shared = input.checked;
    input.disabled = true;
    try {
      await api("PUT", path, { shared });
      status.textContent = shared ? `Saved. ${name} can now see your progress.` : `Saved. ${name} no longer sees your progress.`;
    } catch (error) {
      input.checked = !shared;
      status.textContent = error.message;
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
  return h("div", { class: "switch-row" }, input,
    h("div", {}, h("label", { for: id }, label), h("p", { class: "hint", id: `${id}-hint` }, hint)));
}
