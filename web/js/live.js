// One websocket to a live session: resumes from the last event seen, drops duplicates, reconnects by itself.

const FINAL_CLOSE_CODES = new Map([
  [4401, "Please sign in again to rejoin."],
  [4403, "This page is not allowed to open the session."],
  [4404, "We could not find that session for you."],
  [4410, "You signed out on this device. Please sign in again to rejoin."],
]);

const REVOKED_MESSAGE = "The couple has ended your access to this session.";

export class LiveConnection {
  constructor(sessionId, { onFrame, onStatus }) {
    this.sessionId = sessionId;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.lastSeq = null; // null: ask for a full snapshot
    this.serverOffset = 0; // server clock minus ours, in seconds
    this.attempt = 0;
    this.refs = 0;
    this.pending = new Map();
    this.closedOnPurpose = false;
    this.revoked = false; // the couple ended this facilitator's access; never reconnect
    this.retryTimer = null;
  }

  get url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const since = this.lastSeq === null ? "" : `?since=${this.lastSeq}`;
    return `${scheme}://${location.host}/api/sessions/${this.sessionId}/live${since}`;
  }

  serverNow() {
    return Date.now() / 1000 + this.serverOffset;
  }

  connect() {
    this.retryTimer = null;
    if (this.closedOnPurpose || this.revoked) return;
    this.onStatus(this.attempt ? "reconnecting" : "connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => { this.attempt = 0; this.onStatus("open"); });
    ws.addEventListener("message", (message) => this.receive(JSON.parse(message.data)));
    ws.addEventListener("close", (event) => this.closed(event));
    clearInterval(this.pinger);
    this.pinger = setInterval(() => this.send({ type: "ping" }).catch(() => {}), 20000);
  }

  receive(frame) {
    if (frame.type === "revoked") { this.revoked = true; return; } // the close (4403) follows
    if ("server_time" in frame) this.serverOffset = frame.server_time - Date.now() / 1000;
    if (frame.type === "event") {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // a duplicate or an old number
      this.lastSeq = frame.seq;
    } else if (frame.type === "snapshot" || frame.type === "synced") {
      this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
    }
    if (frame.ref && this.pending.has(frame.ref)) {
      const { resolve, reject } = this.pending.get(frame.ref);
      this.pending.delete(frame.ref);
      if (frame.type === "error") reject(frame); else resolve(frame);
    }
    this.onFrame(frame);
  }

  closed(event) {
    clearInterval(this.pinger);
    for (const { reject } of this.pending.values()) reject({ code: "disconnected", message: "The connection dropped. Please try again." });
    this.pending.clear();
    if (this.closedOnPurpose) return;
    if (this.revoked) {
      this.onStatus("closed", REVOKED_MESSAGE);
      return;
    }
    if (FINAL_CLOSE_CODES.has(event.code)) {
      this.onStatus("closed", FINAL_CLOSE_CODES.get(event.code));
      return;
    }
    this.attempt += 1;
    this.onStatus("reconnecting");
    const delay = Math.min(10000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Send a message; resolves with the server's ack (or pong), rejects with its error frame. */
  send(message) {
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject({ code: "disconnected", message: "Reconnecting… please try again in a moment." });
        return;
      }
      const ref = `w${++this.refs}`;
      this.pending.set(ref, { resolve, reject });
      this.ws.send(JSON.stringify({ ...message, ref }));
    });
  }

  close() {
    this.closedOnPurpose = true;
    clearInterval(this.pinger);
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ws?.close();
  }
}
