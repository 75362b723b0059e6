// Tiny DOM helpers: build elements, announce to screen readers, swap the page.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let lastAnnouncement = "";

/** Say something once to screen readers (polite), without repeating the same words. */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region || text === lastAnnouncement) return;
  lastAnnouncement = text;
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
}

/** Replace the page content and move focus to its heading, as a new page would. */
export function mount(...nodes) {
  const main = document.getElementById("main");
  main.replaceChildren(...nodes.flat(Infinity).filter((node) => node !== null && node !== undefined && node !== false));
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} · Duologue` : "Duologue";
  (heading || main).setAttribute("tabindex", "-1");
  (heading || main).focus();
  window.scrollTo(0, 0);
}

export function formatClock(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function formatDate(iso) {
  return new Date(iso).toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" });
}

/** A field with its label, hint and an error slot that screen readers connect to the input. */
export function field({ id, label, input, hint }) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  input.id = id;
  input.setAttribute("aria-describedby", hint ? `${hintId} ${errorId}` : errorId);
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    input,
    h("p", { class: "field-error", id: errorId, hidden: true }));
}

/** Show the server's field errors next to the fields that caused them; return true if any was shown. */
export function showFieldErrors(form, error) {
  for (const slot of form.querySelectorAll(".field-error")) { slot.hidden = true; slot.textContent = ""; }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  let first = null;
  for (const problem of error?.fields || []) {
    const input = form.querySelector(`[name="${problem.field}"]`);
    if (!input) continue;
    const slot = document.getElementById(`${input.id}-error`);
    slot.textContent = problem.message;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
    first = first || input;
  }
  if (first) first.focus();
  return Boolean(first);
}

/** "about 1 minute", "about 12 minutes". */
export function aboutMinutes(minutes) {
  return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * Copy text for someone; returns what to tell them. On a plain-http address (or when the browser refuses)
 * nothing can be copied for them: select the text instead and say how to copy it. Never claims "copied" untruly.
 */
export async function copyText(text, shownIn) {
  try {
    if (!window.isSecureContext || !navigator.clipboard) throw new Error("no clipboard here");
    await navigator.clipboard.writeText(text);
    return "Copied. You can paste it in a message now.";
  } catch {
    if (shownIn) {
      const range = document.createRange();
      range.selectNodeContents(shownIn);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    return "We couldn't copy it for you here. The link is selected: copy it with Ctrl+C (⌘C on a Mac), or press and hold it on a phone.";
  }
}
