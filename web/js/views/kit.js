// The self-soothing kit: a short list of what helps me calm down, only ever mine, with the solo
// practices next to it. Bounds (how many, how long) come from the server, which keeps them in one place.
import { api } from "../api.js";
import { formatDate, h, mount } from "../dom.js";
import { minutesOf, runSolo } from "./solo.js";

const KIND_NAMES = { breathing: "Breathing", grounding: "Grounding" };

export async function showKit(app) {
  const listArea = h("section", { "aria-labelledby": "kit-heading" });
  const addArea = h("section", { "aria-labelledby": "add-heading" });
  const practiceArea = h("section", { "aria-labelledby": "calm-heading" });
  const logArea = h("section", { "aria-labelledby": "log-heading" });
  // A change that did not go through says so (and the list stays as it was), never silently.
  const problem = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "kit-problem" });
  mount(h("h1", {}, "Your calming kit"),
    h("p", {}, "What helps you calm down when feelings run high, kept close for when you need it. Only you see this."),
    listArea, problem, practiceArea, addArea, logArea,
    h("p", {}, h("a", { href: "/between", "data-link": true }, "Back to Between sessions")));
  const stopPractice = await renderPractices(practiceArea, { onLogged: () => renderLog(logArea) });
  app.leave = () => stopPractice();

  /** Run one change; true when it went through, otherwise the alert line says what went wrong. */
  async function attempt(call) {
    try {
      await call();
      problem.hidden = true;
      return true;
    } catch (error) {
      problem.textContent = `That didn't go through: ${error.message} Please try again.`;
      problem.hidden = false;
      return false;
    }
  }

  async function refresh(focusSelector) {
    let kit;
    try {
      kit = await api("GET", "/api/kit");
    } catch (error) {
      listArea.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
      return;
    }
    renderList(kit);
    renderAdd(kit);
    if (focusSelector) document.querySelector(focusSelector)?.focus();
  }

  function renderList(kit) {
    const status = h("p", { class: "hint", role: "status", "data-testid": "kit-count" }, `${kit.items.length} of ${kit.max_items}`);
    const ids = kit.items.map((i) => i.id);
    const move = async (index, by) => {
      const order = [...ids];
      [order[index], order[index + by]] = [order[index + by], order[index]];
      if (await attempt(() => api("PUT", "/api/kit/order", { ids: order }))) await refresh(`[data-kit-move="${order[index + by]}:${by}"]`);
    };
    listArea.replaceChildren(h("h2", { id: "kit-heading", tabindex: "-1" }, "What helps me"), // focused after a removal
      kit.items.length
        ? h("ol", { class: "kit-list", "data-testid": "kit-list" }, kit.items.map((item, index) => h("li", {},
          h("span", { class: "kit-text" }, item.text),
          h("span", { class: "kit-actions" },
            h("button", { type: "button", class: "small secondary", "aria-label": `Move up: ${item.text}`, disabled: index === 0,
              "data-kit-move": `${item.id}:-1`, onclick: () => move(index, -1) }, "↑"),
            h("button", { type: "button", class: "small secondary", "aria-label": `Move down: ${item.text}`, disabled: index === kit.items.length - 1,
              "data-kit-move": `${item.id}:1`, onclick: () => move(index, 1) }, "↓"),
            h("button", { type: "button", class: "small quiet", "aria-label": `Remove: ${item.text}`, onclick: async () => {
              if (await attempt(() => api("DELETE", `/api/kit/${item.id}`))) await refresh("#kit-heading");
            } }, "Remove")))))
        : h("p", { class: "hint" }, "Nothing here yet. Start with a suggestion below, or add your own words."),
      status);
  }

  function renderAdd(kit) {
    const inKit = new Set(kit.items.map((i) => i.suggestion_id).filter(Boolean));
    const full = kit.items.length >= kit.max_items;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const input = h("input", { type: "text", id: "kit-own", name: "text", maxlength: kit.max_length, autocomplete: "off", disabled: full });
    const form = h("form", { class: "stack" },
      h("label", { for: "kit-own" }, "In your own words"),
      h("p", { class: "hint", id: "kit-own-hint" }, `Up to ${kit.max_length} characters. For example: “Holding something warm”.`),
      input, error,
      h("button", { type: "submit", disabled: full }, "Add to my kit"));
    input.setAttribute("aria-describedby", "kit-own-hint");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("POST", "/api/kit", { text: input.value });
        await refresh("#kit-own");
      } catch (problem) {
        error.textContent = problem.message;
        error.hidden = false;
      }
    });
    const offered = kit.suggestions.filter((s) => !inKit.has(s.id));
    addArea.replaceChildren(h("h2", { id: "add-heading", tabindex: "-1" }, "Add to your kit"), // focused after an addition
      full ? h("p", { class: "hint" }, `Your kit holds ${kit.max_items} things. Remove one to make room for another.`) : null,
      offered.length ? h("p", {}, "Ideas others find helpful. One tap adds one:") : null,
      h("ul", { class: "suggestions" }, offered.map((s) => h("li", {},
        h("button", { type: "button", class: "secondary small", disabled: full, "aria-label": `Add: ${s.text}`, onclick: async () => {
          if (await attempt(() => api("POST", "/api/kit", { suggestion_id: s.id }))) await refresh("#add-heading");
        } }, `+ ${s.text}`)))),
      h("div", { class: "card" }, form));
  }

  await refresh();
  await renderLog(logArea);
}

/** The two solo practices as buttons; a chosen one runs in place. Returns a stop function. */
export async function renderPractices(area, { onLogged = () => {}, headingLevel = "h2" } = {}) {
  let stop = () => {};
  const runner = h("div", {});
  const practices = await api("GET", "/api/solo/practices").catch(() => []);
  const choices = h("div", { class: "row" }, practices.map((p) => h("button", { type: "button", class: "secondary",
    "data-testid": `start-${p.kind}`, onclick: async () => {
      choices.hidden = true;
      stop = await runSolo(runner, p.kind, { headingLevel: headingLevel === "h2" ? "h3" : "h4", onClose: () => { runner.replaceChildren(); choices.hidden = false; choices.querySelector("button")?.focus(); onLogged(); } });
    } }, `${p.kind === "breathing" ? "Breathe slowly" : "Grounding"} (${minutesOf(p.duration_seconds)})`)));
  area.replaceChildren(h(headingLevel, { id: "calm-heading" }, "Calm down now"),
    h("p", { class: "hint" }, "On your own, no partner needed: slow breathing at the pace you know from sessions, or five-four-three-two-one grounding."),
    choices, runner);
  return () => stop();
}

async function renderLog(area) {
  const log = await api("GET", "/api/solo/log").catch(() => []);
  area.replaceChildren(h("h2", { id: "log-heading" }, "Your recent practice"),
    log.length
      ? h("ul", { class: "summary-list", "data-testid": "solo-log" }, log.slice(0, 7).map((p) => h("li", {}, `${KIND_NAMES[p.kind] || p.kind}, ${formatDate(p.completed_at)}`)))
      : h("p", { class: "hint" }, "When you finish a breathing or grounding practice, it's noted here, just for you."));
}

/** The kit as a panel inside the live session, during a pause (my space, my partner's, or one moment):
 * my list, and the practices in place. */
export async function fillSpaceKit(panel, { waiting = false } = {}) {
  const list = h("div", {});
  const practices = h("div", {});
  panel.replaceChildren(
    h("h2", { id: "space-kit-heading", tabindex: "-1" }, waiting ? "While you wait" : "While you take space"),
    h("p", {}, waiting ? "The session stays paused and connected. A calm moment for you too, if it helps."
      : "The session stays paused and connected. Come back to it whenever you're ready."),
    list, practices,
    h("p", {}, h("a", { href: "/kit", target: "_blank", rel: "noopener" }, "Open your whole kit in a new tab")));
  const kit = await api("GET", "/api/kit").catch(() => null);
  list.replaceChildren(h("h3", {}, "What helps me"),
    kit?.items.length ? h("ul", { "data-testid": "space-kit-list" }, kit.items.map((i) => h("li", {}, i.text)))
      : h("p", { class: "hint" }, "Your kit is empty for now. Slow breathing below is always here."));
  return renderPractices(practices, { headingLevel: "h3" });
}
