// Offline: after one visit the service worker serves the app, which still
// classifies with the network gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chooseFiles, repo, serve, testFolder, waitForOfflineCache, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

test("after one visit the app opens and classifies offline", async () => {
  await withApp(server.url, {}, async ({ page, problems, context }) => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await waitForOfflineCache(page);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const day = join(testFolder, "day");
    const file = existsSync(day) ? join(day, readdirSync(day).sort()[0]) : join(repo, "tests/badfiles/one-pixel.png");
    const [result] = await chooseFiles(page, [file]);
    assert.match(result.label, /^(day|night)$/, "classified offline");
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  });
});

test("a new build replaces the cached one whole", async () => {
  await withApp(server.url, {}, async ({ page }) => {
    await waitForOfflineCache(page);
    // Every file the cached index.html names is in the same cache as that html.
    const missing = await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        const html = await cache.match("./");
        if (!html) continue;
        const text = await html.text();
        const files = [...text.matchAll(/\.\/([\w.-]+\.(?:js|wasm|css))/g)].map((m) => m[1]);
        const absent = [];
        for (const f of [...files, "worker.js"]) if (!(await cache.match(f))) absent.push(f);
        return { files: files.length, absent };
      }
      return { files: 0, absent: ["no cached index.html"] };
    });
    assert.ok(missing.files >= 3, `the html names its css, js and wasm: ${JSON.stringify(missing)}`);
    assert.deepEqual(missing.absent, []);
  });
});
