// The page classifies the 160 test photos with the same labels as the CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chooseFiles, cliLabels, needsTestFolder, serve, testFolder, withApp } from "./lib.mjs";

const why = needsTestFolder();

let server;
before(() => (server = why ? null : serve()));
after(() => server?.stop());

test("the 160 test photos get the same label in the browser as from the CLI", { skip: why, timeout: 600_000 }, async () => {
  const expected = cliLabels([testFolder]);
  const files = ["day", "night"].flatMap((d) => readdirSync(join(testFolder, d)).sort().map((f) => join(testFolder, d, f)));
  assert.equal(files.length, 160, "the test folder holds 160 photos");
  assert.equal(Object.keys(expected).length, 160, "the CLI answered for every photo");

  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, files, { timeout: 300_000 });
    assert.equal(results.length, 160);
    const differ = results.filter((r) => r.label !== expected[r.name]);
    assert.deepEqual(
      differ.map((r) => `${r.name}: page ${r.label ?? r.error} (p_night ${r.pNight}), CLI ${expected[r.name]}`),
      [],
      "labels that differ from the CLI",
    );
    for (const r of results) assert.ok(r.ms > 0 && Number.isFinite(r.pNight), `${r.name} has its time and probability`);
    // Once the batch is done the toolbar counts the list by outcome.
    const summary = await page.textContent('[data-testid="summary"]');
    assert.match(summary, /^160 photos: \d+ day, \d+ night/);
    assert.doesNotMatch(summary, /could not be read|waiting/);
    assert.deepEqual(problems, [], "no console errors or CSP violations");
  });
});
