import { api } from "../api.js";
import { navigate } from "../app.js";
import { h, mount } from "../dom.js";

export async function showInvite(app, code) {
  if (!app.me) {
    sessionStorage.setItem("duologue.next", `/invite/${encodeURIComponent(code)}`);
    mount(
      h("h1", {}, "You've been invited to Duologue"),
      h("p", {}, "Your partner would like to practise with you. Create an account (or sign in), and we'll bring you straight back to accept."),
      h("div", { class: "row" },
        h("a", { class: "button", href: "/signup", "data-link": true }, "Create an account"),
        h("a", { class: "button secondary", href: "/signin", "data-link": true }, "Sign in")));
    return;
  }
  const message = h("p", { role: "alert", class: "form-error", hidden: true });
  let preview = null;
  try {
    preview = await api("GET", `/api/invites/${encodeURIComponent(code)}`);
  } catch (error) {
    mount(h("h1", {}, "This invite can't be used"), h("p", {}, error.message),
      h("a", { href: "/home", "data-link": true }, "Back to home"));
    return;
  }
  const accept = h("button", { type: "button", onclick: async () => {
    accept.disabled = true;
    try {
      await api("POST", `/api/invites/${encodeURIComponent(code)}/accept`);
      navigate("/home");
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      accept.disabled = false;
    }
  } }, `Pair with ${preview.inviter_display_name}`);
  mount(
    h("h1", {}, `${preview.inviter_display_name} invited you`),
    h("div", { class: "card stack" },
      h("p", {}, `Accept to practise together with ${preview.inviter_display_name}. You'll each see the other's display name, never their email unless they choose to share it.`),
      accept, message));
}
