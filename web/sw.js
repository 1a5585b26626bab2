// daynight's service worker: after one visit the app opens and classifies offline.
//
// Files with a content hash in their name (Trunk's `name-<hash>.js/.wasm/.css`) never
// change, so they are served cache-first. Everything else (index.html, worker.js) is
// network-first, falling back to the cache when offline.
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
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css)$/;

/// FNV-1a, enough to name a cache after its list of files.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/// Caches a fresh index.html with everything it needs, then drops old builds.
async function store(response) {
  const html = await response.clone().text();
  const files = [...new Set([...html.matchAll(ASSET)].map((m) => m[1]))].sort();
  const name = PREFIX + fnv1a(files.join("\n"));
  const cache = await caches.open(name);
  const urls = files.map((f) => new URL(f, SCOPE).href);
  const missing = [];
  for (const url of urls) if (!(await cache.match(url))) missing.push(url);
  await cache.addAll(missing); // all or nothing: a partial build is never used
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

async function cacheFirst(request) {
  return (await caches.match(request)) || fetch(request);
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
  } else if (HASHED.test(path)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});
