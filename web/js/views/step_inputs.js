// The right control for each kind of step input, all labelled and usable with the keyboard alone.
import { h } from "../dom.js";
import { readDraft, saveDraft } from "../drafts.js";
import { visibleLength } from "../text_count.js";

let counter = 0;
const NEARLY = 0.9; // from 90 % of the limit, say so before it is reached

/**
 * A form for one step. `draft` (a sessionStorage key) keeps half-typed words across a reload or reconnect.
 * The form has `setPaused(bool)`: while the session is paused nothing in it can be used.
 */
export function inputFor(step, submit, { draft = null } = {}) {
  const spec = step.input;
  const id = `answer-${step.step_no}-${++counter}`;
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true });
  const send = h("button", { type: "submit" }, spec.kind === "ready" ? spec.label || "I'm ready" : "Send");
  let read;
  let control;
  let problem = () => null; // words for why this can't be sent yet, or null
  let sent = () => {};

  if (spec.kind === "text") {
    // No maxlength: the browser would cut a paste silently (and count an emoji as two). We count what people see.
    const box = h("textarea", { id, name: "answer", "aria-describedby": `${id}-count ${id}-error`, required: true });
    const count = h("p", { class: "hint", id: `${id}-count`, "data-testid": "char-count", "aria-live": "polite" });
    const showCount = () => {
      const n = visibleLength(box.value.trim());
      const over = n - spec.max_length;
      count.classList.toggle("warn", n >= spec.max_length * NEARLY);
      if (over > 0) {
        count.textContent = `${n} of ${spec.max_length} characters: ${over} over the limit. Nothing has been cut; please shorten it a little before sending.`;
        box.setAttribute("aria-invalid", "true");
      } else {
        count.textContent = n >= spec.max_length * NEARLY
          ? `${n} of ${spec.max_length} characters: nearly at the limit.` : `${n} of ${spec.max_length} characters`;
        box.removeAttribute("aria-invalid");
      }
    };
    if (draft) box.value = readDraft(draft);
    showCount();
    box.addEventListener("input", () => {
      showCount();
      if (draft) saveDraft(draft, box.value);
      if (!error.hidden && !problem()) error.hidden = true;
    });
    control = [h("label", { for: id }, "Your words"), box, count];
    read = () => box.value.trim() || null;
    problem = () => {
      const over = visibleLength(box.value.trim()) - spec.max_length;
      return over > 0 ? `That's ${over} character${over === 1 ? "" : "s"} over the limit of ${spec.max_length}. Small pieces are easier to hear.` : null;
    };
    sent = () => { if (draft) saveDraft(draft, ""); };
  } else if (spec.kind === "feeling" || spec.kind === "choice") {
    const legend = spec.kind === "feeling" ? "Pick a feeling" : "Choose one";
    control = h("fieldset", {}, h("legend", {}, legend),
      spec.options.map((option, i) => h("label", { class: "choice" },
        h("input", { type: "radio", name: id, value: option.value, required: true, checked: false, "data-index": i }), option.label)));
    read = () => control.querySelector("input:checked")?.value ?? null;
  } else if (spec.kind === "rating") {
    const middle = Math.ceil(spec.scale / 2);
    const slider = h("input", { type: "range", id, name: "answer", min: 1, max: spec.scale, step: 1, value: middle,
      "aria-valuetext": `${middle} of ${spec.scale}` });
    const shown = h("output", { for: id }, `${middle} of ${spec.scale}`);
    slider.addEventListener("input", () => {
      const text = `${slider.value} of ${spec.scale}`;
      shown.textContent = text;
      slider.setAttribute("aria-valuetext", `${text}${slider.value === "1" ? `, ${spec.low_label}` : ""}${slider.value === String(spec.scale) ? `, ${spec.high_label}` : ""}`);
    });
    control = [h("label", { for: id }, `Your answer, from 1 (${spec.low_label}) to ${spec.scale} (${spec.high_label})`),
      slider, h("div", { class: "rating-row", "aria-hidden": "true" }, h("span", {}, spec.low_label), h("span", {}, spec.high_label)), shown];
    read = () => Number(slider.value);
  } else {
    control = null;
    read = () => true;
  }

  const form = h("form", { class: "card stack", "data-testid": "answer-form", "data-step": step.step_no }, control, error, send);
  let paused = false;
  let sending = false;
  const refresh = () => {
    for (const element of form.elements) element.disabled = paused || (sending && element === send);
    form.dataset.paused = String(paused);
  };
  form.setPaused = (value) => { paused = value; if (paused) error.hidden = true; refresh(); };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (paused || sending) return;
    const value = read();
    const why = value === null ? (spec.kind === "text" ? "Please write a few words first." : "Please choose one first.") : problem();
    if (why) {
      error.textContent = why;
      error.hidden = false;
      return;
    }
    sending = true;
    refresh();
    const ack = await submit(value);
    sending = false;
    if (ack) sent();
    refresh();
  });
  return form;
}
