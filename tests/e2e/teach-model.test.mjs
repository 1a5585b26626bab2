// Issue 10 without the data set (generated photos when ../shared/data is missing):
// marks (toggle, remove, survive Clear and a reload), a broken model import refused
// with an alert and the model unchanged, a valid import used and kept over a reload,
// and "Back to the built-in model".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { builtinModelId, chooseFiles, goodFiles, mark, modelInUse, serve, waitForOrigin, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

const count = (page) => page.textContent('[data-testid="teach-count"]');

test("marks toggle, say whether the model agreed, and outlive Clear and a reload", async () => {
  const files = goodFiles(4);
  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, files);
    const [first, second] = results;
    assert.match(await count(page), /0 day, 0 night/);
    const retrain = page.locator('[data-testid="retrain"]');
    assert.ok(await retrain.isDisabled(), "Retrain waits for a mark");

    // Mark the first as what the model said, the second as the opposite.
    const other = (label) => (label === "day" ? "night" : "day");
    await mark(page, first.name, first.label);
    await mark(page, second.name, other(second.label));
    const card = (name) => page.locator(`[data-testid="result"][data-name="${name}"]`);
    assert.match(await card(first.name).locator('[data-testid="mark-note"]').textContent(), /the model agrees/);
    assert.match(await card(second.name).locator('[data-testid="mark-note"]').textContent(), /the model disagrees/);
    assert.equal(await card(first.name).locator(`[data-testid="mark-${first.label}"]`).getAttribute("aria-pressed"), "true");
    assert.ok(await retrain.isEnabled(), "one mark is enough: the built-in examples hold both labels");

    // Pressing the pressed mark again removes it (by keyboard: focus stays on the button).
    await card(first.name).locator(`[data-testid="mark-${first.label}"]`).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => !document.querySelector(`[data-testid="result"][data-name="${n}"]`).dataset.mark, first.name);
    await page.waitForFunction(
      ({ n, label }) => document.activeElement?.closest(`[data-testid="result"][data-name="${n}"]`) && document.activeElement.dataset.testid === `mark-${label}`,
      { n: first.name, label: first.label },
    );
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-pressed")), "false");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-testid="result"][data-name="${first.name}"][data-mark="${first.label}"]`);
    const marks = { day: 0, night: 0 };
    marks[first.label]++;
    marks[other(second.label)]++;
    const expected = new RegExp(`${marks.day} day, ${marks.night} night`);
    assert.match(await count(page), expected);

    // The Teach list outlives the results list, and the page.
    await page.getByRole("button", { name: "Clear" }).click();
    assert.equal(await page.locator('[data-testid="result"]').count(), 0);
    assert.match(await count(page), expected, "marks survive Clear");
    await page.waitForTimeout(300); // the list is written to IndexedDB in the background
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]');
    assert.match(await count(page), expected, "marks survive a reload");

    // Forgetting from the Teach list.
    await page.locator("details.examples summary").click();
    await page.getByRole("button", { name: `Forget ${second.name}` }).click();
    marks[other(second.label)]--;
    assert.match(await count(page), new RegExp(`${marks.day} day, ${marks.night} night`));
    assert.deepEqual(problems, [], "no console errors or CSP violations");
  });
});

test("a broken model file is refused with an alert; a valid one is used, kept and undone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "daynight-import-"));
  await withApp(server.url, {}, async ({ page, problems }) => {
    const builtin = { id: builtinModelId(), origin: "builtin" };
    assert.deepEqual(await modelInUse(page), builtin);
    assert.match(await page.textContent('[data-testid="model-source"]'), /built-in/);

    // The built-in model, exported: exactly the CLI's model format.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-model"]')]);
    const exported = join(dir, "exported.json");
    await download.saveAs(exported);
    const model = JSON.parse(readFileSync(exported, "utf8"));
    assert.ok(Array.isArray(model.weights) && model.format_version, "the export is a model file");

    // Broken files: not JSON, a newer format, a feature missing, a number that is not finite.
    const broken = {
      "not-json.json": "{ this is not json",
      "future.json": JSON.stringify({ ...model, format_version: 999 }),
      "short.json": JSON.stringify({ ...model, weights: model.weights.slice(1), features: model.features.slice(1) }),
      "huge-number.json": JSON.stringify(model).replace(/("bias":\s*)[-0-9.e]+/, "$11e999"),
    };
    for (const [name, text] of Object.entries(broken)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      await page.setInputFiles('[data-testid="import-model"]', file);
      const alert = page.locator('[role="alert"]', { hasText: name });
      await alert.waitFor({ timeout: 30_000 });
      assert.match(await alert.textContent(), /unchanged/, `${name}: the alert says the model is unchanged`);
      assert.deepEqual(await modelInUse(page), builtin, `${name}: the model is unchanged`);
    }
    // The page still works.
    const results = await chooseFiles(page, goodFiles(1));
    assert.ok(results[0].label, "still classifies after refused imports");

    // A valid file is used (its own id, not the built-in one's) and kept over a reload.
    const valid = join(dir, "my-model.json");
    writeFileSync(valid, JSON.stringify({ ...model, bias: model.bias + 0.5 }));
    await page.setInputFiles('[data-testid="import-model"]', valid);
    await waitForOrigin(page, "imported");
    const id = await page.getAttribute("main", "data-model");
    assert.match(id, /^[0-9a-f]{12}$/);
    assert.notEqual(id, builtin.id);
    assert.match(await page.textContent('[data-testid="model-source"]'), new RegExp(`imported from ${basename(valid)}`));
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]');
    assert.equal(await page.getAttribute("main", "data-model"), id, "the imported model survives a reload");

    await page.click('[data-testid="use-builtin"]');
    await waitForOrigin(page, "builtin");
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]');
    assert.deepEqual(await modelInUse(page), builtin, "back to built-in, also after a reload");
    assert.deepEqual(problems, [], "no console errors or CSP violations");
  });
});
