// Duologue's service worker: the static app shell, kept so the app opens like an app from a phone's home
// screen, even offline. Never API answers, never the live socket, never anything personal.
//
// The server serves this file at /sw.js with two lines in front of it (server/web.py):
//   const SHELL = [...];    every static file of the app (pages are one: index.html at "/")
//   const VERSION = "...";  a hash of those files: any change is a new cache, and the old one goes
/* global SHELL, VERSION */
const CACHE = `duologue-shell-${VERSION}`;
const NEVER = [/^\/api(\/|$)/, /^\/schema(\/|$)/, /^\/healthz$/, /\/live$/];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Without cookies: the shell is the same for everyone, and the server has no session to touch for it.
    await cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload", credentials: "omit" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("duologue-shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.some((pattern) => pattern.test(url.pathname))) return; // straight to the network, never stored
  if (request.mode === "navigate") {
    // Network first, so a page is always the newest; the cached shell only when the network is not there.
    event.respondWith(fetch(request).catch(async () => (await caches.match("/", { cacheName: CACHE })) || Response.error()));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith((async () => (await caches.match(request, { cacheName: CACHE, ignoreSearch: true })) || fetch(request))());
  }
  // Anything else is fetched as usual and not stored.
});
