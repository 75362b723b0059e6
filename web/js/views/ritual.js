// A rhythm: the couple's regular time to practise. Either partner sets or changes it (no confirmation
// step: you talk it over, one of you writes it down); both see it and who set it. Home shows the next one,
// and each of you can add it to your own calendar with a file.
import { api } from "../api.js";
import { h, mount } from "../dom.js";

const DAYS = [["MO", "Monday"], ["TU", "Tuesday"], ["WE", "Wednesday"], ["TH", "Thursday"], ["FR", "Friday"], ["SA", "Saturday"], ["SU", "Sunday"]];
const DAY_NAME = Object.fromEntries(DAYS);

function dayKey(date, timeZone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** "today at 20:30", "tomorrow at 07:15", "on Sunday at 18:00", in the ritual's own time zone. */
export function whenText(ritual, now = new Date()) {
  const next = new Date(ritual.next_at);
  const tz = ritual.timezone;
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(next);
  const tomorrow = new Date(now.getTime() + 86400000);
  const day = dayKey(next, tz) === dayKey(now, tz) ? "today"
    : dayKey(next, tz) === dayKey(tomorrow, tz) ? "tomorrow"
      : `on ${new Intl.DateTimeFormat("en-GB", { timeZone: tz, weekday: "long" }).format(next)}`;
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${day} at ${time}${here === tz ? "" : ` (${tz.replace(/_/g, " ")} time)`}`;
}

export function daysText(days) {
  if (days.length === 7) return "every day";
  const names = days.map((d) => `${DAY_NAME[d]}s`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function nextLine(ritual) {
  return `Next: ${ritual.plan_title}, ${whenText(ritual)}`;
}

export function calendarLink(ritual, label = "Add to my calendar (.ics file)") {
  return h("a", { class: "button secondary", href: ritual.calendar_path, download: `duologue-${ritual.plan_id}.ics`, "data-testid": "ritual-ics" }, label);
}

/** The soonest ritual's line, and how many others there are (the list comes soonest first). */
export function soonestLine(rituals) {
  const others = rituals.length - 1;
  return nextLine(rituals[0]) + (others > 0 ? ` (and ${others} other ritual${others === 1 ? "" : "s"})` : "");
}

export async function showRhythm(app) {
  const current = h("section", { "aria-labelledby": "current-heading" });
  const formArea = h("section", { "aria-labelledby": "set-heading" });
  mount(h("h1", {}, "Your rhythm"),
    h("p", {}, "Regular times for the two of you to practise, so it doesn't depend on remembering: for example the daily practice " +
      "in the evening and the weekly meeting on Sundays. Either of you can set them or change them, and you both see them."),
    current, formArea,
    h("p", {}, h("a", { href: "/between", "data-link": true }, "Back to Between sessions")));

  let state;
  try {
    state = await api("GET", "/api/rituals");
  } catch (error) {
    current.replaceChildren(h("h2", { id: "current-heading" }, "Not yet"),
      h("p", {}, error.code === "not_paired" ? "A rhythm is for the two of you. Once you're paired with your partner, you can set one here." : error.message),
      h("a", { href: "/home", "data-link": true }, "Go to home"));
    return;
  }
  const plans = await api("GET", "/api/plans").catch(() => []);
  render(null, false);

  async function reload(editing, focus) {
    state = await api("GET", "/api/rituals");
    render(editing, focus);
  }

  function render(editing, focus) {
    const { rituals, max_rituals: max } = state;
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    current.replaceChildren(h("h2", { id: "current-heading", tabindex: "-1" }, rituals.length > 1 ? "Your rituals" : "Your ritual"),
      rituals.length
        ? h("ul", { class: "summary-list stack", "data-testid": "ritual-list" }, rituals.map((ritual) =>
          h("li", { class: "card stack", "data-testid": "ritual-current" },
            h("p", {}, h("strong", {}, ritual.plan_title), `, ${daysText(ritual.days)} at ${ritual.time}`,
              h("span", { class: "hint" }, ` · ${ritual.timezone.replace(/_/g, " ")}`)),
            h("p", { "data-testid": "ritual-next" }, nextLine(ritual)),
            h("p", { class: "hint" }, ritual.set_by_me ? "You set this. Your partner sees it too." : `${ritual.set_by_name} set this. You can change it too.`),
            h("div", { class: "row" }, calendarLink(ritual),
              h("button", { type: "button", class: "secondary", onclick: () => render(ritual, "form") }, `Change ${ritual.plan_title}`),
              h("button", { type: "button", class: "quiet", onclick: async () => {
                try {
                  await api("DELETE", `/api/rituals/${encodeURIComponent(ritual.plan_id)}`);
                  await reload(null, "list");
                } catch (error) {
                  problem.textContent = error.message;
                  problem.hidden = false;
                }
              } }, `Remove ${ritual.plan_title}`)))))
        : h("p", { class: "hint" }, "No ritual yet. Choose one below: for example the daily practice in the evening, or the weekly meeting on Sundays."),
      problem,
      rituals.length ? h("p", { class: "hint" }, "Each file works with most calendar apps. If you change a ritual, download its file again and your calendar updates the same event.") : "");
    renderForm(editing, rituals, max);
    if (focus === "list") current.querySelector("h2").focus();
    if (focus === "form") formArea.querySelector("h2").focus();
  }

  function renderForm(ritual, rituals, max) {
    const taken = new Set(rituals.map((r) => r.plan_id));
    const choices = ritual ? plans.filter((p) => p.id === ritual.plan_id) : plans.filter((p) => !taken.has(p.id));
    if (!ritual && (rituals.length >= max || !choices.length)) {
      formArea.replaceChildren(h("h2", { id: "set-heading", tabindex: "-1" }, "Add another"),
        h("p", { class: "hint" }, `You two keep up to ${Math.min(max, plans.length || max)} rituals. To add another, remove one first.`));
      return;
    }
    const here = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [here];
    const chosenZone = ritual?.timezone || here;
    if (!zones.includes(chosenZone)) zones.unshift(chosenZone);
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const preferred = choices.some((p) => p.id === "daily") ? "daily" : choices[0]?.id;
    const form = h("form", { class: "card stack", "data-testid": "ritual-form" },
      h("div", { class: "field" },
        h("label", { for: "ritual-plan" }, "Which practice"),
        h("select", { id: "ritual-plan", name: "plan_id", disabled: Boolean(ritual) }, choices.map((p) =>
          h("option", { value: p.id, selected: (ritual?.plan_id || preferred) === p.id }, `${p.title} (up to ${p.estimated_minutes} minutes)`)))),
      h("fieldset", {}, h("legend", {}, "Which days"),
        h("div", { class: "days" }, DAYS.map(([code, name]) => h("label", { class: "choice" },
          h("input", { type: "checkbox", name: "days", value: code, checked: ritual ? ritual.days.includes(code) : true }), name)))),
      h("div", { class: "field" },
        h("label", { for: "ritual-time" }, "What time"),
        h("input", { type: "time", id: "ritual-time", name: "time", required: true, value: ritual?.time || "20:30" })),
      h("div", { class: "field" },
        h("label", { for: "ritual-zone" }, "Your time zone"),
        h("p", { class: "hint", id: "ritual-zone-hint" }, "The time stays the same on your clock when summer time begins or ends."),
        h("select", { id: "ritual-zone", name: "timezone", "aria-describedby": "ritual-zone-hint" },
          zones.map((z) => h("option", { value: z, selected: z === chosenZone }, z.replace(/_/g, " "))))),
      error,
      h("div", { class: "row" },
        h("button", { type: "submit" }, ritual ? "Save the change" : "Add this ritual"),
        ritual ? h("button", { type: "button", class: "quiet", onclick: () => render(null, "form") }, "Cancel") : ""));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const days = data.getAll("days");
      if (!days.length) {
        error.textContent = "Choose at least one day.";
        error.hidden = false;
        return;
      }
      const planId = ritual?.plan_id || data.get("plan_id");
      try {
        await api("PUT", `/api/rituals/${encodeURIComponent(planId)}`, { days, time: data.get("time"), timezone: data.get("timezone") });
        await reload(null, "list");
      } catch (problem) {
        error.textContent = problem.message;
        error.hidden = false;
      }
    });
    formArea.replaceChildren(h("h2", { id: "set-heading", tabindex: "-1" }, ritual ? `Change ${ritual.plan_title}` : (rituals.length ? "Add another" : "Set a ritual")), form);
  }
}
