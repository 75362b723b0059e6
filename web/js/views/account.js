// "Your account": my name, my data to take with me, my password, my sign-ins, and leaving for good.
import { api } from "../api.js";
import { navigate, renderNav } from "../app.js";
import { field, h, mount, showFieldErrors } from "../dom.js";

export function showAccount(app) {
  mount(
    h("h1", {}, "Your account"),
    h("p", {}, "Everything here is about you alone. Nothing you do on this page is shown to your partner, except that a deleted account ends your couple."),
    section("name", "Your name", nameForm(app)),
    section("data", "Your data",
      h("p", {}, "Download everything Duologue keeps about you: your account, your couple, the sessions you took part in, your own answers and your summaries. " +
        "Your partner's private reflections are never in it."),
      h("a", { class: "button secondary", href: "/api/me/export", download: "duologue-export.json" }, "Download my data (JSON)")),
    section("password", "Change your password", passwordForm()),
    section("devices", "Where you're signed in", signOutEverywhere(app)),
    section("delete", "Delete your account", deleteAccount(app)),
  );
}

function section(id, title, ...content) {
  return h("section", { "aria-labelledby": `${id}-heading` },
    h("h2", { id: `${id}-heading` }, title), h("div", { class: "card stack" }, ...content));
}

function status() {
  return h("p", { class: "hint", role: "status" });
}

function problem() {
  return h("p", { class: "form-error", role: "alert", hidden: true });
}

async function submitting(form, button, failed, work) {
  failed.hidden = true;
  button.disabled = true;
  try {
    await work();
  } catch (error) {
    if (!showFieldErrors(form, error)) { failed.textContent = error.message; failed.hidden = false; }
  } finally {
    button.disabled = false;
  }
}

function nameForm(app) {
  const input = h("input", { type: "text", name: "display_name", autocomplete: "nickname", required: true, maxlength: 60,
    value: app.me.display_name });
  const saved = status();
  const failed = problem();
  const button = h("button", { type: "submit", class: "secondary" }, "Save my name");
  const form = h("form", { novalidate: true, class: "stack" },
    field({ id: "account-name", label: "What should we call you?", input, hint: "Your partner sees this name." }),
    button, saved, failed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saved.textContent = "";
    submitting(form, button, failed, async () => {
      app.me = await api("PATCH", "/api/me", { display_name: input.value });
      renderNav();
      saved.textContent = `Saved. We'll call you ${app.me.display_name}.`;
    });
  });
  return form;
}

function passwordForm() {
  const current = h("input", { type: "password", name: "current_password", autocomplete: "current-password", required: true, maxlength: 1024 });
  const next = h("input", { type: "password", name: "new_password", autocomplete: "new-password", required: true, minlength: 10, maxlength: 1024 });
  const saved = status();
  const failed = problem();
  const button = h("button", { type: "submit", class: "secondary" }, "Change my password");
  const form = h("form", { novalidate: true, class: "stack" },
    field({ id: "current-password", label: "Your current password", input: current }),
    field({ id: "new-password", label: "Your new password", input: next,
      hint: "At least 10 characters and not a common one. A short sentence of a few unrelated words works well." }),
    h("p", { class: "hint" }, "You stay signed in here. Every other device is signed out."),
    button, saved, failed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saved.textContent = "";
    submitting(form, button, failed, async () => {
      await api("POST", "/api/me/password", { current_password: current.value, new_password: next.value });
      current.value = "";
      next.value = "";
      saved.textContent = "Your password is changed. Every other device has been signed out.";
    });
  });
  return form;
}

function signOutEverywhere(app) {
  const failed = problem();
  const dialog = confirmDialog("everywhere", "Sign out everywhere?",
    "Every phone, tablet and computer where you're signed in, this one too, is signed out straight away. " +
    "Any session you have open there closes; you can sign in again and rejoin it.",
    "Sign out everywhere", "Stay signed in");
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "ok") return;
    try {
      await api("POST", "/api/me/sign-out-everywhere");
      app.me = null;
      sessionStorage.setItem("duologue.notice", "You've been signed out everywhere.");
      navigate("/signin"); // the sign-in page shows the notice, as a status message
    } catch (error) { failed.textContent = error.message; failed.hidden = false; }
  });
  return [
    h("p", {}, "Lost a phone, or signed in on a computer that isn't yours? Sign out on every device at once."),
    h("button", { type: "button", class: "secondary", onclick: () => dialog.showModal() }, "Sign out everywhere"),
    failed, dialog];
}

function deleteAccount(app) {
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, maxlength: 1024 });
  const failed = problem();
  const confirm = h("button", { type: "submit" }, "Delete my account");
  const form = h("form", { novalidate: true, class: "stack" },
    h("h2", { id: "delete-title" }, "Delete your account for good?"),
    h("p", {}, "This can't be undone. Take a moment if you need it."),
    field({ id: "delete-password", label: "Your password, to confirm", input: password }),
    failed,
    h("div", { class: "row" },
      confirm,
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Keep my account")));
  const dialog = h("dialog", { "aria-labelledby": "delete-title" }, form);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(form, confirm, failed, async () => {
      await api("POST", "/api/me/delete", { password: password.value });
      dialog.close();
      app.me = null;
      history.replaceState({}, "", "/");
      renderNav();
      mount(
        h("h1", {}, "Your account is deleted"),
        h("p", {}, "Everything of yours is gone from Duologue, and you're signed out everywhere. Thank you for the practice you did here."),
        h("p", {}, "Take good care of yourself. ", h("a", { href: "/", "data-link": true }, "Back to the start")));
    });
  });
  return [
    h("p", {}, "Deleting your account signs you out everywhere, ends your couple and any link with a facilitator, and erases your private reflections, your summaries and your answers."),
    h("p", {}, "Your partner keeps their own summaries of your sessions together, with your words replaced by a short note that they were removed. " +
      "A facilitator keeps the notes they wrote themself."),
    h("p", { class: "hint" }, "You might like to download your data first."),
    h("button", { type: "button", class: "secondary", onclick: () => { failed.hidden = true; dialog.showModal(); } }, "Delete my account…"),
    dialog];
}

function confirmDialog(id, title, text, yes, no) {
  return h("dialog", { "aria-labelledby": `${id}-title` },
    h("form", { method: "dialog", class: "stack" },
      h("h2", { id: `${id}-title` }, title),
      h("p", {}, text),
      h("div", { class: "row" },
        h("button", { type: "submit", value: "ok" }, yes),
        h("button", { type: "submit", value: "cancel", class: "secondary" }, no))));
}
