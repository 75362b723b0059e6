// Counting text as people see it: one emoji, one flag, one accented letter is one character.
// The server counts the same way (exercises/text.py), so the limit shown is the limit enforced.

const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

export function visibleLength(text) {
  if (!segmenter) return [...text].length;
  return Array.from(segmenter.segment(text)).length;
}
