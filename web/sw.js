// daynight's service worker: after one visit the app opens, classifies and retrains
// offline, and photos shared into the installed app reach it without a server.
//
// Files with a content hash in their name (Trunk's `name-<hash>.js/.wasm/.css`, the
// built-in examples' `examples-<hash>.bin`, the icons' `icon-192-<hash>.png`) never
// change, so they are served cache-first. Everything else (index.html, the manifest)
// is network-first, falling back to the cache when offline.
//
// The trainer worker and the built-in examples (index.html's meta daynight-trainer)
// are not precached with the build: a first visit must reach its first answer without
// them. Once the page is ready and idle it posts "cache-trainer" with their names, and
// this worker fetches them in the background into the build's cache (as it does when
// a Retrain fetches them first). They are carried over into each new build's cache
// when unchanged, so retraining works offline from the first visit on.
//
// Sharing (the manifest's share_target): the system's share sheet POSTs the photos to
// ./share-target as multipart/form-data. They are kept in a cache on this device
// (SHARED, never sent anywhere) and the answer is a 303 to ./?shared=N; the page takes
// them from there at start, classifies them like picked files and deletes them
// (src/launch.rs). Without this worker (not installed yet, or its storage cleared) the
// POST reaches the server instead: nginx.conf answers 303 to ./?shared=lost, and the
// page says the photos did not arrive.
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
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css|bin|png)$/;
const LAZY = /<meta name="daynight-trainer"[^>]*>/g;
const MODEL = new URL("./model.json", SCOPE).href;
// Not under PREFIX: the build caches are pruned by that prefix.
const MODEL_CACHE = "daynight.server-model";
const SHARE = new URL("./share-target", SCOPE).href;
// Shared photos waiting for the page; src/launch.rs reads the same name.
const SHARED = "daynight.shared";
// Set while a fresh index.html is being stored, so the trainer's files go into its cache.
let storing = Promise.resolve();

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
    if (response.ok) {
      storing = store(response.clone()).catch(() => {});
      event.waitUntil(storing);
    }
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

/// The trainer's files (absolute URLs the page sent), fetched in the background into
/// the cache of the build that names them (else the newest build's), unless some
/// cache has them already. Only this scope's content-hashed files are taken.
async function cacheTrainer(urls) {
  await storing;
  const files = urls.filter((u) => typeof u === "string" && u.startsWith(SCOPE) && HASHED.test(new URL(u).pathname));
  const builds = (await caches.keys()).filter((k) => k.startsWith(PREFIX));
  if (!files.length || !builds.length) return;
  let target = builds[builds.length - 1];
  for (const name of builds) {
    const html = await (await caches.open(name)).match(INDEX);
    const text = html ? await html.text() : "";
    if (files.every((u) => text.includes("./" + u.slice(SCOPE.length)))) target = name;
  }
  const cache = await caches.open(target);
  for (const url of files) {
    if (await cache.match(url)) continue;
    const hit = await caches.match(url);
    const response = hit || (await fetch(url));
    if (response.ok) await cache.put(url, response);
  }
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "cache-trainer" && Array.isArray(event.data.files)) {
    event.waitUntil(cacheTrainer(event.data.files).catch(() => {}));
  }
});

/// A share from the system's share sheet: the photos go into SHARED on this device,
/// and the page is opened to take them. Each is stored as its bytes with its type
/// and name (percent-encoded: a header holds ASCII only).
async function receiveShare(request) {
  let files = [];
  try {
    files = (await request.formData()).getAll("photos").filter((f) => typeof f !== "string" && f.size > 0);
  } catch (unreadable) {
    // Not multipart form data: nothing to keep; the page opens all the same.
  }
  const cache = await caches.open(SHARED);
  const batch = `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  for (const [i, file] of files.entries()) {
    const headers = { "content-type": file.type || "application/octet-stream", "x-name": encodeURIComponent(file.name || "") };
    // The key orders the photos as shared; it is never fetched.
    await cache.put(new URL(`./shared/${batch}/${String(i).padStart(4, "0")}`, SCOPE).href, new Response(file, { headers }));
  }
  return Response.redirect(new URL(`./?shared=${files.length}`, SCOPE).href, 303);
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
  if (request.method === "POST" && request.url.split(/[?#]/)[0] === SHARE) {
    event.respondWith(receiveShare(request));
    return;
  }
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
