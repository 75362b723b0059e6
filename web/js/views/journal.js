// "Your journal": private writing between sessions, with an optional prompt and feelings; search, edit, delete,
// and sharing one entry with a facilitator linked with the couple. Words, tags and bounds come from the API.
import { api } from "../api.js";
import { announce, formatDate, h, mount, showFieldErrors } from "../dom.js";
import { visibleLength } from "../text_count.js";

const OFFERED = 4; // prompts offered at a time; "Other prompts" shows the next few
const PAGE = 50; // entries shown at first, and added by "Show older entries"

export async function showJournal(app) {
  const [options, entries, links] = await Promise.all([
    api("GET", "/api/journal/options"),
    api("GET", `/api/journal?limit=${PAGE}`),
    api("GET", "/api/facilitators").catch(() => []),
  ]);
  const state = { options, entries, facilitators: links.filter((l) => l.status === "linked"), offset: 0 };
  const labels = new Map(options.feelings.map((f) => [f.id, f.label]));
  const list = h("div", { class: "journal-list", "data-testid": "journal-list" });
  const listStatus = h("p", { class: "hint", role: "status", "data-testid": "journal-list-status" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Show older entries");
  let shown = PAGE;
  const search = searchForm(state, async (params) => {
    params.set("limit", String(shown));
    state.entries = await api("GET", `/api/journal?${params}`);
    more.hidden = state.entries.length < shown;
    draw();
    params.delete("limit");
    listStatus.textContent = params.toString()
      ? `${count(state.entries.length, "entry", "entries")}${more.hidden ? "" : " or more"} found.` : "";
  });
  more.addEventListener("click", async () => {
    const first = state.entries.length;
    shown += PAGE;
    await search.run();
    list.querySelectorAll("[data-testid=journal-entry] h3")[first]?.setAttribute("tabindex", "-1");
    list.querySelectorAll("[data-testid=journal-entry] h3")[first]?.focus();
  });

  function draw() {
    list.replaceChildren(...(state.entries.length
      ? state.entries.map((entry) => entryCard(entry, state, labels, { changed, removed }))
      : [h("p", { class: "hint" }, search.active() ? "No entries match. Try other words or another feeling." : "No entries yet. Whenever you're ready.")]));
  }
  /** Redraw; focus `focusId`, or the entry's heading when that control is not drawn (e.g. nobody to share with). */
  async function changed(focusId, headingId) {
    await search.run();
    const target = document.getElementById(focusId) || (headingId && document.getElementById(headingId));
    if (target && target.tagName === "H3") target.setAttribute("tabindex", "-1");
    target?.focus();
  }
  async function removed() {
    await search.run();
    document.getElementById("entries-heading").focus();
  }

  mount(
    h("h1", {}, "Your journal"),
    h("p", {}, "This is yours alone. Your partner never sees it, and neither does a facilitator, unless you choose to share one entry with them."),
    h("section", { "aria-labelledby": "write-heading" },
      h("h2", { id: "write-heading" }, "Write"),
      writeForm(state, async () => { await search.run(); })),
    h("section", { "aria-labelledby": "entries-heading" },
      h("h2", { id: "entries-heading", tabindex: "-1" }, "Your entries"),
      search.element, listStatus, list, more));
  more.hidden = state.entries.length < PAGE;
  draw();
}

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The words box with a count of characters as people see them (no maxlength: a paste is never cut). */
function wordsBox(id, max, value = "") {
  const box = h("textarea", { id, name: "text", required: true, "aria-describedby": `${id}-count ${id}-error` });
  box.value = value;
  const countLine = h("p", { class: "hint", id: `${id}-count`, "aria-live": "polite", "data-testid": "char-count" });
  const show = () => {
    const n = visibleLength(box.value);
    const over = n - max;
    countLine.classList.toggle("warn", n >= max * 0.9);
    countLine.textContent = over > 0
      ? `${n} of ${max} characters: ${over} over the limit. Nothing has been cut; you could split it into two entries.`
      : `${n} of ${max} characters`;
  };
  box.addEventListener("input", show);
  show();
  return [box, countLine];
}

function feelingChips(idPrefix, feelings, chosen = []) {
  return h("fieldset", { class: "chips" },
    h("legend", {}, "Feelings (optional)"),
    h("div", { class: "chip-row" },
      feelings.map((f) => h("label", { class: "chip" },
        h("input", { type: "checkbox", name: "feelings", value: f.id, id: `${idPrefix}-${f.id}`, checked: chosen.includes(f.id) }),
        h("span", {}, f.label)))));
}

function chosenFeelings(form) {
  return [...form.querySelectorAll('input[name="feelings"]:checked')].map((input) => input.value);
}

function writeForm(state, saved) {
  const { prompts, feelings, entry_max_chars: max } = state.options;
  let start = Math.floor(Math.random() * prompts.length);
  const promptArea = h("div", { class: "prompt-choices" });
  function drawPrompts(keep) {
    const offered = Array.from({ length: Math.min(OFFERED, prompts.length) }, (_, i) => prompts[(start + i) % prompts.length]);
    promptArea.replaceChildren(
      h("label", { class: "choice" }, h("input", { type: "radio", name: "prompt_id", value: "", checked: !keep }), "No prompt, just write"),
      ...offered.map((p) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "prompt_id", value: p.id, checked: keep === p.id }), p.text)));
  }
  drawPrompts(null);
  const other = h("button", { type: "button", class: "secondary small" }, "Other prompts");
  other.addEventListener("click", () => {
    start = (start + OFFERED) % prompts.length;
    drawPrompts(null);
    announce("Other prompts are offered.");
    promptArea.querySelector("input").focus();
  });
  const [box, countLine] = wordsBox("journal-text", max);
  const error = h("p", { class: "field-error", id: "journal-text-error", hidden: true });
  const status = h("p", { class: "hint", role: "status", "data-testid": "write-status" });
  const failed = h("p", { class: "form-error", role: "alert", hidden: true });
  const button = h("button", { type: "submit" }, "Save entry");
  const form = h("form", { class: "card stack", novalidate: true },
    h("fieldset", {}, h("legend", {}, "A prompt, if you'd like one"), promptArea, other),
    h("div", { class: "field" }, h("label", { for: "journal-text" }, "Your words"), box, countLine, error),
    feelingChips("write-feeling", feelings),
    button, status, failed);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    failed.hidden = true;
    status.textContent = "";
    const promptId = form.querySelector('input[name="prompt_id"]:checked')?.value || null;
    button.disabled = true;
    try {
      await api("POST", "/api/journal", { text: box.value, prompt_id: promptId, feelings: chosenFeelings(form) });
      form.reset();
      box.dispatchEvent(new Event("input"));
      drawPrompts(null);
      showFieldErrors(form, null);
      status.textContent = "Saved in your journal. Only you can read it.";
      await saved();
    } catch (problem) {
      if (!showFieldErrors(form, problem)) { failed.textContent = problem.message; failed.hidden = false; }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function searchForm(state, run) {
  // No maxlength (it counts UTF-16 units, so an emoji would count twice): the same live count as the words box.
  const max = state.options.search_max_chars;
  const words = h("input", { type: "search", id: "journal-search", name: "q", autocomplete: "off",
    "aria-describedby": "journal-search-count" });
  const countLine = h("p", { class: "hint", id: "journal-search-count", "aria-live": "polite", "data-testid": "search-count" });
  const showCount = () => {
    const n = visibleLength(words.value.trim());
    countLine.classList.toggle("warn", n > max);
    countLine.textContent = n > max ? `${n} of ${max} characters: a little shorter, please.` : `${n} of ${max} characters`;
  };
  words.addEventListener("input", showCount);
  showCount();
  const feeling = h("select", { id: "journal-feeling", name: "feeling" },
    h("option", { value: "" }, "Any feeling"),
    state.options.feelings.map((f) => h("option", { value: f.id }, f.label)));
  const failed = h("p", { class: "form-error", role: "alert", hidden: true });
  const params = () => {
    const p = new URLSearchParams();
    if (words.value.trim()) p.set("q", words.value.trim());
    if (feeling.value) p.set("feeling", feeling.value);
    return p;
  };
  async function go() {
    failed.hidden = true;
    try { await run(params()); } catch (problem) { failed.textContent = problem.message; failed.hidden = false; }
  }
  const form = h("form", { class: "row search-row", role: "search", "aria-label": "Search your journal" },
    h("div", { class: "field grow" }, h("label", { for: "journal-search" }, "Search your words"), words, countLine),
    h("div", { class: "field" }, h("label", { for: "journal-feeling" }, "Feeling"), feeling),
    h("button", { type: "submit", class: "secondary" }, "Search"),
    failed);
  form.addEventListener("submit", (event) => { event.preventDefault(); go(); });
  feeling.addEventListener("change", go);
  return { element: form, run: go, active: () => Boolean(params().toString()) };
}

function entryCard(entry, state, labels, { changed, removed }) {
  const id = `entry-${entry.id}`;
  const card = h("article", { class: "card stack journal-entry", "aria-labelledby": `${id}-title`, "data-testid": "journal-entry" });
  // Where a failed stop-sharing or delete says so; kept across redraws of the card.
  const failed = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "entry-failed" });
  const tryAgain = (what, problem) => { failed.textContent = `We could not ${what} just now: ${problem.message}`; failed.hidden = false; };
  const when = `${formatDate(entry.created_at)}, ${new Date(entry.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
  function view() {
    const edited = entry.updated_at !== entry.created_at;
    card.replaceChildren(...[
      h("h3", { id: `${id}-title` }, when),
      entry.prompt ? h("p", { class: "journal-prompt" }, entry.prompt) : null,
      h("p", { class: "journal-text" }, entry.text),
      entry.feelings.length ? h("p", { class: "hint" }, `Feelings: ${entry.feelings.map((f) => labels.get(f) || f).join(", ")}`) : null,
      edited ? h("p", { class: "hint" }, `Edited ${formatDate(entry.updated_at)}`) : null,
      entry.shared_with ? h("p", { class: "notice", "data-testid": "shared-note" },
        `Shared with ${entry.shared_with.facilitator_display_name}. They see this entry as it is now, including any edit, until you stop sharing.`) : null,
      h("div", { class: "row" },
        h("button", { type: "button", class: "secondary small", id: `${id}-edit`, onclick: edit, "aria-label": `Edit the entry of ${when}` }, "Edit"),
        shareControl(),
        h("button", { type: "button", class: "quiet", id: `${id}-delete`, onclick: () => { dialog.returnValue = ""; dialog.showModal(); }, "aria-label": `Delete the entry of ${when}` }, "Delete")),
      failed, dialog, shareDialog].filter(Boolean));
  }
  function shareControl() {
    if (entry.shared_with) {
      return h("button", { type: "button", class: "secondary small", id: `${id}-unshare`, onclick: unshare,
        "aria-label": `Stop sharing the entry of ${when}` }, "Stop sharing");
    }
    if (!state.facilitators.length) return null;
    return h("button", { type: "button", class: "secondary small", id: `${id}-share`, onclick: () => { shareDialog.returnValue = ""; shareDialog.showModal(); },
      "aria-label": `Share with a facilitator: the entry of ${when}` }, "Share with a facilitator…");
  }
  function edit() {
    const [box, countLine] = wordsBox(`${id}-text`, state.options.entry_max_chars, entry.text);
    const error = h("p", { class: "field-error", id: `${id}-text-error`, hidden: true });
    const failed = h("p", { class: "form-error", role: "alert", hidden: true });
    const form = h("form", { class: "stack", novalidate: true },
      h("h3", { id: `${id}-title` }, `Editing: ${when}`),
      entry.prompt ? h("p", { class: "journal-prompt" }, entry.prompt) : null,
      h("div", { class: "field" }, h("label", { for: `${id}-text` }, "Your words"), box, countLine, error),
      feelingChips(`${id}-feeling`, state.options.feelings, entry.feelings),
      entry.shared_with ? h("p", { class: "hint" }, `${entry.shared_with.facilitator_display_name} will see your new words once you save.`) : null,
      h("div", { class: "row" },
        h("button", { type: "submit" }, "Save changes"),
        h("button", { type: "button", class: "secondary", onclick: () => { view(); document.getElementById(`${id}-edit`).focus(); } }, "Cancel")),
      failed);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PATCH", `/api/journal/${entry.id}`, { text: box.value, feelings: chosenFeelings(form) });
        announce("Your changes are saved.");
        await changed(`${id}-edit`);
      } catch (problem) {
        if (!showFieldErrors(form, problem)) { failed.textContent = problem.message; failed.hidden = false; }
      }
    });
    card.replaceChildren(form);
    box.focus();
  }
  async function unshare() {
    failed.hidden = true;
    try {
      await api("DELETE", "/api/journal/share");
    } catch (problem) {
      tryAgain("stop sharing", problem);
      return;
    }
    announce("You stopped sharing. The facilitator no longer sees it.");
    await changed(`${id}-share`, `${id}-title`);
  }
  const dialog = h("dialog", { "aria-labelledby": `${id}-delete-title` },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: `${id}-delete-title` }, "Delete this entry?"),
      h("p", {}, "It is gone for good, for you and for anyone you shared it with. This can't be undone."),
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, "Delete it"),
        h("button", { type: "submit", value: "cancel", class: "secondary", autofocus: true }, "Keep it"))));
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "ok") { document.getElementById(`${id}-delete`)?.focus(); return; }
    failed.hidden = true;
    try {
      await api("DELETE", `/api/journal/${entry.id}`);
    } catch (problem) {
      tryAgain("delete it", problem);
      document.getElementById(`${id}-delete`)?.focus();
      return;
    }
    announce("The entry is deleted.");
    await removed();
  });
  const shareDialog = shareDialogFor(entry, state, id, changed);
  view();
  return card;
}

function shareDialogFor(entry, state, id, changed) {
  const facilitators = state.facilitators;
  const pick = h("select", { id: `${id}-share-with` }, facilitators.map((f) => h("option", { value: f.id }, f.facilitator_display_name)));
  const failed = h("p", { class: "form-error", role: "alert", hidden: true });
  const dialog = h("dialog", { "aria-labelledby": `${id}-share-title` },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: `${id}-share-title` }, "Share this one entry?"),
      facilitators.length > 1
        ? h("div", { class: "field" }, h("label", { for: `${id}-share-with` }, "With"), pick)
        : h("p", {}, `With ${facilitators[0]?.facilitator_display_name}, your facilitator.`),
      h("p", {}, "They will see this entry's words, its prompt and its feelings, in their view of your couple. " +
        "If you edit it, they see the new words. Your partner never sees it, nor any other entry."),
      h("p", {}, "You share one entry at a time: sharing this one takes back any other. You can stop sharing whenever you like, and it stops by itself if the facilitator is unlinked."),
      failed,
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, "Share it"),
        // The safe choice has the focus: Enter or a stray tap does not share.
        h("button", { type: "submit", value: "cancel", class: "secondary", autofocus: true }, "Not now"))));
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "ok") { failed.hidden = true; document.getElementById(`${id}-share`)?.focus(); return; }
    failed.hidden = true;
    try {
      const shared = await api("PUT", `/api/journal/${entry.id}/share`, { link_id: facilitators.length > 1 ? pick.value : facilitators[0].id });
      announce(`Shared with ${shared.facilitator_display_name}.`);
      await changed(`${id}-unshare`, `${id}-title`);
    } catch (problem) {
      // Open again with the reason, so the person can try again or choose "Not now".
      failed.textContent = `It was not shared: ${problem.message}`;
      failed.hidden = false;
      dialog.returnValue = "";
      dialog.showModal();
    }
  });
  return dialog;
}
