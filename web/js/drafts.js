// Half-typed answers, kept in this tab only (sessionStorage) so a reload or a reconnect loses nothing.
// Removed when the answer is sent, when the session ends, and at sign-out.

const PREFIX = "duologue.draft.";

export function draftKey(userId, sessionId, stepNo) {
  return `${PREFIX}${userId}.${sessionId}.${stepNo}`;
}

export function readDraft(key) {
  try { return sessionStorage.getItem(key) ?? ""; } catch { return ""; }
}

export function saveDraft(key, text) {
  try {
    if (text) sessionStorage.setItem(key, text); else sessionStorage.removeItem(key);
  } catch { /* storage full or disabled: typing still works, it just isn't kept */ }
}

/** Forget drafts: all of them (sign-out), or those of one person's session (`${userId}.${sessionId}.`). */
export function clearDrafts(scope = "") {
  try {
    const doomed = [];
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(PREFIX + scope)) doomed.push(key);
    }
    for (const key of doomed) sessionStorage.removeItem(key);
  } catch { /* nothing kept, nothing to clear */ }
}
