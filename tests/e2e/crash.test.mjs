// A panic in the classifier worker costs one image, not the page: the worker is
// restarted and the batch goes on. `?debug` exposes the test-only crash trigger.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chooseFiles, repo, serve, testFolder, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

const photos = () => {
  const day = join(testFolder, "day");
  return existsSync(day)
    ? readdirSync(day).sort().slice(0, 3).map((f) => join(day, f))
    : ["one-pixel.png", "animated.gif", "grayscale.jpg"].map((f) => join(repo, "tests/badfiles", f));
};

test("a worker crash marks the image in flight as an error and the rest go on", async () => {
  await withApp(server.url + "?debug", {}, async ({ page, problems }) => {
    await page.evaluate(() => window.__daynight_debug.crashNext());
    const results = await chooseFiles(page, photos());
    assert.match(results[0].error, /classifier stopped/, "the first image reports the crash");
    for (const r of results.slice(1)) assert.match(r.label, /^(day|night)$/, `${r.name} classified after the restart`);
    assert.equal(await page.evaluate(() => window.__daynight_debug.restarts()), 1);
    // The panic message is kept in the console for diagnosis.
    assert.ok(problems.some((p) => /deliberate crash/.test(p)), "panic logged");
  });
});

test("without ?debug there is no crash hook", async () => {
  await withApp(server.url, {}, async ({ page }) => {
    assert.equal(await page.evaluate(() => typeof window.__daynight_debug), "undefined");
  });
});
