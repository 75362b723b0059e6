// Pieces both live views share (a partner's and the facilitator's): answers in words, the countdown, confirm dialogs.
import { h } from "../dom.js";

/** An answer as people read it: "How calm" and "5 of 7", or the feeling's label. */
export function describeAnswer(answer, stepInfo) {
  const info = stepInfo.get(answer.step_no);
  const spec = info?.input;
  let value = String(answer.value);
  if (spec?.options) value = spec.options.find((o) => o.value === answer.value)?.label ?? value;
  else if (spec?.kind === "rating") value = `${answer.value} of ${spec.scale}`;
  const title = info?.title ?? answer.step_id.replaceAll("_", " ");
  return { title, value };
}

/** Show the time left in a step: it follows the server's deadline and freezes (with words) while paused. */
export function showTimeLeft(timer, step, serverNow) {
  if (!step) { timer.textContent = ""; return; }
  const paused = step.deadline === null || step.deadline === undefined;
  const left = Math.max(0, paused ? step.remaining : step.deadline - serverNow);
  const minutes = Math.floor(left / 60);
  const seconds = Math.floor(left % 60);
  timer.textContent = `${minutes}:${String(seconds).padStart(2, "0")}${paused ? " (paused)" : ""}`;
  timer.dataset.paused = String(paused);
}

/** A modal that asks once, kindly; `onConfirm` runs only for the first button. */
export function confirmDialog({ id, title, text, ok, cancel }, onConfirm) {
  const dialog = h("dialog", { "aria-labelledby": `${id}-title` },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: `${id}-title` }, title),
      text instanceof Node ? text : h("p", {}, text),
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, ok),
        h("button", { type: "submit", value: "cancel", class: "secondary" }, cancel))));
  dialog.addEventListener("close", () => { if (dialog.returnValue === "ok") onConfirm(); });
  return dialog;
}

/** "a minute", "30 seconds", "2 minutes". */
export function spokenSeconds(seconds) {
  if (seconds === 60) return "a minute";
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
