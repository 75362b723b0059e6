// "Noticing": one tap when the urge to pull away comes, details if wanted, and a gentle view of when it
// tends to happen, in the person's own time zone. Awareness, never a score: noticing is the skill.
import { api } from "../api.js";
import { announce, h, mount, showFieldErrors } from "../dom.js";
import { visibleLength } from "../text_count.js";

function timeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch { return "UTC"; }
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export async function showNoticing(app) {
  const options = await api("GET", "/api/noticing/options");
  const tz = timeZone();
  const status = h("p", { class: "notice-status", role: "status", "data-testid": "tap-status" });
  const details = h("div", { "data-testid": "details-area" });
  const patternArea = h("div", { "data-testid": "pattern" });
  const tap = h("button", { type: "button", class: "noticing-tap", "data-testid": "tap" }, "I noticed the urge to pull away");
  tap.addEventListener("click", async () => {
    tap.disabled = true;
    try {
      const moment = await api("POST", "/api/noticing", {});
      status.textContent = `Noted at ${clock(moment.noticed_at)}. Well noticed. You can add details below, or leave it at that.`;
      details.replaceChildren(detailsForm(options, moment, status, async () => refresh()));
      await refresh();
    } catch (problem) {
      status.textContent = problem.message;
    } finally {
      tap.disabled = false;
    }
  });

  const weeks = h("select", { id: "pattern-weeks" },
    options.pattern_weeks_choices.map((n) => h("option", { value: n, selected: n === options.pattern_weeks_default }, `the last ${n} weeks`)));
  weeks.addEventListener("change", () => refresh());
  async function refresh() {
    try {
      const pattern = await api("GET", `/api/noticing/pattern?tz=${encodeURIComponent(tz)}&weeks=${weeks.value}`);
      patternArea.replaceChildren(patternView(pattern));
    } catch (problem) {
      patternArea.replaceChildren(h("p", { class: "form-error", role: "alert" }, problem.message));
    }
  }

  mount(
    h("h1", {}, "Noticing"),
    h("p", {}, "Noticing is the skill. When you catch the urge to pull away, even afterwards, you are already doing the practice. There is nothing to fix here and no number to reach."),
    h("div", { class: "card stack noticing-now" }, tap, status, details),
    h("section", { "aria-labelledby": "pattern-heading" },
      h("h2", { id: "pattern-heading" }, "When it tends to happen"),
      h("p", { class: "hint" }, `Only you see this. Times are in your time zone (${tz}).`),
      h("div", { class: "field" }, h("label", { for: "pattern-weeks" }, "Show"), weeks),
      patternArea));
  await refresh();
}

function detailsForm(options, moment, status, saved) {
  const intensity = h("fieldset", { class: "chips" },
    h("legend", {}, "How strong was it? (optional)"),
    h("p", { class: "hint", id: "intensity-hint" }, `${options.intensity_min} is faint, ${options.intensity_max} is very strong.`),
    h("div", { class: "chip-row" },
      Array.from({ length: options.intensity_max - options.intensity_min + 1 }, (_, i) => options.intensity_min + i)
        .map((n) => h("label", { class: "chip" },
          h("input", { type: "radio", name: "intensity", value: n, "aria-describedby": "intensity-hint" }), h("span", {}, String(n))))));
  const feeling = h("select", { id: "noticing-feeling", name: "feeling" },
    h("option", { value: "" }, "Not sure, or rather not say"),
    options.feelings.map((f) => h("option", { value: f.id }, f.label)));
  const context = h("input", { type: "text", id: "noticing-context", name: "context", autocomplete: "off",
    "aria-describedby": "noticing-context-count noticing-context-error" });
  const countLine = h("p", { class: "hint", id: "noticing-context-count", "aria-live": "polite" });
  const showCount = () => {
    const n = visibleLength(context.value.trim());
    countLine.classList.toggle("warn", n > options.context_max_chars);
    countLine.textContent = `${n} of ${options.context_max_chars} characters`;
  };
  context.addEventListener("input", showCount);
  showCount();
  const failed = h("p", { class: "form-error", role: "alert", hidden: true });
  const undo = h("button", { type: "button", class: "quiet" }, "Remove this moment (tapped by mistake)");
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "details-heading" },
    h("h2", { id: "details-heading" }, `Details for ${clock(moment.noticed_at)}, if you like`),
    intensity,
    h("div", { class: "field" }, h("label", { for: "noticing-feeling" }, "What were you feeling? (optional)"), feeling),
    h("div", { class: "field" },
      h("label", { for: "noticing-context" }, "After what? One line (optional)"),
      context, countLine, h("p", { class: "field-error", id: "noticing-context-error", hidden: true })),
    h("div", { class: "row" }, h("button", { type: "submit" }, "Save details"), undo),
    failed);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    failed.hidden = true;
    const chosen = form.querySelector('input[name="intensity"]:checked');
    try {
      await api("PATCH", `/api/noticing/${moment.id}`, {
        intensity: chosen ? Number(chosen.value) : null, feeling: feeling.value || null, context: context.value.trim() || null });
      showFieldErrors(form, null);
      status.textContent = "Details saved. Thank you for noticing.";
      form.remove();
      document.querySelector("[data-testid=tap]")?.focus();
      await saved();
    } catch (problem) {
      if (!showFieldErrors(form, problem)) { failed.textContent = problem.message; failed.hidden = false; }
    }
  });
  undo.addEventListener("click", async () => {
    failed.hidden = true;
    undo.disabled = true;
    try {
      await api("DELETE", `/api/noticing/${moment.id}`);
    } catch (problem) {
      failed.textContent = `We could not remove it just now: ${problem.message}`;
      failed.hidden = false;
      undo.disabled = false;
      return;
    }
    status.textContent = "Removed. Nothing was kept of it.";
    form.remove();
    document.querySelector("[data-testid=tap]")?.focus();
    await saved();
  });
  return form;
}

/** Rows of label, count and a plain bar (the count is in words too; the bar is decoration). */
function bars(title, rows, id) {
  const most = Math.max(1, ...rows.map((r) => r.count));
  return h("figure", { class: "pattern-block", "aria-labelledby": id },
    h("figcaption", { id }, title),
    h("ul", { class: "pattern-bars" }, rows.map((r) => h("li", {},
      h("span", { class: "pattern-label" }, r.label),
      h("span", { class: "pattern-bar", "aria-hidden": "true" },
        h("span", { class: `pattern-fill w${Math.round((r.count / most) * 10)}` })),
      h("span", { class: "pattern-count" }, r.count === 0 ? "none" : r.count === 1 ? "once" : `${r.count} times`)))));
}

function weekLabel(iso) {
  return `Week of ${new Date(`${iso}T12:00:00`).toLocaleDateString([], { day: "numeric", month: "short" })}`;
}

function patternView(p) {
  if (!p.total) {
    return h("p", { class: "card" }, `Nothing noted in the last ${p.weeks} weeks. When you notice the urge, one tap is enough.`);
  }
  return h("div", { class: "stack" },
    h("p", {}, `You noticed it ${p.total === 1 ? "once" : `${p.total} times`} in the last ${p.weeks} weeks. Each one is a moment you were aware.`),
    bars("By time of day", p.by_time_of_day, "by-time"),
    bars("By day of the week", p.by_weekday, "by-day"),
    bars("Week by week", p.by_week.map((w) => ({ label: weekLabel(w.week_start), count: w.count })), "by-week"),
    h("section", { "aria-labelledby": "after-what" },
      h("h3", { id: "after-what" }, "After what"),
      p.feelings.length
        ? h("p", {}, `Feelings you named: ${p.feelings.map((f) => `${f.label} (${f.count === 1 ? "once" : `${f.count} times`})`).join(", ")}.`)
        : h("p", { class: "hint" }, "No feelings named yet."),
      p.contexts.length
        ? h("ul", { class: "pattern-contexts" }, p.contexts.map((c) => h("li", {}, c.text, c.count > 1 ? h("span", { class: "hint" }, ` (${c.count} times)`) : null)))
        : h("p", { class: "hint" }, "When you add a line about what came before, it shows here.")));
}
