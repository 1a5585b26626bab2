// The trainer worker and the built-in examples are lazy: a first visit does not
// download them (not even the service worker's precache), the first Retrain does, and
// from then on the service worker has them, so Retrain works offline too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chooseFiles, goodFiles, mark, retrain, serve, waitForOfflineCache, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

const LAZY = /(trainer-|examples-)[\w.-]+$/;

// The trainer's files named by the page, and which of them some cache holds.
function trainerFiles(page) {
  return page.evaluate(async () => {
    const meta = document.querySelector('meta[name="daynight-trainer"]')?.content.split(/\s+/) ?? [];
    const cached = [];
    for (const f of meta) if (await caches.match(new URL(f, location.href).href)) cached.push(f);
    return { named: meta, cached };
  });
}

test("the trainer is fetched on the first Retrain only, then cached, and retrains offline", async () => {
  await withApp(server.url, {}, async ({ page, context, problems }) => {
    const fetched = [];
    context.on("request", (r) => LAZY.test(new URL(r.url()).pathname) && fetched.push(new URL(r.url()).pathname));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await waitForOfflineCache(page);

    let files = await trainerFiles(page);
    assert.equal(files.named.length, 4, `loader, js, wasm and examples: ${files.named}`);
    assert.ok(files.named.some((f) => /^\.\/examples-[0-9a-f]{16}\.bin$/.test(f)), `${files.named}`);
    assert.deepEqual(files.cached, [], "the first visit caches none of them");
    assert.deepEqual(fetched, [], "nor fetches them");

    const [photo] = await chooseFiles(page, goodFiles(1));
    await mark(page, photo.name, photo.label);
    const started = Date.now();
    const first = await retrain(page);
    const ms = Date.now() - started;
    console.log(`first retrain (download + train): ${ms} ms; before ${first.before}, after ${first.after}`);
    assert.ok(fetched.length >= 3, `the first Retrain fetched the trainer: ${fetched}`);
    // The service worker stores them in the background.
    await page.waitForFunction(
      async () => {
        const meta = document.querySelector('meta[name="daynight-trainer"]').content.split(/\s+/);
        for (const f of meta) if (!(await caches.match(new URL(f, location.href).href))) return false;
        return true;
      },
      null,
      { timeout: 30_000, polling: 200 },
    );

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const [again] = await chooseFiles(page, goodFiles(1));
    await mark(page, again.name, again.label === "day" ? "night" : "day");
    const offline = await retrain(page);
    assert.ok(Number.isFinite(offline.after), `retrained offline: ${offline.text}`);
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  });
});
