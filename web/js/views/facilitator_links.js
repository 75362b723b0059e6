// A partner's side of facilitation: accept a facilitator, confirm, decide about summaries, unlink.
import { api } from "../api.js";
import { navigate, renderNav } from "../app.js";
import { field, h } from "../dom.js";

/** Draw the "Your facilitator" section from GET /api/facilitators; `refresh` redraws after a change. */
export function renderFacilitators(area, links, refresh) {
  const heading = h("h2", { id: "facilitator-heading" }, "Your facilitator");
  const message = h("p", { class: "form-error", role: "alert", hidden: true });
  const fail = (error) => { message.textContent = error.message; message.hidden = false; };
  const cards = links.map((link) => linkCard(link, refresh, fail));
  area.replaceChildren(heading, ...cards, ...(links.length ? [] : [codeForm()]), message);
  area.hidden = false;
}

function codeForm() {
  const input = h("input", { type: "text", name: "facilitator_code", autocomplete: "off", spellcheck: "false", maxlength: 20 });
  const form = h("form", { class: "card stack" },
    h("p", {}, "Working with a couples therapist? They can join the sessions they start for you both and help you pace them. " +
      "Nothing is linked until you both agree, and either of you can unlink them at any time."),
    field({ id: "facilitator-code", label: "Have a code from your facilitator?", input, hint: "For example K7QM4-XTR9B" }),
    h("button", { type: "submit", class: "secondary" }, "Use this code"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) navigate(`/facilitator-invite/${encodeURIComponent(input.value.trim())}`);
  });
  return form;
}

function linkCard(link, refresh, fail) {
  const name = link.facilitator_display_name;
  const remove = async () => { try { await api("DELETE", `/api/facilitators/${link.id}`); refresh(); } catch (error) { fail(error); } };
  if (link.status !== "linked") {
    if (link.accepted_by_me) {
      return h("div", { class: "card stack", "data-testid": "facilitator-link" },
        h("p", {}, `You accepted ${name} as your facilitator. Waiting for your partner to confirm.`),
        h("p", { class: "hint" }, "Nothing is shared with them until you both agree."),
        h("button", { type: "button", class: "quiet", onclick: remove }, "Cancel this"));
    }
    return h("div", { class: "card stack", "data-testid": "facilitator-link" },
      h("p", {}, `Your partner accepted ${name} as your facilitator. Confirm if you'd like to work with them too.`),
      h("p", { class: "hint" }, `${name} will be able to start sessions for you both, join them and see what you share with each other during them. ` +
        "Never your private reflections. Your summaries stay yours unless you choose to share them."),
      h("div", { class: "row" },
        h("button", { type: "button", onclick: async () => {
          try { await api("POST", `/api/facilitators/${link.id}/confirm`); refresh(); } catch (error) { fail(error); }
        } }, "Confirm"),
        h("button", { type: "button", class: "secondary", onclick: remove }, "Not now")));
  }

  const switchId = `consent-${link.id}`;
  const saved = h("p", { class: "hint", role: "status", "data-testid": "consent-status" });
  const consent = h("input", { type: "checkbox", role: "switch", id: switchId, checked: link.share_my_summaries,
    "aria-describedby": `${switchId}-hint` });
  consent.addEventListener("change", async () => {
    const share = consent.checked;
    consent.disabled = true;
    try {
      await api("PUT", `/api/facilitators/${link.id}/consent`, { share_summaries: share });
      saved.textContent = share ? `Saved. ${name} can now read your summaries.` : `Saved. ${name} can no longer read your summaries.`;
    } catch (error) {
      consent.checked = !share;
      fail(error);
    } finally {
      consent.disabled = false;
    }
  });
  const dialog = h("dialog", { "aria-labelledby": `unlink-title-${link.id}` },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: `unlink-title-${link.id}` }, `Unlink ${name}?`),
      h("p", {}, `From now on ${name} can't join your sessions, start new ones or read your summaries. ` +
        "This happens straight away, for both of you. You don't need to give a reason."),
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, "Unlink"),
        h("button", { type: "submit", value: "cancel", class: "secondary" }, "Keep them"))));
  dialog.addEventListener("close", () => { if (dialog.returnValue === "ok") remove(); });
  return h("div", { class: "card stack", "data-testid": "facilitator-link" },
    h("p", {}, `${name} is your facilitator.`),
    h("div", { class: "switch-row" },
      consent,
      h("div", {},
        h("label", { for: switchId }, `Let ${name} read my session summaries`),
        h("p", { class: "hint", id: `${switchId}-hint` },
          `Off unless you turn it on. Only your summaries of sessions ${name} ran with you both, never your private reflections. ` +
          "Your partner decides for theirs. Turn it off and they're hidden again at once."))),
    saved,
    h("button", { type: "button", class: "quiet", onclick: () => dialog.showModal() }, `Unlink ${name}`),
    dialog);
}

/** A quiet card for therapists: turn the facilitator tools on for this account. */
export function therapistCard(app) {
  if (app.me.is_facilitator) {
    return h("p", { class: "hint" }, "You have facilitator tools. ",
      h("a", { href: "/facilitator", "data-link": true }, "Open your facilitator dashboard"), ".");
  }
  const message = h("p", { class: "form-error", role: "alert", hidden: true });
  const button = h("button", { type: "button", class: "secondary", onclick: async () => {
    button.disabled = true;
    try {
      app.me = await api("PATCH", "/api/me", { is_facilitator: true });
      renderNav();
      navigate("/facilitator");
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      button.disabled = false;
    }
  } }, "Turn on facilitator tools");
  return h("div", { class: "card stack" },
    h("p", {}, "Are you a couples therapist? Facilitator tools let you invite couples you work with, start sessions for them and pace them live."),
    button, message);
}
