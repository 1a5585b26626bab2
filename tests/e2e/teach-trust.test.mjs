// Issue 20, "teaching you can trust": a fresh profile visits once online, goes
// offline and reloads, marks 6 photos and retrains (the trainer was fetched in the
// background after the first visit); the retrain can be undone, also after a reload;
// the same photo added twice and marked twice is one example.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseFiles, goodFiles, mark, modelInUse, serve, waitForOfflineCache, waitForTrainerCache, withApp } from "./lib.mjs";

test("first visit online, then offline: 6 marks, Retrain works, and Undo brings back the previous model", async () => {
  const server = serve();
  try {
    await withApp(server.url, {}, async ({ page, context, problems }) => {
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await waitForOfflineCache(page);
      await waitForTrainerCache(page);
      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });

      const results = await chooseFiles(page, goodFiles(6));
      assert.equal(results.length, 6);
      for (const [i, r] of results.entries()) await mark(page, r.name, i % 3 === 0 ? (r.label === "day" ? "night" : "day") : r.label);
      assert.equal(await page.locator('[data-testid="marked-example"]').count(), 6);

      const before = await modelInUse(page);
      await page.click('[data-testid="retrain"]');
      const result = page.locator('[data-testid="retrain-result"]');
      await result.waitFor({ timeout: 180_000 });
      const text = await result.textContent();
      console.log(`offline retrain: ${text}`);
      assert.match(text, /Right on your 6 marked photos|does worse on your 6 marked photos/, text);
      assert.match(text, /the built-in model/, "it names the model it compared with");
      if (await page.locator('[data-testid="use-new-model"]').count()) {
        // The new model did worse on the marks: it is offered, not used.
        assert.deepEqual(await modelInUse(page), before, "a worse model is not used by itself");
        await page.click('[data-testid="use-new-model"]');
        await page.waitForFunction((id) => document.querySelector("main").dataset.model !== id, before.id);
      } else {
        await page.waitForFunction((id) => document.querySelector("main").dataset.model !== id, before.id, { timeout: 30_000 });
      }
      const after = await modelInUse(page);
      assert.equal(after.origin, "trained");
      assert.notEqual(after.id, before.id);

      // Undo survives a reload (offline still).
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
      assert.deepEqual(await modelInUse(page), after, "the retrained model after a reload");
      await page.click('[data-testid="undo-retrain"]');
      await page.waitForFunction((id) => document.querySelector("main").dataset.model === id, before.id, { timeout: 30_000 });
      assert.deepEqual(await modelInUse(page), before, "undo restores the previous model");
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
      assert.deepEqual(await modelInUse(page), before, "and it stays after a reload");
      assert.equal(await page.locator('[data-testid="undo-retrain"]').count(), 0, "nothing left to undo");
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p)), []);
    });
  } finally {
    server.stop();
  }
});

test("the same photo added twice and marked twice is one example", async () => {
  const server = serve();
  try {
    await withApp(server.url, {}, async ({ page, problems }) => {
      const [file] = goodFiles(1);
      await chooseFiles(page, [file]);
      await chooseFiles(page, [file]);
      const cards = page.locator('[data-testid="result"]');
      assert.equal(await cards.count(), 2, "two cards for the two adds");
      const [a, b] = [cards.nth(0), cards.nth(1)];
      await a.locator('[data-testid="mark-day"]').click();
      await b.locator('[data-testid="mark-night"]').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="result"][data-mark]').length >= 1);
      await page.locator("details.examples summary").click();
      const examples = page.locator('[data-testid="marked-example"]');
      assert.equal(await examples.count(), 1, "one photo, one example");
      assert.match(await examples.first().textContent(), /night/, "the later mark wins");
      assert.match(await page.textContent('[data-testid="teach-count"]'), /0 day, 1 night/);
      assert.deepEqual(problems, []);
    });
  } finally {
    server.stop();
  }
});
