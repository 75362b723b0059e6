// The right control for each kind of step input, all labelled and usable with the keyboard alone.
import { h } from "../dom.js";

let counter = 0;

export function inputFor(step, submit) {
  const spec = step.input;
  const id = `answer-${step.step_no}-${++counter}`;
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true });
  const send = h("button", { type: "submit" }, spec.kind === "ready" ? spec.label || "I'm ready" : "Send");
  let read;
  let control;

  if (spec.kind === "text") {
    const box = h("textarea", { id, name: "answer", maxlength: spec.max_length, "aria-describedby": `${id}-count ${id}-error`, required: true });
    const count = h("p", { class: "hint", id: `${id}-count` }, `0 of ${spec.max_length} characters`);
    box.addEventListener("input", () => { count.textContent = `${box.value.length} of ${spec.max_length} characters`; });
    control = [h("label", { for: id }, "Your words"), box, count];
    read = () => box.value.trim() || null;
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
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = read();
    if (value === null) {
      error.textContent = spec.kind === "text" ? "Please write a few words first." : "Please choose one first.";
      error.hidden = false;
      return;
    }
    send.disabled = true;
    const ack = await submit(value);
    if (!ack) send.disabled = false;
  });
  return form;
}
