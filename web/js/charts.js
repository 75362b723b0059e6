// Small charts drawn as inline SVG: one measure over weeks, with its numbers as a table for screen readers.
// Calm colours only (no red or green: a change is never judged); axis bounds come from the API; a week with
// nothing in it is a gap, never a zero.
import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 320;
const H = 132;
const PAD = { left: 34, right: 10, top: 10, bottom: 24 };
let counter = 0;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) if (child) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** How a value of this kind reads in words: "4.3", "60%", "+1.5", "3". */
export function formatValue(value, kind) {
  if (value === null || value === undefined) return "nothing recorded";
  if (kind === "share") return `${Math.round(value * 100)}%`;
  if (kind === "change") return `${value > 0 ? "+" : ""}${Number(value.toFixed(1))}`;
  if (kind === "count") return String(Math.round(value * 10) / 10);
  return String(Number(value.toFixed(2)));
}

function shortDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString([], { day: "numeric", month: "short" });
}

function niceTicks(min, max, kind) {
  if (kind === "change") return [min, 0, max];
  if (kind === "share") return [0, 0.5, 1];
  const mid = (min + max) / 2;
  return Number.isInteger(mid) ? [min, mid, max] : [min, max];
}

/**
 * A chart of one series over weeks.
 * opts: { title, summary, kind, min, max, weekStarts: ["2026-09-07", …], values: [number|null, …],
 *         points: [{date, value}] (instead of values, for a recorded score), series: "own" | "partner" | "recorded" }
 */
export function weeklyChart(opts) {
  const { title, kind = "scale", min, max, weekStarts, series = "own" } = opts;
  const id = `chart-${++counter}`;
  const n = weekStarts.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const span = max - min || 1;
  const y = (v) => PAD.top + plotH - ((Math.min(max, Math.max(min, v)) - min) / span) * plotH;
  const slot = plotW / Math.max(1, n);
  const xOfWeek = (i) => PAD.left + slot * (i + 0.5);
  const first = Date.parse(`${weekStarts[0]}T00:00:00Z`);
  const xOfDate = (iso) => PAD.left + ((Date.parse(`${iso}T00:00:00Z`) - first) / (7 * 86400000)) * slot;

  const grid = niceTicks(min, max, kind).map((tick) => s("g", { class: "tick" },
    s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(tick), y2: y(tick), class: kind === "change" && tick === 0 ? "zero" : "grid" }),
    s("text", { x: PAD.left - 5, y: y(tick) + 4, "text-anchor": "end" }, formatValue(tick, kind === "share" ? "share" : kind === "change" ? "change" : "count"))));
  const labelEvery = n <= 4 ? 1 : n <= 12 ? 4 : 13;
  const xLabels = weekStarts.map((start, i) => (i % labelEvery === 0 || i === n - 1) && !(i !== n - 1 && n - 1 - i < labelEvery / 2)
    ? s("text", { x: xOfWeek(i), y: H - 6, "text-anchor": i === n - 1 ? "end" : i === 0 ? "start" : "middle" }, shortDate(start)) : null);

  let marks;
  const rows = [];
  if (opts.points) { // a recorded questionnaire score: dots on the same time axis, joined in order
    const inRange = opts.points.filter((p) => xOfDate(p.date) >= PAD.left && xOfDate(p.date) <= W - PAD.right);
    marks = [
      inRange.length > 1 ? s("polyline", { class: "line", points: inRange.map((p) => `${xOfDate(p.date)},${y(p.value)}`).join(" ") }) : null,
      inRange.map((p) => s("circle", { class: "dot", cx: xOfDate(p.date), cy: y(p.value), r: 4 })),
    ];
    for (const p of opts.points) rows.push([shortDate(p.date), formatValue(p.value, kind)]);
  } else if (kind === "count" || kind === "change") { // bars: how many, or how far a check-in moved
    const base = kind === "change" ? y(0) : y(min);
    const barW = Math.max(2, Math.min(18, slot * 0.6));
    marks = opts.values.map((v, i) => (v === null || v === undefined ? null
      : s("rect", { class: "bar", x: xOfWeek(i) - barW / 2, y: Math.min(base, y(v)), width: barW, height: Math.max(v === 0 ? 0 : 1.5, Math.abs(base - y(v))) })));
    opts.values.forEach((v, i) => rows.push([shortDate(weekStarts[i]), formatValue(v, kind)]));
  } else { // a line, broken wherever a week has nothing
    const segments = [];
    let current = [];
    opts.values.forEach((v, i) => {
      if (v === null || v === undefined) { if (current.length) segments.push(current); current = []; }
      else current.push([xOfWeek(i), y(v)]);
    });
    if (current.length) segments.push(current);
    marks = [
      segments.filter((seg) => seg.length > 1).map((seg) => s("polyline", { class: "line", points: seg.map(([px, py]) => `${px},${py}`).join(" ") })),
      opts.values.map((v, i) => (v === null || v === undefined ? null : s("circle", { class: "dot", cx: xOfWeek(i), cy: y(v), r: n > 20 ? 2.2 : 3.5 }))),
    ];
    opts.values.forEach((v, i) => rows.push([shortDate(weekStarts[i]), formatValue(v, kind)]));
  }

  const shape = opts.points ? `${rows.length} recorded score${rows.length === 1 ? "" : "s"}` : "week by week";
  const name = `${title}: a chart, ${shape}, over ${n} weeks.${opts.summary ? ` ${opts.summary}` : ""} The numbers are in the table below it.`;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": name, class: `chart-svg series-${series}`, focusable: "false" },
    s("g", { class: "axis" }, grid, xLabels), s("g", { class: "marks" }, marks));
  const table = h("details", { class: "chart-table" },
    h("summary", {}, h("span", {}, "Show the numbers"), h("span", { class: "visually-hidden" }, ` for ${title}`)),
    h("div", { class: "table-wrap" },
      h("table", {},
        h("caption", { class: "visually-hidden" }, title),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, opts.points ? "Date" : "Week of"), h("th", { scope: "col" }, "Value"))),
        h("tbody", {}, rows.map(([when, value]) => h("tr", {}, h("th", { scope: "row" }, when), h("td", {}, value)))))));
  return h("figure", { class: "chart", id }, svg, table);
}
