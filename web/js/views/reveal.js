// "Both answer, then both see": while a shared question is open, each answer waits with its author;
// when both have answered, the two answers appear side by side at the same moment. The server never sends
// an answer before the reveal, so this view only ever shows what has been revealed (or your own answer).
import { h } from "../dom.js";

/** A small controller for the reveal area above the stage. `nameOf(id)` gives "You" or the partner's name. */
export function revealArea(nameOf) {
  const area = h("section", { class: "reveal", "aria-label": "Your answers, side by side", "data-testid": "reveal", hidden: true });
  let shownFor = null; // the exercise the reveal belongs to: it stays up while you respond to it

  return {
    element: area,

    /** answers_revealed for a text question: show both answers together, yours first. */
    reveal(data, step, me) {
      if (!step || step.input?.kind !== "text") return; // ratings are shown in the transcript already
      shownFor = step.exercise_index;
      const order = Object.keys(data.answers).sort((a, b) => (a === me ? -1 : b === me ? 1 : 0));
      area.replaceChildren(
        h("h2", {}, "Your answers, side by side"),
        step.drawn_prompt ? h("p", { class: "hint" }, step.drawn_prompt) : null,
        h("div", { class: "reveal-pair" },
          order.map((who) => h("figure", { class: "card reveal-answer", "data-testid": "revealed-answer" },
            h("figcaption", { class: "who" }, nameOf(who)),
            h("p", {}, String(data.answers[who]))))));
      area.hidden = false;
    },

    /** A new step: keep the reveal while the same exercise goes on (the "what you noticed" step). */
    follow(step) {
      if (shownFor !== null && step?.exercise_index !== shownFor) {
        shownFor = null;
        area.hidden = true;
        area.replaceChildren();
      }
    },
  };
}

/** What to say after you've answered a "both" step and are waiting for your partner. */
export function waitingForReveal(partnerName) {
  return h("p", { "data-testid": "waiting-for-reveal" },
    `Thank you. Your answer stays with you until ${partnerName} has answered too; then you'll both see both answers at the same moment.`);
}
