// A summary's body, rendered: headings, the score table, exchanges, breaks. One renderer for the partner's own
// page ("you", "your partner") and a facilitator's shared copy (the partners by name). Times are local.
import { formatClock, h } from "../dom.js";

/**
 * `c` is the summary content; `names` says who is who: { me, partner } for a partner's own page ("You",
 * "Your partner"), or the two display names for a facilitator. `level` is the heading level to start at.
 */
export function summaryBody(c, { me = "You", partner = "Your partner", level = 2, own = true } = {}) {
  const hx = (text) => h(`h${level}`, {}, text);
  const hy = (text) => h(`h${level + 1}`, {}, text);
  const who = (author) => (author === c.participant ? me : partner);
  const exchanges = (items) => items.map((x) => h("div", { class: "card" },
    hy(`${x.exercise_title}, round ${x.round}`),
    h("ul", {}, x.lines.map((line) => h("li", {}, h("strong", {}, `${line.label} (${who(line.author)}): `),
      line.timed_out ? h("span", { class: "hint" }, "no answer this time") : line.value)))));
  const col = (text) => h("th", { scope: "col" }, text);
  return [
    c.exercises_done.length ? [hx(own ? "What you practised" : "What they practised"), h("ul", {}, c.exercises_done.map((t) => h("li", {}, t)))] : null,
    c.scores.length ? [hx(own ? "How you arrived, and how you left" : "How they arrived, and how they left"),
      h("div", { class: "table-wrap", role: "region", "aria-label": "Check-in and check-out scores", tabindex: "0" },
        h("table", { class: "summary-table" },
          h("thead", {}, h("tr", {}, col("Question"), col(`${me}: start`), col(`${me}: end`),
            col(`${own ? "Partner" : partner}: start`), col(`${own ? "Partner" : partner}: end`))),
          h("tbody", {}, c.scores.map((s) => h("tr", {}, h("th", { scope: "row" }, `${s.question} (1–${s.scale})`),
            [s.yours_before, s.yours_after, s.partners_before, s.partners_after].map((v) => h("td", {}, v ?? "–")))))))] : null,
    c.you_shared.length ? [hx(own ? "What you shared, and how it was reflected" : `What ${me} shared, and how it was reflected`), exchanges(c.you_shared)] : null,
    c.partner_shared.length ? [hx(own ? "What your partner shared, and how you reflected it" : `What ${partner} shared, and how ${me} reflected it`), exchanges(c.partner_shared)] : null,
    c.together.length ? [hx("Together"), h("ul", {}, c.together.map((l) => h("li", {}, `${l.label} (${who(l.author)}): ${l.value}`)))] : null,
    // No scorekeeping: a break is noted kindly, never measured against the time someone hoped to be back.
    c.spaces.length ? [hx("Breaks"), h("ul", {}, c.spaces.map((s) => h("li", {},
      `${who(s.who)} took some space at ${formatClock(s.requested_at)} ${s.returned_at ? "and came back" : "and the session ended during the break"}.`)))] : null,
  ];
}
