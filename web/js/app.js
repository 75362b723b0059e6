// Bootstraps the app: who is signed in, the page for the current path, and links that stay in the app.
import { api } from "./api.js";
import { h } from "./dom.js";
import { clearDrafts } from "./drafts.js";
import { showAccount } from "./views/account.js";
import { showAuth } from "./views/auth.js";
import { showBetween, showSoloPage } from "./views/between.js";
import { showFacilitatorDashboard } from "./views/facilitator.js";
import { showFacilitatorInvite } from "./views/facilitator_invite.js";
import { showFacilitatorSession } from "./views/facilitator_session.js";
import { showHistory } from "./views/history.js";
import { showHome } from "./views/home.js";
import { showInvite } from "./views/invite.js";
import { showJournal } from "./views/journal.js";
import { showNoticing } from "./views/noticing.js";
import { showProgress } from "./views/progress.js";
import { showSelfCheck } from "./views/self_check.js";
import { showKit } from "./views/kit.js";
import { showRhythm } from "./views/ritual.js";
import { showSession } from "./views/session.js";
import { showSummary } from "./views/summary.js";
import { showWelcome } from "./views/welcome.js";

export const app = { me: null, config: { help_url: "" }, leave: null };

const routes = [
  [/^\/$/, () => (app.me ? showHome(app) : showWelcome(app))],
  [/^\/signin$/, () => showAuth(app, "signin")],
  [/^\/signup$/, () => showAuth(app, "signup")],
  [/^\/home$/, () => showHome(app), true],
  [/^\/history$/, () => showHistory(app), true],
  [/^\/progress$/, () => showProgress(app), true, "wide"],
  [/^\/self-check$/, () => showSelfCheck(app), true],
  [/^\/account$/, () => showAccount(app), true],
  [/^\/journal$/, () => showJournal(app), true],
  [/^\/noticing$/, () => showNoticing(app), true],
  [/^\/between$/, () => showBetween(app), true],
  [/^\/kit$/, () => showKit(app), true],
  [/^\/breathe$/, () => showSoloPage(app, "breathing"), true],
  [/^\/grounding$/, () => showSoloPage(app, "grounding"), true],
  [/^\/rhythm$/, () => showRhythm(app), true],
  [/^\/invite\/([^/]+)$/, (code) => showInvite(app, decodeURIComponent(code))],
  [/^\/session\/([^/]+)$/, (id) => showSession(app, id), true],
  [/^\/summary\/([^/]+)$/, (id) => showSummary(app, id), true],
  [/^\/facilitator$/, () => showFacilitatorDashboard(app), true, "wide"],
  [/^\/facilitator-invite\/([^/]+)$/, (code) => showFacilitatorInvite(app, decodeURIComponent(code))],
  [/^\/facilitator\/session\/([^/]+)$/, (id) => showFacilitatorSession(app, id), true, "wide"],
];

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, "", path); else history.pushState({}, "", path);
  render();
}

function render() {
  if (app.leave) { app.leave(); app.leave = null; } // a live page closes its socket when you move on
  const path = location.pathname;
  for (const [pattern, view, needsSignIn, width] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    if (needsSignIn && !app.me) {
      sessionStorage.setItem("duologue.next", path + location.search); // e.g. a calendar link's ?plan=
      navigate("/signin", { replace: true });
      return;
    }
    renderNav();
    document.getElementById("main").dataset.width = width || "";
    view(...match.slice(1));
    return;
  }
  navigate("/", { replace: true });
}

/** A nav link whose words shorten on a phone, so the navigation stays one line at 360 px; its name stays whole. */
function navLink(href, name, short) {
  return h("a", { href, "data-link": true, "aria-label": name },
    h("span", { class: "nav-wide", "aria-hidden": "true" }, name), h("span", { class: "nav-narrow", "aria-hidden": "true" }, short));
}

export function renderNav() {
  const nav = document.getElementById("account-nav");
  if (app.me) {
    nav.replaceChildren(...[
      h("a", { href: "/home", "data-link": true }, "Home"),
      h("a", { href: "/history", "data-link": true }, "History"),
      h("a", { href: "/progress", "data-link": true }, "Progress"),
      navLink("/between", "Between sessions", "Between"),
      app.me.is_facilitator ? h("a", { href: "/facilitator", "data-link": true }, "Facilitator") : null,
      navLink("/account", "Your account", "Account"),
      h("span", { class: "hint signed-in" }, `Signed in as ${app.me.display_name}`),
      h("button", { type: "button", class: "quiet", onclick: signOut }, "Sign out")].filter(Boolean));
  } else {
    nav.replaceChildren(
      h("a", { href: "/signin", "data-link": true }, "Sign in"),
      h("a", { href: "/signup", "data-link": true }, "Sign up"));
  }
}

async function signOut() {
  await api("DELETE", "/api/session").catch(() => {});
  clearDrafts(); // half-typed answers never outlive the person who typed them
  app.me = null;
  navigate("/");
}

/** After signing in: go where the person was heading (an invite link, a session), or home. */
export function continueAfterSignIn() {
  const next = sessionStorage.getItem("duologue.next");
  sessionStorage.removeItem("duologue.next");
  navigate(next || (app.me?.is_facilitator ? "/facilitator" : "/home"));
}

function renderCareNote() {
  const footer = document.getElementById("care-note");
  footer.replaceChildren(h("p", {},
    "Duologue is a place to practise, not therapy. If things feel too heavy, or you don't feel safe, ",
    h("a", { href: app.config.help_url, rel: "noopener", target: "_blank" }, "find support near you"),
    ". You deserve it."));
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", render);

async function start() {
  [app.me, app.config] = await Promise.all([
    api("GET", "/api/me").catch(() => null),
    api("GET", "/api/config").catch(() => app.config),
  ]);
  renderCareNote();
  render();
}

start();

// Installable on a phone: a service worker keeps the static app shell (never API answers) for offline starts.
// Registered once the page has loaded, so its first fetches never compete with the page's own.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {}); // the app works without it
  });
}
