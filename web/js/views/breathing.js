// The breathing guide: one shared start time from the server, so both partners breathe in step.
import { h } from "../dom.js";

export function startBreathingGuide(container, step, serverNow) {
  const word = h("span", { class: "breath-word" }, "Get ready");
  const circle = h("div", { class: "breath-circle", "aria-hidden": "true" }, word);
  // For screen readers only: the visible caption is the word in the circle, so the two can never disagree.
  const spoken = h("p", { "aria-live": "polite", class: "visually-hidden" });
  container.replaceChildren(circle, spoken);
  const cycle = step.inhale_seconds + step.exhale_seconds;
  let lastPhase = "";
  let frame = 0;

  function draw() {
    const t = serverNow() - step.starts_at;
    let phase;
    let scale = 0.6;
    if (t < 0) {
      phase = "Get ready";
    } else if (t >= cycle * step.cycles) {
      phase = "Well done";
      scale = 0.8;
    } else {
      const within = t % cycle;
      if (within < step.inhale_seconds) {
        phase = "Breathe in";
        scale = 0.6 + 0.4 * (within / step.inhale_seconds);
      } else {
        phase = "Breathe out";
        scale = 1 - 0.4 * ((within - step.inhale_seconds) / step.exhale_seconds);
      }
    }
    circle.style.transform = `scale(${scale.toFixed(3)})`;
    if (phase !== lastPhase) {
      word.textContent = phase;
      // Announce only the start and end, not every breath.
      if (phase === "Get ready" || phase === "Well done" || (lastPhase === "Get ready" && phase === "Breathe in")) spoken.textContent = phase;
      lastPhase = phase;
    }
    frame = requestAnimationFrame(draw);
  }
  draw();
  return () => cancelAnimationFrame(frame);
}
