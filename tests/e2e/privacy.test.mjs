// Privacy, checked: once the page has loaded, classifying photos and camera frames
// makes no network request at all, and nothing breaks the page's CSP. The load
// includes the service worker's background fetch of the trainer worker and the
// built-in examples (same-origin static files the page names in
// <meta name="daynight-trainer">); retraining asks for those files only (the service
// worker has them by then); any other request fails.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { chooseFiles, dayScene, repo, serve, testFolder, waitForOfflineCache, waitForTrainerCache, withApp, writeY4m } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

const local = (url) => /^(blob|data):/.test(url);

test("classifying files and camera frames, marking and retraining send nothing over the network", async () => {
  const video = writeY4m(join(mkdtempSync(join(tmpdir(), "daynight-y4m-")), "day.y4m"), { pixel: dayScene(320, 240) });
  // Every request of the load, to know when it is over.
  const load = { open: 0, last: Date.now() };
  const watchLoad = (context) => {
    const seen = () => (load.last = Date.now());
    context.on("request", () => (load.open++, seen()));
    context.on("requestfinished", () => (load.open--, seen()));
    context.on("requestfailed", () => (load.open--, seen()));
  };
  await withApp(server.url, { video, init: watchLoad }, async ({ page, problems, context }) => {
    // Let the service worker finish caching the app and, in the background, the
    // trainer (its own fetches belong to the load). The events of the service
    // worker's requests can reach the test after the files are in its cache (seen on
    // a busy machine, while nginx had served the file once): the load is over when
    // every request it made has ended and a second has passed without any.
    await waitForOfflineCache(page);
    await waitForTrainerCache(page);
    const end = Date.now() + 30_000;
    while (load.open > 0 || Date.now() - load.last < 1000) {
      assert.ok(Date.now() < end, `the load did not settle: ${load.open} requests open`);
      await page.waitForTimeout(100);
    }

    const requests = [];
    const record = (where) => (request) => local(request.url()) || requests.push(`${where}: ${request.method()} ${request.url()}`);
    page.on("request", record("page"));
    context.on("request", record("context"));
    page.on("websocket", (ws) => requests.push(`websocket: ${ws.url()}`));
    // The DevTools protocol sees requests from the page and its workers alike.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.requestWillBeSent", (e) => local(e.request.url) || requests.push(`cdp: ${e.request.url}`));
    cdp.on("Network.webSocketCreated", (e) => requests.push(`cdp websocket: ${e.url}`));

    const day = join(testFolder, "day");
    const files = existsSync(day)
      ? readdirSync(day).sort().slice(0, 6).map((f) => join(day, f))
      : readdirSync(join(repo, "tests/badfiles")).filter((f) => /\.(jpg|png|gif)$/.test(f)).map((f) => join(repo, "tests/badfiles", f));
    const results = await chooseFiles(page, files);
    assert.equal(results.length, files.length);

    await page.getByRole("tab", { name: "Camera" }).click();
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 8, null, { timeout: 30_000 });
    await page.getByRole("button", { name: "Snapshot" }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="result"]').length > 6 && [...document.querySelectorAll('[data-testid="result"]')].every((c) => c.dataset.label || c.dataset.error));
    await page.getByRole("button", { name: "Stop camera" }).click();
    assert.deepEqual(requests, [], "no request after the page loaded, while classifying");

    // Marks work on camera snapshots too; retraining may fetch the trainer's own files only.
    const snapshot = page.locator('[data-testid="result"][data-name^="camera "]');
    await snapshot.locator('[data-testid="mark-day"]').click();
    await page.waitForSelector('[data-testid="result"][data-name^="camera "][data-mark="day"]');
    await page.click('[data-testid="retrain"]');
    await page.waitForSelector('[data-testid="retrain-result"]', { timeout: 120_000 });
    const trainerFiles = (await page.getAttribute('meta[name="daynight-trainer"]', "content")).split(/\s+/).filter(Boolean);
    assert.ok(trainerFiles.length > 0, "the page names the trainer's files");
    const allowed = (r) => trainerFiles.some((f) => new URL(r.replace(/^[^:]+: (GET )?/, "")).pathname.endsWith("/" + f.replace(/^\.\//, "")));
    assert.deepEqual(requests.filter((r) => !allowed(r)), [], "retraining fetched nothing but the trainer's files");
    assert.ok(requests.every((r) => !/POST|PUT/.test(r)), "nothing was sent");
    requests.length = 0;
    assert.deepEqual(problems, [], "no console errors or CSP violations");

    // The recorder is not blind: a request the page does make is seen.
    await page.evaluate(() => fetch("./healthz").then((r) => r.text()));
    await page.waitForTimeout(200);
    assert.ok(requests.some((r) => r.includes("/healthz")), "a deliberate request is recorded");
  });
});
