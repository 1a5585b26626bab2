// Issue 10, "done when": in Chromium, mark the true label on 40 photos of a kind the
// built-in model is weak on (infrared camera frames, see kinds.mjs), retrain in the
// page, and check that
//   - the marked photos are then at least 90 % right,
//   - the other photos of that kind (120, never marked) did not get worse,
//   - the exported model gives the CLI the page's labels for the same files,
//   - a reload keeps the model and the marks, and "Back to the built-in model" undoes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  builtinModelId,
  chooseFiles,
  cliLabels,
  labelsByName,
  mark,
  modelInUse,
  needsTestFolder,
  retrain,
  serve,
  testFolder,
  waitForOrigin,
  withApp,
} from "./lib.mjs";
import { infrared } from "./kinds.mjs";

const why = needsTestFolder();

let server;
before(() => (server = why ? null : serve()));
after(() => server?.stop());

const share = (labels, photos) => photos.filter((p) => labels[p.name] === p.label).length / photos.length;
const pct = (x) => `${(x * 100).toFixed(1)} %`;

test("40 marked infrared photos teach the model without making the others worse", { skip: why, timeout: 1_200_000 }, async () => {
  await withApp(server.url, {}, async ({ page, problems, context }) => {
    const photos = ["day", "night"].flatMap((label) =>
      readdirSync(join(testFolder, label)).sort().map((f) => ({ path: join(testFolder, label, f), label })),
    );
    const ir = await infrared(context, photos);
    // Every fourth photo of each label is marked (20 + 20, spread over the night);
    // the other 120 are the "other photos of that kind".
    const marked = ["day", "night"].flatMap((label) => ir.filter((p) => p.label === label).filter((_, i) => i % 4 === 0));
    const others = ir.filter((p) => !marked.includes(p));
    assert.equal(marked.length, 40);

    await chooseFiles(page, ir.map((p) => p.path), { timeout: 600_000 });
    const builtin = await labelsByName(page);
    const [othersBefore, markedBefore] = [share(builtin, others), share(builtin, marked)];
    console.log(`built-in model: others ${pct(othersBefore)}, marked ${pct(markedBefore)} right`);
    assert.ok(othersBefore < 0.85, `the built-in model is weak on this kind (${pct(othersBefore)} right)`);

    for (const p of marked) await mark(page, p.name, p.label);
    assert.match(await page.textContent('[data-testid="teach-count"]'), /20 day, 20 night/);

    const outcome = await retrain(page, { timeout: 300_000 });
    const trained = await labelsByName(page);
    const [othersAfter, markedAfter] = [share(trained, others), share(trained, marked)];
    console.log(`retrained: others ${pct(othersAfter)}, marked ${pct(markedAfter)} right; page says ${outcome.text.trim()}`);
    assert.ok(markedAfter >= 0.9, `the marked photos are ≥ 90 % right after retraining (${pct(markedAfter)})`);
    assert.ok(othersAfter >= othersBefore, `the other photos did not get worse (${pct(othersBefore)} → ${pct(othersAfter)})`);
    assert.ok(outcome.after > outcome.before, `cross-validated accuracy on the marks went up (${outcome.before} → ${outcome.after})`);
    const flipped = ir.filter((p) => builtin[p.name] !== trained[p.name]).length;
    assert.ok(outcome.changed >= 1 && flipped >= 1, `cards changed answer (page says ${outcome.changed}, labels flipped ${flipped})`);
    const id = await page.getAttribute("main", "data-model");
    assert.match(id, /^[0-9a-f]{12}$/, "data-model names the trained model");
    assert.match(await page.textContent('[data-testid="model-source"]'), /trained here/);

    // The exported model, given to the CLI, labels the same files as the page.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-model"]')]);
    const modelFile = join(mkdtempSync(join(tmpdir(), "daynight-model-")), "model.json");
    await download.saveAs(modelFile);
    const cli = cliLabels(ir.map((p) => p.path), modelFile);
    const differ = ir.filter((p) => cli[p.name] !== trained[p.name]).map((p) => `${p.name}: page ${trained[p.name]}, CLI ${cli[p.name]}`);
    assert.deepEqual(differ, [], "the CLI with the exported model gives the page's labels");

    // A reload keeps the model and the marks; new photos are classified with it.
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]', { timeout: 60_000 });
    assert.equal(await page.getAttribute("main", "data-model"), id, "the trained model survives a reload");
    assert.match(await page.textContent('[data-testid="teach-count"]'), /20 day, 20 night/, "the marks survive a reload");
    const again = others.slice(0, 12);
    await chooseFiles(page, again.map((p) => p.path));
    const reloaded = await labelsByName(page);
    assert.deepEqual(again.map((p) => reloaded[p.name]), again.map((p) => trained[p.name]), "same answers after the reload");

    // One click back to the built-in model, which re-classifies the list.
    await page.click('[data-testid="use-builtin"]');
    await waitForOrigin(page, "builtin");
    assert.deepEqual(await modelInUse(page), { id: builtinModelId(), origin: "builtin" });
    await page.waitForFunction(
      (expected) => Object.entries(expected).every(([name, label]) => document.querySelector(`[data-testid="result"][data-name="${name}"]`)?.dataset.label === label),
      Object.fromEntries(again.map((p) => [p.name, builtin[p.name]])),
    );
    assert.match(await page.textContent('[data-testid="model-source"]'), /built-in/);
    assert.deepEqual(problems, [], "no console errors or CSP violations");
  });
});
