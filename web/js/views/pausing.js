// The two ways to pause, kept apart as the methods keep them: a break ("I need space", at least 20 minutes
// and less than a day, with a time to come back) and "one moment" (a doorbell; a few minutes, not a break).
// Every number comes from the server's rules (GET /api/rules), the same ones the engine enforces.
import { api } from "../api.js";
import { formatClock, h } from "../dom.js";

export async function loadRules() {
  try {
    return await api("GET", "/api/rules");
  } catch {
    return null; // the dialog then offers only what the server suggests by default once the snapshot arrives
  }
}

function minutesLabel(m) {
  if (m < 60) return `${m} minutes`;
  if (m % 60 === 0) return m === 60 ? "1 hour" : `${m / 60} hours`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The "Take some space" dialog, offering the rules' choices. */
export function buildSpaceDialog(rules, onConfirm) {
  const brk = rules?.break ?? { choices_minutes: [20, 30, 60], suggested_minutes: 20, min_minutes: 20, less_than_minutes: 1440 };
  const select = h("select", { id: "space-minutes", name: "minutes" },
    brk.choices_minutes.map((m) => h("option", { value: m, selected: m === brk.suggested_minutes }, minutesLabel(m))));
  const dialog = h("dialog", { "aria-labelledby": "space-title" },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: "space-title" }, "Take some space"),
      h("p", {}, "Everything pauses for both of you, and your partner sees when you plan to be back."),
      h("label", { for: "space-minutes" }, "I'll be back in"),
      select,
      h("p", { class: "hint", "data-testid": "space-hint" },
        `A break lasts at least ${minutesLabel(brk.min_minutes)} and less than a day: when feelings run high, the body needs about that long to settle. ` +
        "For a quick interruption, use “One moment” instead."),
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, "Pause and take space"),
        h("button", { type: "submit", value: "cancel", class: "secondary" }, "Not now"))));
  dialog.addEventListener("close", () => { if (dialog.returnValue === "ok") onConfirm(Number(select.value)); });
  return dialog;
}

/** The banner part for a short pause: who asked, until when, and "I'm back" for the one who asked. */
export function momentNotice(moment, me, nameOf, act) {
  if (moment.who === me) {
    return [h("p", {}, `You asked for one moment. The clock has stopped until ${formatClock(moment.return_at)} at the latest.`),
      h("button", { type: "button", onclick: () => act({ type: "moment_done" }) }, "I'm back")];
  }
  return [h("p", {}, `${nameOf(moment.who)} asked for one moment. The clock has stopped; back by ${formatClock(moment.return_at)} at the latest.`)];
}
