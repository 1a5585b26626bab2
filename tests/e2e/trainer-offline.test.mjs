// Retraining works offline from the first visit: the trainer worker and the built-in
// examples are not on a first visit's path to its first answer, but once the page is
// ready the service worker fetches them in the background. A fresh profile that visits
// once online, goes offline and reloads can mark photos and retrain.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chooseFiles, goodFiles, mark, retrain, serve, waitForOfflineCache, waitForTrainerCache, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

const LAZY = /\/(trainer-|examples-)[\w.-]+$/;

test("first visit online, then offline: the trainer is cached in the background and Retrain works", async () => {
  const fetched = [];
  await withApp(
    server.url,
    {
      // When the page became ready (its first answer is possible), by the page's clock.
      init: (context) => {
        context.on("request", (r) => LAZY.test(new URL(r.url()).pathname) && fetched.push({ path: new URL(r.url()).pathname, at: Date.now(), sw: !!r.serviceWorker() }));
        return context.addInitScript(() => {
          new MutationObserver((_, observer) => {
            if (document.querySelector('main[data-ready="true"]')) {
              window.__readyAt = Date.now();
              observer.disconnect();
            }
          }).observe(document, { subtree: true, attributes: true, childList: true });
        });
      },
    },
    async ({ page, context, problems }) => {
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await waitForOfflineCache(page);
      const started = Date.now();
      const files = await waitForTrainerCache(page);
      console.log(`trainer cached in the background ${Date.now() - started} ms after the app: ${files.join(" ")}`);
      assert.equal(files.length, 4, `loader, js, wasm and examples: ${files}`);
      assert.ok(files.some((f) => /^\.\/examples-[0-9a-f]{16}\.bin$/.test(f)), `${files}`);
      // The events of the service worker's requests can reach the test after the
      // files are in its cache.
      for (let i = 0; i < 100 && fetched.filter((f) => f.sw).length < 4; i++) await page.waitForTimeout(100);
      const readyAt = await page.evaluate(() => window.__readyAt);
      assert.ok(readyAt, "the page became ready");
      console.log(`trainer requests: ${fetched.map((f) => `${f.path.split("/").pop()} ${f.sw ? "by the service worker" : "by the page"} ${f.at - readyAt} ms after ready`).join("; ")}`);
      assert.ok(fetched.filter((f) => f.sw).length >= 4, `the service worker fetched them: ${JSON.stringify(fetched)}`);
      assert.deepEqual(fetched.filter((f) => f.at < readyAt), [], "none of them before the page was ready");

      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
      const cards = await chooseFiles(page, goodFiles(6));
      for (const [i, card] of cards.entries()) await mark(page, card.name, i % 2 ? "night" : "day");
      const result = await retrain(page);
      console.log(`offline retrain on 6 marks: before ${result.before}, after ${result.after}, ${result.changed} changed`);
      assert.ok(Number.isFinite(result.after), `retrained offline: ${result.text}`);
      assert.doesNotMatch(result.text, /failed/i);
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
    },
  );
});
