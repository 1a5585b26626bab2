// The installed app: Chromium finds nothing that stops installing it, photos shared
// into it from another app's share menu are classified (the service worker takes the
// share on the device: the server never sees it), and files opened with it from the
// file manager (the Launch Queue) are too. Each test does what the browser does: a
// multipart navigation POST to the manifest's share_target, a launch queue consumer
// called with file handles.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { goodFiles, launch, openApp, readResults, serve, waitForOfflineCache, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

// The requests nginx logged (tests/deploy/nginx-up.sh writes its log under the port).
function nginxLog() {
  const port = new URL(server.url).port;
  return readFileSync(`/tmp/daynight-nginx/${port}/nginx.log`, "utf8");
}

// Waits until `n` cards have settled, every one of them answered.
async function answeredCards(page, n) {
  await page.waitForFunction(
    (n) => {
      const cards = [...document.querySelectorAll('[data-testid="result"]')];
      return cards.length === n && cards.every((c) => c.dataset.label || c.dataset.error !== undefined);
    },
    n,
    { timeout: 60_000, polling: 100 },
  );
  return readResults(page);
}

// Opens a page of no origin holding a form that POSTs `files` to the share target as
// multipart/form-data, as Chromium does for a share_target, and submits it: a real
// navigation POST (the app's own pages could not submit it: their CSP has form-action
// 'none').
async function share(page, files) {
  await page.goto("about:blank");
  await page.setContent(
    `<form method="post" enctype="multipart/form-data" action="${server.url}share-target">` +
      `<input type="file" name="photos" multiple></form>`,
  );
  await page.setInputFiles('input[name="photos"]', files);
  await page.evaluate(() => document.querySelector("form").submit());
}

test("Chromium reports no installability errors and reads the manifest", async () => {
  await withApp(server.url, {}, async ({ page, context, problems }) => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    console.log(`installability errors: ${JSON.stringify(installabilityErrors)}`);
    assert.deepEqual(installabilityErrors, []);
    const { url, errors, manifest: parsed } = await cdp.send("Page.getAppManifest");
    assert.match(url, /\/manifest\.webmanifest$/);
    assert.deepEqual(errors, [], "the manifest parses without errors or warnings");
    const manifest = await (await page.request.get(url)).json();
    assert.equal(manifest.start_url, "./");
    assert.equal(manifest.scope, "./");
    assert.equal(manifest.display, "standalone");
    assert.ok(manifest.icons.some((i) => i.sizes === "192x192") && manifest.icons.some((i) => i.sizes === "512x512"));
    assert.ok(manifest.icons.some((i) => i.purpose === "maskable"));
    assert.equal(manifest.share_target.method, "POST");
    assert.equal(manifest.share_target.enctype, "multipart/form-data");
    assert.ok(manifest.file_handlers.length > 0);
    // Chromium's own reading of it (the DevTools protocol leaves some members out,
    // the file handlers among them).
    assert.equal(parsed.display, "kStandalone");
    assert.equal(parsed.startUrl, server.url);
    assert.equal(parsed.scope, server.url);
    assert.equal(parsed.shareTarget?.action, `${server.url}share-target`, "Chromium read the share target");
    assert.equal(parsed.shareTarget?.method, "kPost");
    assert.ok(await page.evaluate(() => "launchQueue" in window), "this Chromium has the Launch Queue the page consumes");
    // Every icon the manifest and the page name loads.
    const icons = await page.evaluate(async () => {
      const manifest = await (await fetch("./manifest.webmanifest")).json();
      const apple = document.querySelector('link[rel="apple-touch-icon"]').getAttribute("href");
      const out = [];
      for (const src of [...manifest.icons.map((i) => i.src), apple]) {
        const r = await fetch(src);
        const bitmap = await createImageBitmap(await r.blob());
        out.push(`${src} ${r.status} ${r.headers.get("content-type")} ${bitmap.width}x${bitmap.height}`);
      }
      return out;
    });
    console.log(`icons: ${icons.join(", ")}`);
    for (const line of icons) assert.match(line, / 200 image\/png (192x192|512x512|180x180)$/);
    const colours = await page.$$eval('meta[name="theme-color"]', (m) => m.map((e) => `${e.media} ${e.content}`));
    assert.equal(colours.length, 2, `theme-color for light and dark: ${colours}`);
    assert.deepEqual(problems, []);
  });
});

test("two photos shared into the app are classified on the device and then deleted", async () => {
  const files = goodFiles(2);
  await withApp(server.url, {}, async ({ page, problems }) => {
    // The service worker must control this origin before a share can reach it.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await waitForOfflineCache(page);

    const answers = [];
    page.on("response", (r) => r.request().method() === "POST" && answers.push({ status: r.status(), sw: r.fromServiceWorker() }));
    await share(page, files);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const cards = await answeredCards(page, 2);
    console.log(`shared: ${cards.map((c) => `${c.name} ${c.label} p_night ${c.pNight}`).join("; ")}`);
    assert.deepEqual(cards.map((c) => c.name), files.map((f) => basename(f)), "both photos, in the order shared");
    for (const card of cards) assert.match(card.label, /^(day|night)$/);
    assert.deepEqual(answers, [{ status: 303, sw: true }], "the service worker answered the POST");
    assert.doesNotMatch(nginxLog(), /POST \/share-target/, "the server never saw the share");
    assert.ok(!new URL(page.url()).searchParams.has("shared"), `the address drops ?shared: ${page.url()}`);
    const left = await page.evaluate(async () => ((await caches.has("daynight.shared")) ? (await (await caches.open("daynight.shared")).keys()).length : 0));
    assert.equal(left, 0, "the shared copies are deleted once taken");

    // Taken once: a reload does not add them again.
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    await page.waitForTimeout(500);
    assert.equal(await page.locator('[data-testid="result"]').count(), 0);
    assert.deepEqual(problems, []);
  });
});

test("a share that reaches the server (no service worker yet) opens the page, which says so", async () => {
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await share(page, goodFiles(1));
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const note = await page.locator(".share-note").textContent();
    console.log(`no service worker: ${note}`);
    assert.match(note, /did not reach daynight/);
    assert.match(nginxLog(), /POST \/share-target HTTP\/1\.1" 303/, "nginx answered with a redirect");
    assert.equal(await page.locator('[data-testid="result"]').count(), 0);
  } finally {
    await close();
  }
});

test("a file opened with the installed app (the launch queue) is classified", async () => {
  const { context, close } = await launch();
  try {
    // What Chromium gives an installed app opened with files: a launchQueue whose
    // consumer receives LaunchParams holding FileSystemFileHandles.
    await context.addInitScript(() => {
      const queue = { setConsumer: (consumer) => (window.__launchConsumer = consumer) };
      Object.defineProperty(window, "launchQueue", { value: queue, configurable: true });
    });
    const { page, problems } = await openApp(context, server.url);
    await page.waitForFunction(() => typeof window.__launchConsumer === "function", null, { timeout: 10_000 });
    const [path] = goodFiles(1);
    await page.evaluate(
      ({ name, base64 }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const file = new File([bytes], name, { type: name.endsWith(".bmp") ? "image/bmp" : "image/jpeg" });
        const handle = { kind: "file", name, getFile: async () => file };
        window.__launchConsumer({ targetURL: location.href, files: [handle] });
      },
      { name: basename(path), base64: readFileSync(path).toString("base64") },
    );
    const [card] = await answeredCards(page, 1);
    console.log(`launch queue: ${card.name} ${card.label} p_night ${card.pNight}`);
    assert.equal(card.name, basename(path));
    assert.match(card.label, /^(day|night)$/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
