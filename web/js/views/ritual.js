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
  return h("a", { class: "button secondary", href: ritual.calendar_path, download: "duologue-ritual.ics", "data-testid": "ritual-ics" }, label);
}

export async function showRhythm(app) {
  const current = h("section", { "aria-labelledby": "current-heading" });
  const formArea = h("section", { "aria-labelledby": "set-heading" });
  mount(h("h1", {}, "Your rhythm"),
    h("p", {}, "A regular time for the two of you to practise, so it doesn't depend on remembering. " +
      "Either of you can set it or change it, and you both see it."),
    current, formArea,
    h("p", {}, h("a", { href: "/between", "data-link": true }, "Back to Between sessions")));

  let state;
  try {
    state = await api("GET", "/api/ritual");
  } catch (error) {
    current.replaceChildren(h("h2", { id: "current-heading" }, "Not yet"),
      h("p", {}, error.code === "not_paired" ? "A rhythm is for the two of you. Once you're paired with your partner, you can set one here." : error.message),
      h("a", { href: "/home", "data-link": true }, "Go to home"));
    return;
  }
  const plans = await api("GET", "/api/plans").catch(() => []);
  render(state.ritual);

  function render(ritual, focus) {
    current.replaceChildren(h("h2", { id: "current-heading", tabindex: "-1" }, "Your ritual"),
      ritual
        ? h("div", { class: "card stack", "data-testid": "ritual-current" },
          h("p", {}, h("strong", {}, ritual.plan_title), `, ${daysText(ritual.days)} at ${ritual.time}`,
            h("span", { class: "hint" }, ` · ${ritual.timezone.replace(/_/g, " ")}`)),
          h("p", { "data-testid": "ritual-next" }, nextLine(ritual)),
          h("p", { class: "hint" }, ritual.set_by_me ? "You set this. Your partner sees it too." : `${ritual.set_by_name} set this. You can change it too.`),
          h("div", { class: "row" }, calendarLink(ritual),
            h("button", { type: "button", class: "quiet", onclick: async () => {
              await api("DELETE", "/api/ritual").catch(() => {});
              render(null, true);
            } }, "Remove the ritual")),
          h("p", { class: "hint" }, "The file works with most calendar apps. If you change the ritual, download it again and your calendar updates the same event."))
        : h("p", { class: "hint" }, "No ritual yet. Choose one below: for example the daily practice in the evening, or the weekly meeting on Sundays."));
    renderForm(ritual);
    if (focus) current.querySelector("h2").focus();
  }

  function renderForm(ritual) {
    const here = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [here];
    const chosenZone = ritual?.timezone || here;
    if (!zones.includes(chosenZone)) zones.unshift(chosenZone);
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const form = h("form", { class: "card stack", "data-testid": "ritual-form" },
      h("div", { class: "field" },
        h("label", { for: "ritual-plan" }, "Which practice"),
        h("select", { id: "ritual-plan", name: "plan_id" }, plans.map((p) =>
          h("option", { value: p.id, selected: (ritual?.plan_id || "daily") === p.id }, `${p.title} (up to ${p.estimated_minutes} minutes)`)))),
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
      h("button", { type: "submit" }, ritual ? "Save the change" : "Set our ritual"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const days = data.getAll("days");
      if (!days.length) {
        error.textContent = "Choose at least one day.";
        error.hidden = false;
        return;
      }
      try {
        const saved = await api("PUT", "/api/ritual", { plan_id: data.get("plan_id"), days, time: data.get("time"), timezone: data.get("timezone") });
        render(saved, true);
      } catch (problem) {
        error.textContent = problem.message;
        error.hidden = false;
      }
    });
    formArea.replaceChildren(h("h2", { id: "set-heading" }, ritual ? "Change it" : "Set a ritual"), form);
  }
}
