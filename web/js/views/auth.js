import { api } from "../api.js";
import { continueAfterSignIn, renderNav } from "../app.js";
import { field, h, mount, showFieldErrors } from "../dom.js";

export function showAuth(app, mode) {
  const signingUp = mode === "signup";
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const inputs = {
    email: h("input", { type: "email", name: "email", autocomplete: "email", required: true, maxlength: 254 }),
    display_name: h("input", { type: "text", name: "display_name", autocomplete: "nickname", required: true, maxlength: 60 }),
    password: h("input", { type: "password", name: "password", required: true, maxlength: 1024,
      autocomplete: signingUp ? "new-password" : "current-password", minlength: signingUp ? 10 : 1 }),
  };
  const facilitatorBox = h("input", { type: "checkbox", name: "is_facilitator", id: "is_facilitator", "aria-describedby": "is_facilitator-hint" });
  const submit = h("button", { type: "submit" }, signingUp ? "Create my account" : "Sign in");
  const form = h("form", { novalidate: true },
    field({ id: "email", label: "Email", input: inputs.email }),
    signingUp ? field({ id: "display_name", label: "What should we call you?", input: inputs.display_name,
      hint: "Your partner sees this name." }) : null,
    field({ id: "password", label: "Password", input: inputs.password,
      hint: signingUp ? "At least 10 characters. A short sentence works well." : null }),
    signingUp ? h("div", { class: "field" },
      h("label", { class: "choice", for: "is_facilitator" }, facilitatorBox, "I'm a couples therapist (facilitator)"),
      h("p", { class: "hint", id: "is_facilitator-hint" },
        "Leave this unticked if you're here to practise with your partner. You can turn it on later from your home page.")) : null,
    formError,
    submit);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.hidden = true;
    submit.disabled = true;
    const body = { email: inputs.email.value, password: inputs.password.value };
    if (signingUp) { body.display_name = inputs.display_name.value; body.is_facilitator = facilitatorBox.checked; }
    try {
      app.me = await api("POST", signingUp ? "/api/accounts" : "/api/session", body);
      renderNav();
      continueAfterSignIn();
    } catch (error) {
      if (!showFieldErrors(form, error)) {
        formError.textContent = error.message;
        formError.hidden = false;
        (error.code === "wrong_credentials" ? inputs.password : inputs.email).focus();
      }
    } finally {
      submit.disabled = false;
    }
  });

  // A short word carried over from the page before (e.g. "You've been signed out everywhere.").
  const carried = sessionStorage.getItem("duologue.notice");
  sessionStorage.removeItem("duologue.notice");
  mount(
    h("h1", {}, signingUp ? "Create your account" : "Welcome back"),
    carried ? h("p", { class: "notice", role: "status" }, carried) : null,
    h("div", { class: "card" }, form),
    h("p", {}, signingUp ? "Already have an account? " : "New here? ",
      h("a", { href: signingUp ? "/signin" : "/signup", "data-link": true }, signingUp ? "Sign in" : "Create an account")));
}
