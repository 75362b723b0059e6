// One websocket to a live session: resumes from the last event seen, drops duplicates, reconnects by itself.
// It is honest about the connection: a socket that stops answering pings (a phone that went offline
// still looks "open") is treated as dropped, and it comes back as soon as the network does.

const FINAL_CLOSE_CODES = new Map([
  [4401, "Please sign in again to rejoin."],
  [4403, "This page is not allowed to open the session."],
  [4404, "We could not find that session for you."],
  [4410, "You signed out on this device. Please sign in again to rejoin."],
]);

const REVOKED_MESSAGE = "The couple has ended your access to this session.";
export const PING_EVERY_MS = 10000; // ask the server for a pong this often...
export const PONG_WITHIN_MS = 5000; // ...and count the connection as dropped when none comes back in time
const RETRY_DELAYS_MS = [250, 1000, 2000, 4000, 8000]; // then every 8 s; "online" retries at once

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
    this.pongTimer = null;
    this.onOnline = () => { if (!this.isOpen()) this.retryNow(); };
    this.onOffline = () => this.dropped(); // the browser knows the network is gone: no need to wait for a ping
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
  }

  get url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const since = this.lastSeq === null ? "" : `?since=${this.lastSeq}`;
    return `${scheme}://${location.host}/api/sessions/${this.sessionId}/live${since}`;
  }

  serverNow() {
    return Date.now() / 1000 + this.serverOffset;
  }

  isOpen() {
    return this.ws?.readyState === WebSocket.OPEN && !this.ws.dead;
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.closedOnPurpose || this.revoked) return;
    this.onStatus(this.attempt ? "reconnecting" : "connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    // Every handler checks it still belongs to the current socket: a dead one may close long after.
    ws.addEventListener("open", () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.onStatus("open");
      this.startPinging();
    });
    ws.addEventListener("message", (message) => { if (ws === this.ws) this.receive(JSON.parse(message.data)); });
    ws.addEventListener("close", (event) => { if (ws === this.ws) this.closed(event); });
  }

  startPinging() {
    clearInterval(this.pinger);
    this.pinger = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  ping() {
    if (!this.isOpen() || this.pongTimer) return;
    this.pongTimer = setTimeout(() => { this.pongTimer = null; this.dropped(); }, PONG_WITHIN_MS);
    this.send({ type: "ping" }).then(() => { clearTimeout(this.pongTimer); this.pongTimer = null; }, () => {});
  }

  /** The connection is gone even if the socket does not know it yet: let it go and reconnect. */
  dropped() {
    const ws = this.ws;
    if (!ws || ws.dead || this.closedOnPurpose) return;
    ws.dead = true;
    try { ws.close(); } catch { /* already closing */ }
    this.closed({ code: 1006 });
  }

  retryNow() {
    if (this.closedOnPurpose || this.revoked) return;
    if (this.ws && !this.ws.dead && this.ws.readyState === WebSocket.CONNECTING) return;
    this.attempt = Math.max(this.attempt, 1);
    this.connect();
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
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.ws = null;
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
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt - 1, RETRY_DELAYS_MS.length - 1)];
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Send a message; resolves with the server's ack (or pong), rejects with its error frame. */
  send(message) {
    return new Promise((resolve, reject) => {
      if (!this.isOpen()) {
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
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    clearInterval(this.pinger);
    clearTimeout(this.retryTimer);
    clearTimeout(this.pongTimer);
    this.retryTimer = null;
    this.ws?.close();
  }
}
