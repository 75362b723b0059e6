import { api } from "../api.js";
import { navigate } from "../app.js";
import { copyText, field, formatDate, h, mount } from "../dom.js";
import { renderFacilitators, therapistCard } from "./facilitator_links.js";
import { tzQuery } from "./progress.js";
import { soonestLine } from "./ritual.js";

const POLL_MS = 4000;

export async function showHome(app) {
  const partnerArea = h("section", { "aria-labelledby": "partner-heading" });
  const practiceArea = h("section", { "aria-labelledby": "practice-heading" });
  const historyArea = h("section", { "aria-labelledby": "history-heading" });
  const rhythmArea = h("section", { "aria-labelledby": "rhythm-heading", "data-testid": "home-rhythm", hidden: true });
  const facilitatorArea = h("section", { "aria-labelledby": "facilitator-heading", "data-testid": "your-facilitator", hidden: true });
  const therapistArea = h("section", { "aria-labelledby": "therapist-heading" },
    h("h2", { id: "therapist-heading" }, "For therapists"), therapistCard(app));
  const selfCheckArea = h("div", { "data-testid": "self-check-card-area" });
  mount(h("h1", {}, `Hello, ${app.me.display_name}`), selfCheckArea, partnerArea, rhythmArea, practiceArea, facilitatorArea, historyArea, therapistArea);

  let couple = null;
  let lastSessionsKey = "";
  let lastLinksKey = "";
  async function refreshFacilitators() {
    if (!couple?.partner) { facilitatorArea.hidden = true; facilitatorArea.replaceChildren(); lastLinksKey = ""; return; }
    const links = await api("GET", "/api/facilitators").catch(() => null);
    if (!links) return;
    const key = JSON.stringify(links);
    if (key === lastLinksKey && facilitatorArea.hasChildNodes()) return;
    lastLinksKey = key;
    renderFacilitators(facilitatorArea, links, () => { lastLinksKey = ""; refreshFacilitators(); });
  }
  async function refresh() {
    couple = await api("GET", "/api/couple").catch(() => null);
    renderPartner(partnerArea, couple, refresh);
    therapistArea.hidden = Boolean(couple?.partner); // once paired, a partner's home is about the two of them
    await renderRhythm(rhythmArea, couple);
    await refreshFacilitators();
    const sessions = await api("GET", "/api/sessions").catch(() => []);
    const key = JSON.stringify(sessions.map((s) => [s.id, s.status]));
    if (key !== lastSessionsKey || !practiceArea.hasChildNodes() || couple?.partner?.id !== practiceArea.dataset.partner) {
      practiceArea.dataset.partner = couple?.partner?.id ?? "";
      lastSessionsKey = key;
      await renderPractice(practiceArea, couple, sessions);
      renderHistory(historyArea, sessions);
    }
  }
  await refresh();
  if (!couple?.partner) partnerArea.after(selfCheckArea); // not paired yet: pairing comes first on the page
  renderSelfCheckCard(selfCheckArea); // issue 12: a gentle card when the weekly self-check is due (paired or not)
  // A partner who pairs or starts a session shows up here by itself, without reloading.
  const timer = setInterval(async () => {
    const [nowCouple, sessions] = await Promise.all([
      api("GET", "/api/couple").catch(() => null), api("GET", "/api/sessions").catch(() => null)]);
    const coupleChanged = (nowCouple?.partner?.id ?? null) !== (couple?.partner?.id ?? null);
    if (coupleChanged || (sessions && JSON.stringify(sessions.map((s) => [s.id, s.status])) !== lastSessionsKey)) refresh();
    else if (!document.querySelector("dialog[open]")) refreshFacilitators(); // a partner's confirm or unlink shows up by itself
  }, POLL_MS);
  app.leave = () => clearInterval(timer);
}

async function renderSelfCheckCard(area) {
  const selfCheck = await api("GET", `/api/progress/self-check?${tzQuery()}`).catch(() => null);
  if (!selfCheck?.due) { area.replaceChildren(); return; }
  const said = h("p", { class: "hint", role: "status" });
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  area.replaceChildren(h("section", { class: "card stack self-check-card", "aria-labelledby": "self-check-heading", "data-testid": "self-check-card" },
    h("h2", { id: "self-check-heading" }, "Your weekly self-check"),
    h("p", {}, "A couple of minutes to notice how you are doing, just for you. Only if you feel like it."),
    h("div", { class: "row" },
      h("a", { class: "button", href: "/self-check", "data-link": true }, "Take the self-check"),
      h("button", { type: "button", class: "secondary", onclick: async () => {
        try {
          await api("POST", `/api/progress/self-check/skip?${tzQuery()}`);
        } catch (error) { // the card stays, with what went wrong, so it does not seem skipped when it is not
          problem.textContent = `That didn't go through: ${error.message} Please try again.`;
          problem.hidden = false;
          return;
        }
        area.replaceChildren(said);
        said.textContent = "That's fine. We'll ask again next week.";
      } }, "Not this week")),
    problem));
}

/** The couple's soonest ritual (and how many others), or a gentle invitation to choose one. */
async function renderRhythm(area, couple) {
  area.hidden = !couple?.partner;
  if (area.hidden) return;
  const state = await api("GET", "/api/rituals").catch(() => null);
  const rituals = state?.rituals?.length ? state.rituals : null; // soonest first
  area.replaceChildren(h("h2", { id: "rhythm-heading" }, "Your rhythm"),
    rituals ? h("p", { "data-testid": "home-next" }, soonestLine(rituals))
      : h("p", { class: "hint" }, "A regular time makes practice easier. Choose one together whenever you like."),
    h("p", {}, h("a", { href: "/rhythm", "data-link": true }, !rituals ? "Set your rhythm"
      : rituals.length > 1 ? "Change them, or add them to your calendar" : "Change it, add another, or add it to your calendar")));
}

function renderPartner(area, couple, refresh) {
  if (couple?.partner) {
    area.replaceChildren(
      h("h2", { id: "partner-heading" }, "Your partner"),
      h("div", { class: "card" },
        h("p", {}, `You're paired with ${couple.partner.display_name}.`),
        couple.partner.email ? h("p", { class: "hint" }, couple.partner.email) : null,
        h("button", { type: "button", class: "quiet", onclick: () => leaveCouple(refresh) }, "Leave this couple")));
    return;
  }
  const inviteOut = h("div", { "aria-live": "polite" });
  const codeInput = h("input", { type: "text", name: "code", autocomplete: "off", spellcheck: "false", maxlength: 20 });
  const acceptForm = h("form", {},
    field({ id: "invite-code", label: "Have a code from your partner?", input: codeInput, hint: "For example K7QM4-XTR9B" }),
    h("button", { type: "submit", class: "secondary" }, "Use this code"));
  acceptForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (codeInput.value.trim()) navigate(`/invite/${encodeURIComponent(codeInput.value.trim())}`);
  });
  area.replaceChildren(
    h("h2", { id: "partner-heading" }, "Pair with your partner"),
    h("div", { class: "card stack" },
      h("p", {}, "Duologue is for two. Invite your partner with a link or a code they can type."),
      h("button", { type: "button", onclick: () => createInvite(inviteOut) }, "Invite my partner"),
      inviteOut),
    h("div", { class: "card" }, acceptForm));
}

async function createInvite(out) {
  try {
    const invite = await api("POST", "/api/invites");
    const linkShown = h("a", { href: invite.link, "data-testid": "invite-link", class: "break" }, invite.link);
    const copied = h("p", { role: "status", "data-testid": "copy-result" });
    const copy = h("button", { type: "button", class: "secondary", onclick: async () => {
      copied.textContent = await copyText(invite.link, linkShown);
    } }, "Copy the link");
    out.replaceChildren(h("div", { class: "stack" },
      h("p", {}, "Send this link to your partner, or read them the code. It works once, for 72 hours."),
      h("p", {}, "Code: ", h("span", { class: "code", "data-testid": "invite-code" }, invite.code)),
      h("p", {}, "Link: ", linkShown),
      copy, copied,
      h("button", { type: "button", class: "quiet", onclick: async () => {
        await api("DELETE", `/api/invites/${invite.code}`).catch(() => {});
        out.replaceChildren(h("p", {}, "That invite is cancelled."));
      } }, "Cancel this invite")));
  } catch (error) {
    out.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
  }
}

async function leaveCouple(refresh) {
  if (!confirm("Leave this couple? You each keep your own history.")) return;
  await api("DELETE", "/api/couple").catch(() => {});
  refresh();
}

async function renderPractice(area, couple, sessions) {
  const open = sessions.find((s) => s.status !== "ended");
  area.replaceChildren(h("h2", { id: "practice-heading" }, "Practise together"));
  if (!couple?.partner) {
    area.append(h("p", { class: "hint" }, "Once you're paired, you can start a session here."));
    return;
  }
  if (open) {
    const who = open.facilitator_display_name ? `${open.facilitator_display_name}, your facilitator, set up a session for you both`
      : open.started_by_me ? "You started a session" : `${open.partner_display_name} started a session`;
    area.append(h("div", { class: "card stack", "data-testid": "open-session" },
      h("p", {}, `${who}: ${open.plan_title}.`),
      h("a", { class: "button", href: `/session/${open.id}`, "data-link": true },
        open.started_by_me && !open.facilitator_display_name ? "Go to the session" : "Join the session")));
    return;
  }
  const plans = await api("GET", "/api/plans").catch(() => []);
  // A ritual's calendar link (/home?plan=…) opens with its plan chosen.
  const asked = new URLSearchParams(location.search).get("plan");
  const wanted = plans.some((p) => p.id === asked) ? asked : null;
  const form = h("form", { class: "card" },
    h("fieldset", {},
      h("legend", {}, "Choose a plan"),
      plans.map((plan, index) => h("label", { class: "plan-option" },
        h("input", { type: "radio", name: "plan", value: plan.id, checked: wanted ? plan.id === wanted : index === 0 }),
        " ", h("strong", {}, plan.title), ` · up to ${plan.estimated_minutes} minutes`, // issue 11: an honest ceiling
        h("span", { class: "hint", style: "display:block" }, plan.description)))),
    h("fieldset", {},
      h("legend", {}, "Who speaks first?"),
      [["random", "Let Duologue choose"], ["me", "Me"], ["partner", couple.partner.display_name]].map(([value, label], i) =>
        h("label", { class: "choice" }, h("input", { type: "radio", name: "first", value, checked: i === 0 }), label))),
    h("p", { class: "form-error", role: "alert", hidden: true }),
    h("button", { type: "submit" }, "Start a session"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const session = await api("POST", "/api/sessions", { plan_id: data.get("plan"), first_speaker: data.get("first") });
      navigate(`/session/${session.id}`);
    } catch (error) {
      const slot = form.querySelector(".form-error");
      slot.textContent = error.message;
      slot.hidden = false;
    }
  });
  area.append(form);
  if (wanted) form.querySelector('input[name="plan"]:checked').scrollIntoView({ block: "center" });
}

function renderHistory(area, sessions) {
  const past = sessions.filter((s) => s.status === "ended" && s.summary_available).slice(0, 5);
  area.replaceChildren(h("h2", { id: "history-heading" }, "Recent sessions"),
    past.length
      ? h("ul", { class: "summary-list" }, past.map((s) => h("li", {},
        h("a", { href: `/summary/${s.id}`, "data-link": true }, `${s.plan_title}, ${formatDate(s.started_at || s.created_at)}`))))
      : h("p", { class: "hint" }, "Your summaries will appear here after your first session."),
    h("p", {}, h("a", { href: "/history", "data-link": true }, "All your sessions")));
}
