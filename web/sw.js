// daynight's service worker: after one visit the app opens and classifies offline.
//
// Files with a content hash in their name (Trunk's `name-<hash>.js/.wasm/.css`, the
// built-in examples' `examples-<hash>.bin`) never change, so they are served
// cache-first. Everything else (index.html, worker.js) is network-first, falling back
// to the cache when offline.
//
// The trainer worker and the built-in examples (index.html's meta daynight-trainer)
// are not precached: most visits never retrain, and a first visit must stay small.
// They are cached when the page first fetches them, and carried over into each new
// build's cache, so retraining works offline once it has been done online.
//
// The server's optional model.json is network-first too; the last copy that came
// back is kept for offline starts, and "no model" (204 or 404) deletes it. Offline
// with no copy, the page gets a 204 (no model), not a network error in its console.
//
// Updates never mix builds: a fresh index.html is only cached together with every
// hashed file it names, in a cache named after that list ("daynight-<hash>"). The
// html served offline therefore always has its own js and wasm. The two newest
// builds' caches are kept (a tab still open on the older one can restart its
// worker), older ones are deleted.
const PREFIX = "daynight-";
const KEEP = 2;
const SCOPE = self.registration.scope;
const INDEX = new URL("./", SCOPE).href;
const ASSET = /\.\/([\w.-]+\.(?:js|wasm|css|png|svg|ico|webmanifest))/g;
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css|bin)$/;
const LAZY = /<meta name="daynight-trainer"[^>]*>/g;
const MODEL = new URL("./model.json", SCOPE).href;
// Not under PREFIX: the build caches are pruned by that prefix.
const MODEL_CACHE = "daynight.server-model";

/// FNV-1a, enough to name a cache after its list of files.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/// Caches a fresh index.html with everything it needs, then drops old builds.
async function store(response) {
  const html = await response.clone().text();
  const names = (text) => [...new Set([...text.matchAll(ASSET)].map((m) => m[1]))].sort();
  const files = names(html.replace(LAZY, ""));
  const name = PREFIX + fnv1a(files.join("\n"));
  const cache = await caches.open(name);
  const urls = files.map((f) => new URL(f, SCOPE).href);
  const missing = [];
  for (const url of urls) if (!(await cache.match(url))) missing.push(url);
  await cache.addAll(missing); // all or nothing: a partial build is never used
  // Lazy files already used under an older build live on in this one's cache.
  for (const m of html.match(LAZY) || []) {
    for (const file of m.match(/\.\/[\w.-]+/g) || []) {
      const url = new URL(file, SCOPE).href;
      const hit = await caches.match(url);
      if (hit && !(await cache.match(url))) await cache.put(url, hit);
    }
  }
  await cache.put(INDEX, response);
  const builds = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== name);
  // caches.keys() lists caches oldest first.
  for (const old of builds.slice(0, Math.max(0, builds.length - (KEEP - 1)))) await caches.delete(old);
}

async function freshIndex() {
  const response = await fetch(INDEX, { cache: "no-cache" });
  if (response.ok) await store(response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(freshIndex().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

/// The newest cached index.html (the last build stored).
async function cachedIndex() {
  const names = (await caches.keys()).filter((k) => k.startsWith(PREFIX)).reverse();
  for (const name of names) {
    const hit = await (await caches.open(name)).match(INDEX);
    if (hit) return hit;
  }
  return undefined;
}

async function navigate(event) {
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(store(response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    return (await cachedIndex()) || Response.error();
  }
}

/// A hashed file: from any cache, else from the network, then kept in the newest
/// build's cache (the lazy trainer files arrive this way).
async function cacheFirst(event) {
  const hit = await caches.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(keep(event.request, response.clone()).catch(() => {}));
  return response;
}

async function keep(request, response) {
  const builds = (await caches.keys()).filter((k) => k.startsWith(PREFIX));
  if (builds.length) await (await caches.open(builds[builds.length - 1])).put(request, response);
}

async function serverModel(request) {
  const cache = await caches.open(MODEL_CACHE);
  try {
    const response = await fetch(request);
    if (response.status === 200) await cache.put(MODEL, response.clone());
    else if (response.status === 204 || response.status === 404) await cache.delete(MODEL);
    return response;
  } catch (offline) {
    return (await cache.match(MODEL)) || new Response(null, { status: 204 });
  }
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return (await caches.match(request, { ignoreSearch: true })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const path = new URL(request.url).pathname;
  if (request.mode === "navigate") {
    // Only the app's own page; other documents under the scope go straight through.
    if (new URL(request.url).href.split(/[?#]/)[0] === INDEX || path.endsWith("/index.html")) {
      event.respondWith(navigate(event));
    }
  } else if (request.url.split(/[?#]/)[0] === MODEL) {
    event.respondWith(serverModel(request));
  } else if (HASHED.test(path)) {
    event.respondWith(cacheFirst(event));
  } else {
    event.respondWith(networkFirst(request));
  }
});
