// The facilitator's dashboard: invite a couple, see each couple's sessions, compose plans, start a session.
import { api } from "../api.js";
import { navigate } from "../app.js";
import { formatDate, h, mount } from "../dom.js";
import { therapistCard } from "./facilitator_links.js";
import { progressPanel, refreshPanels } from "./facilitator_progress.js";
import { summaryBody } from "./summary_body.js";

const POLL_MS = 5000;
const ENDINGS = { completed: "completed", ended_early: "ended early", abandoned: "left unfinished" };

export async function showFacilitatorDashboard(app) {
  if (!app.me.is_facilitator) {
    mount(h("h1", {}, "Facilitator tools"), therapistCard(app));
    return;
  }
  const [exercises, builtins, saved] = await Promise.all([
    api("GET", "/api/facilitator/exercises").catch(() => []),
    api("GET", "/api/plans").catch(() => []),
    api("GET", "/api/facilitator/plans").catch(() => []),
  ]);
  const state = { exercises, builtins, saved, couples: [] };
  const composer = buildComposer(state, () => drawCouples());
  const couplesArea = h("div", { "data-testid": "couples" });
  const inviteOut = h("div", { "aria-live": "polite" });

  mount(
    h("h1", {}, `Your couples, ${app.me.display_name}`),
    h("p", { class: "hint" }, "Start sessions for the couples you work with, pace them live, and keep your own notes."),
    h("div", { class: "columns" },
      h("div", {},
        h("section", { "aria-labelledby": "invite-heading" },
          h("h2", { id: "invite-heading" }, "Invite a couple"),
          h("div", { class: "card stack" },
            h("p", {}, "Send one partner a link or a code. Once they accept and their partner confirms, they appear here."),
            h("button", { type: "button", onclick: () => createInvite(inviteOut) }, "Invite a couple"),
            inviteOut)),
        h("section", { "aria-labelledby": "couples-heading" },
          h("h2", { id: "couples-heading" }, "Couples"),
          couplesArea)),
      h("section", { "aria-labelledby": "composer-heading" }, composer.element)));

  let lastKey = "";
  async function refresh(force = false) {
    const couples = await api("GET", "/api/facilitator/couples").catch(() => null);
    if (!couples) return;
    refreshPanels(couples); // an open progress panel follows consent: reloaded each poll
    const summaries = await Promise.all(couples.map((c) =>
      api("GET", `/api/facilitator/couples/${c.couple_id}/summaries`).catch(() => [])));
    couples.forEach((c, i) => { c.summaries = summaries[i]; });
    const journals = await Promise.all(couples.map((c) =>
      api("GET", `/api/facilitator/couples/${c.couple_id}/journal`).catch(() => [])));
    couples.forEach((c, i) => { c.journal = journals[i]; });
    const key = JSON.stringify(couples);
    if (!force && key === lastKey) return;
    lastKey = key;
    state.couples = couples;
    drawCouples();
  }
  function drawCouples() {
    // Keep what the facilitator was choosing in each start form across a redraw.
    const choices = {};
    for (const form of couplesArea.querySelectorAll("form[data-couple]")) {
      choices[form.dataset.couple] = { plan: form.elements.plan.value, first: form.elements.first.value };
    }
    const focusedId = document.activeElement && couplesArea.contains(document.activeElement) ? document.activeElement.id : "";
    couplesArea.replaceChildren(...(state.couples.length
      ? state.couples.map((c) => coupleCard(c, state, composer, choices[c.couple_id]))
      : [h("p", { class: "card" }, "No couples yet. When a couple you invited has both agreed, they appear here.")]));
    if (focusedId) document.getElementById(focusedId)?.focus(); // keep the keyboard where it was
  }
  await refresh(true);
  // Always refresh (withdrawn consent or an unlinked couple must not linger); drawCouples keeps each form's choices and focus.
  const timer = setInterval(() => refresh(), POLL_MS);
  app.leave = () => clearInterval(timer);
}

async function createInvite(out) {
  try {
    const invite = await api("POST", "/api/facilitator/invites");
    out.replaceChildren(h("div", { class: "stack" },
      h("p", {}, "Send this link to one partner, or read them the code to type on their home page. It works once."),
      h("p", {}, "Code: ", h("span", { class: "code", "data-testid": "facilitator-invite-code" }, invite.code)),
      h("p", { class: "break" }, "Link: ", h("a", { href: invite.link, "data-testid": "facilitator-invite-link" }, invite.link))));
  } catch (error) {
    out.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
  }
}

function otherName(couple, partner) {
  return couple.partners.find((p) => p.id !== partner.id)?.display_name ?? "their partner";
}

function names(couple) {
  return couple.partners.map((p) => p.display_name).join(" and ");
}

function sessionList(title, sessions, linkText) {
  if (!sessions.length) return null;
  return [h("h4", {}, title), h("ul", { class: "summary-list" }, sessions.map((s) => h("li", {},
    h("a", { href: `/facilitator/session/${s.id}`, "data-link": true }, `${linkText}: ${s.plan_title}`),
    h("span", { class: "hint" }, `, ${formatDate(s.started_at || s.created_at)}${s.end_reason ? ` · ${s.started_at ? ENDINGS[s.end_reason] || "" : "closed before it began"}` : ""}`))))];
}

function coupleCard(couple, state, composer, choice) {
  const id = couple.couple_id;
  const headingId = `couple-${id}`;
  const open = couple.upcoming.length || couple.live.length;
  const composedReady = composer.ready();
  const planSelect = h("select", { name: "plan", id: `plan-${id}` },
    h("option", { value: "composed", disabled: !composedReady },
      composedReady ? `The plan you're composing: ${composer.title()}` : "The plan you're composing (give it a name and an exercise first)"),
    state.saved.length ? h("optgroup", { label: "Your saved plans" },
      state.saved.map((p) => h("option", { value: `saved:${p.id}` }, `${p.title} · up to ${p.estimated_minutes} min`))) : null,
    h("optgroup", { label: "Built-in plans" },
      state.builtins.map((p) => h("option", { value: `builtin:${p.id}` }, `${p.title} · up to ${p.estimated_minutes} min`))));
  const firstSelect = h("select", { name: "first", id: `first-${id}` },
    h("option", { value: "random" }, "Let Duologue choose"),
    couple.partners.map((p) => h("option", { value: p.id }, p.display_name)));
  const builtinDefault = state.builtins.find((p) => p.id === "daily") || state.builtins[0];
  planSelect.value = builtinDefault ? `builtin:${builtinDefault.id}` : "";
  if (choice) {
    if (choice.plan !== "composed" || composedReady) planSelect.value = choice.plan;
    firstSelect.value = choice.first;
  }
  const error = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "start-error" });
  const form = h("form", { class: "stack", "data-couple": id },
    h("h4", {}, "Start a session"),
    h("div", { class: "field" }, h("label", { for: planSelect.id }, "Plan"), planSelect),
    h("div", { class: "field" }, h("label", { for: firstSelect.id }, "Who speaks first"), firstSelect),
    error,
    h("button", { type: "submit", disabled: Boolean(open) }, `Start a session for ${names(couple)}`),
    open ? h("p", { class: "hint" }, "This couple has a session open. Open it above, or end it, to start another.") : null);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { first_speaker: firstSelect.value };
    const [kind, value] = planSelect.value.split(/:(.*)/s);
    if (kind === "composed") {
      if (!composer.ready()) {
        error.textContent = "Give the plan you're composing a name and at least one exercise, or pick another plan.";
        error.hidden = false;
        return;
      }
      body.plan = composer.read();
    }
    else if (kind === "saved") body.saved_plan_id = value;
    else body.plan_id = value;
    try {
      const session = await api("POST", `/api/facilitator/couples/${id}/sessions`, body);
      navigate(`/facilitator/session/${session.id}`);
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    }
  });

  const byPartner = new Map(couple.partners.map((p) => [p.id, []]));
  for (const s of couple.summaries || []) byPartner.get(s.partner.id)?.push(s);
  const summaries = h("div", { "data-testid": "shared-summaries" },
    h("h4", {}, "Summaries shared with you"),
    couple.partners.map((p) => (byPartner.get(p.id).length
      ? byPartner.get(p.id).map((s) => h("details", { class: "shared-summary" },
        h("summary", {}, `${p.display_name}'s summary: ${s.plan_title}`),
        h("div", { class: "shared-summary-body", "aria-label": `${p.display_name}'s summary`, role: "region" },
          h("p", { class: "hint" }, `Shared with you by ${p.display_name}; written to them. Times are in your time zone.`),
          summaryBody(s.content, { me: p.display_name, partner: otherName(couple, p), level: 5, own: false }))))
      : h("p", { class: "hint" }, `${p.display_name} hasn't shared summaries with you (or has none yet). It's their choice.`))));

  return h("article", { class: "card stack", "aria-labelledby": headingId, "data-testid": "couple" },
    h("h3", { id: headingId }, names(couple)),
    sessionList("Upcoming", couple.upcoming, "Open the lobby"),
    sessionList("Live now", couple.live, "Join live"),
    sessionList("Past", couple.past, "Your record"),
    !couple.upcoming.length && !couple.live.length && !couple.past.length ? h("p", { class: "hint" }, "No sessions yet.") : null,
    form,
    summaries,
    sharedJournal(couple),
    progressPanel(couple));
}

/** The one journal entry each partner may choose to share: its current words, gone the moment they stop. */
function sharedJournal(couple) {
  const shared = couple.journal || [];
  return h("div", { "data-testid": "shared-journal" },
    h("h4", {}, "Journal entries shared with you"),
    shared.length
      ? shared.map((s) => h("figure", { class: "shared-journal card" },
        h("figcaption", {}, `${s.partner_display_name}'s journal entry`),
        h("p", { class: "hint" }, `Shared with you by ${s.partner_display_name}. You see it as it is now: if they edit it, you see the new words; if they stop sharing, it's gone from here.`),
        s.entry.prompt ? h("p", { class: "journal-prompt" }, s.entry.prompt) : null,
        h("blockquote", {}, s.entry.text),
        s.feeling_labels.length ? h("p", { class: "hint" }, `Feelings: ${s.feeling_labels.join(", ")}`) : null))
      : h("p", { class: "hint" }, "Nobody has shared a journal entry with you. A journal is private unless its author chooses to share one entry."));
}

/** The plan composer: exercises in order, rounds and time limits within each definition's bounds. */
function buildComposer(state, onChange) {
  const items = [];
  const byId = new Map(state.exercises.map((e) => [e.id, e]));
  const title = h("input", { type: "text", name: "title", id: "plan-title", maxlength: 80, value: "", required: true });
  const list = h("ol", { class: "plan-items", "data-testid": "plan-items" });
  const picker = h("select", { id: "exercise-picker" },
    state.exercises.map((e) => h("option", { value: e.id }, e.title)));
  const status = h("p", { role: "status", class: "hint" });
  const error = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "plan-error" });
  let counter = 0;

  function add(id) {
    const ex = byId.get(id);
    items.push({ key: ++counter, ex, rounds: ex.rounds.default, limits: Object.fromEntries(ex.steps.map((s) => [s.id, s.time_limit.default])) });
    draw();
    onChange();
  }
  function move(index, by) {
    const [item] = items.splice(index, 1);
    items.splice(index + by, 0, item);
    draw(item.key, by < 0 ? "up" : "down");
  }
  function draw(focusKey, direction) {
    list.replaceChildren(...items.map((item, index) => {
      const { ex } = item;
      const base = `item-${item.key}`;
      const rounds = ex.rounds.max > ex.rounds.min
        ? h("div", { class: "field inline" }, h("label", { for: `${base}-rounds` }, `Rounds (${ex.rounds.min} to ${ex.rounds.max})`),
          h("input", { type: "number", id: `${base}-rounds`, min: ex.rounds.min, max: ex.rounds.max, step: 1, value: item.rounds,
            oninput: (e) => { item.rounds = Number(e.target.value); } }))
        : h("p", { class: "hint" }, `${ex.rounds.min} round`);
      const limits = ex.steps.map((step) => h("div", { class: "field inline" },
        h("label", { for: `${base}-${step.id}` }, `${step.title}: seconds (${step.time_limit.min} to ${step.time_limit.max})`),
        h("input", { type: "number", id: `${base}-${step.id}`, min: step.time_limit.min, max: step.time_limit.max, step: 5,
          value: item.limits[step.id], oninput: (e) => { item.limits[step.id] = Number(e.target.value); } })));
      return h("li", { "data-key": item.key },
        h("fieldset", {},
          h("legend", {}, `${index + 1}. ${ex.title}`),
          rounds,
          ex.steps.length ? h("details", {}, h("summary", {}, "Time limits"), limits) : null,
          h("div", { class: "row" },
            h("button", { type: "button", class: "secondary small move-up", disabled: index === 0, onclick: () => move(index, -1),
              "aria-label": `Move ${ex.title} up` }, "Up"),
            h("button", { type: "button", class: "secondary small move-down", disabled: index === items.length - 1,
              onclick: () => move(index, 1), "aria-label": `Move ${ex.title} down` }, "Down"),
            h("button", { type: "button", class: "quiet", onclick: () => { items.splice(index, 1); draw(); onChange(); picker.focus(); },
              "aria-label": `Remove ${ex.title}` }, "Remove"))));
    }));
    if (!items.length) list.append(h("li", { class: "hint" }, "No exercises yet. Add one below."));
    if (focusKey) { // keep the keyboard on the exercise that moved
      const wanted = list.querySelector(`[data-key="${focusKey}"] .move-${direction}`);
      (wanted && !wanted.disabled ? wanted : list.querySelector(`[data-key="${focusKey}"] button:not(:disabled)`))?.focus();
    }
  }
  function read() {
    return {
      title: title.value.trim(),
      description: "",
      exercises: items.map((item) => ({ exercise: item.ex.id, rounds: item.rounds, time_limits: { ...item.limits } })),
    };
  }
  const save = h("button", { type: "submit" }, "Save this plan");
  const form = h("form", { class: "card stack", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "plan-title" }, "Plan name"), title),
    h("h3", {}, "Exercises, in order"),
    list,
    h("div", { class: "row add-row" },
      h("div", { class: "field grow" }, h("label", { for: "exercise-picker" }, "Exercise to add"), picker),
      h("button", { type: "button", class: "secondary", onclick: () => add(picker.value) }, "Add exercise")),
    error, status, save);
  title.addEventListener("change", onChange);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    status.textContent = "";
    try {
      const plan = await api("POST", "/api/facilitator/plans", read());
      state.saved = [plan, ...state.saved.filter((p) => p.id !== plan.id)];
      status.textContent = `Saved "${plan.title}" (up to ${plan.estimated_minutes} minutes). You can pick it when you start a session.`;
      onChange();
    } catch (problem) {
      error.textContent = problem.fields?.length ? problem.fields.map((f) => `${f.field}: ${f.message}`).join(" ") : problem.message;
      error.hidden = false;
    }
  });
  draw();
  const element = [h("h2", { id: "composer-heading" }, "Compose a plan"),
    h("p", { class: "hint" }, "Choose exercises and their order, rounds and time limits. Save it to reuse, or start it straight away."),
    form];
  return { element, read, title: () => title.value.trim(), ready: () => Boolean(title.value.trim() && items.length) };
}
