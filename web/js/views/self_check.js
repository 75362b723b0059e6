// The weekly self-check: a few statements, each a 1–7 choice as a real radio group (arrow keys move within it).
import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { tzQuery } from "./progress.js";

export async function showSelfCheck(app) {
  let form;
  try {
    form = await api("GET", `/api/progress/self-check?${tzQuery()}`);
  } catch (error) {
    mount(h("h1", {}, "Your weekly self-check"), h("p", { class: "form-error", role: "alert" }, error.message));
    return;
  }
  const { scale } = form;
  const values = [];
  for (let v = scale.min; v <= scale.max; v += 1) values.push(v);
  const scaleHint = h("p", { class: "hint", id: "scale-hint" },
    `For each statement choose ${scale.min} to ${scale.max}: ${scale.min} means "${scale.low_label}", ${scale.max} means "${scale.high_label}".`);
  const problem = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "self-check-error" });
  const items = form.items.map((item, index) => h("fieldset", { class: "self-check-item", "data-item": item.id, "aria-describedby": "scale-hint" },
    h("legend", {}, h("span", { class: "item-no" }, `${index + 1}. `), item.text),
    h("div", { class: "scale-row" },
      h("span", { class: "scale-end", "aria-hidden": "true" }, scale.low_label),
      h("div", { class: "scale-choices" }, values.map((v) => h("label", { class: "scale-choice" },
        h("input", { type: "radio", name: item.id, value: v, required: true }),
        h("span", {}, String(v))))),
      h("span", { class: "scale-end", "aria-hidden": "true" }, scale.high_label))));
  const submit = h("button", { type: "submit" }, "Save my self-check");
  const el = h("form", { novalidate: true, class: "stack" }, scaleHint, items, problem,
    h("div", { class: "row" }, submit,
      h("button", { type: "button", class: "secondary", onclick: () => skip() }, "Not this week")));
  el.addEventListener("change", () => { // once everything has a number, an earlier reminder goes away
    if (!problem.hidden && form.items.every((item) => el.elements[item.id].value)) problem.hidden = true;
  });
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(el);
    const missing = form.items.filter((item) => !data.get(item.id));
    if (missing.length) {
      problem.textContent = missing.length === 1 ? "One statement still needs a number; take your time."
        : `${missing.length} statements still need a number; take your time.`;
      problem.hidden = false;
      el.querySelector(`fieldset[data-item="${missing[0].id}"] input`).focus();
      return;
    }
    problem.hidden = true;
    submit.disabled = true;
    try {
      const answers = Object.fromEntries(form.items.map((item) => [item.id, Number(data.get(item.id))]));
      const saved = await api("POST", `/api/progress/self-check?${tzQuery()}`, { answers });
      thanks(saved);
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  async function skip() {
    try {
      const skipped = await api("POST", `/api/progress/self-check/skip?${tzQuery()}`);
      mount(h("h1", {}, "That's fine"),
        h("p", {}, `We won't ask again until ${day(skipped.skipped_until)}. You can still take it any time from your Progress page.`),
        h("p", {}, h("a", { href: "/home", "data-link": true }, "Back home")));
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
    }
  }

  mount(
    h("h1", {}, "Your weekly self-check"),
    h("p", {}, form.intro),
    form.due || !form.last_taken_on ? null
      : h("p", { class: "hint" }, `You last took it on ${day(form.last_taken_on)}. You can take it again whenever you like; ` +
        "a second one on the same day replaces the first."),
    el);
}

/** A calendar day ("2026-11-21") in words, read as that local day (not as midnight UTC). */
function day(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" });
}

function thanks(saved) {
  mount(
    h("h1", {}, "Thank you"),
    h("p", { "data-testid": "self-check-saved" },
      saved.replaced ? "Saved. This replaces the self-check you took earlier today." : "Saved. Thank you for taking a moment for yourself."),
    h("p", {}, "Your answers are yours alone unless you choose to share your progress."),
    h("p", {}, h("a", { class: "button", href: "/progress", "data-link": true }, "See your progress")),
    h("p", {}, h("a", { href: "/home", "data-link": true }, "Back home")));
}
