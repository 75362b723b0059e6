// A facilitator's invite link, as a partner opens it: what it means, then accept (the other partner confirms).
import { api } from "../api.js";
import { navigate } from "../app.js";
import { h, mount } from "../dom.js";

export async function showFacilitatorInvite(app, code) {
  const path = `/facilitator-invite/${encodeURIComponent(code)}`;
  if (!app.me) {
    sessionStorage.setItem("duologue.next", path);
    mount(
      h("h1", {}, "Your facilitator invited you to Duologue"),
      h("p", {}, "A couples therapist would like to practise with you and your partner here. " +
        "Create an account (or sign in), and we'll bring you straight back to this invite."),
      h("div", { class: "row" },
        h("a", { class: "button", href: "/signup", "data-link": true }, "Create an account"),
        h("a", { class: "button secondary", href: "/signin", "data-link": true }, "Sign in")));
    return;
  }
  let inviter = "A couples therapist";
  try {
    const preview = await api("GET", `/api/facilitator-invites/${encodeURIComponent(code)}`);
    inviter = preview.facilitator_display_name;
  } catch (error) {
    mount(h("h1", {}, "This invite can't be used"), h("p", {}, error.message),
      h("a", { href: "/home", "data-link": true }, "Back to home"));
    return;
  }
  const message = h("div", { role: "alert", class: "form-error" });
  const accept = h("button", { type: "button", onclick: async () => {
    accept.disabled = true;
    message.replaceChildren();
    try {
      await api("POST", `/api/facilitator-invites/${encodeURIComponent(code)}/accept`);
      navigate("/home");
    } catch (error) {
      message.replaceChildren(h("p", {}, error.message),
        error.code === "not_paired" ? h("p", {}, h("a", { href: "/home", "data-link": true }, "Pair with your partner first")) : null);
      accept.disabled = false;
    }
  } }, "Accept this facilitator");
  mount(
    h("h1", {}, `Work with ${inviter}`),
    h("div", { class: "card stack" },
      h("p", {}, `${inviter}, a couples therapist, invited you and your partner to practise with them in Duologue.`),
      h("ul", {},
        h("li", {}, "When you accept, your partner is asked to confirm. Nothing is linked until you both agree."),
        h("li", {}, "Your facilitator can start sessions for you both, join them, and see what you share with each other during them."),
        h("li", {}, "They never see your private reflections. They read your summaries only if you choose to share them."),
        h("li", {}, "Either of you can unlink them at any time, and it takes effect at once.")),
      h("p", { class: "hint" }, `Invite code: ${code}`),
      h("div", { class: "row" }, accept, h("a", { class: "button secondary", href: "/home", "data-link": true }, "Not now")),
      message));
}
