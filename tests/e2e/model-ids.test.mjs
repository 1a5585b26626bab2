// Issue 19, "one owner for each fact": whichever model is in use (built-in, served
// by the site, imported, retrained here), `data-model`, the results' CSV and JSON
// exports and the exported model's file name all name the same id; and a trainer
// that answers something the page does not expect gets an error in words, with the
// model in use unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinModelId, chooseFiles, dist, goodFiles, mark, modelInUse, repo, retrain, serve, waitForOrigin, withApp } from "./lib.mjs";

const builtinJson = readFileSync(join(repo, "model/daynight.json"), "utf8");
const shifted = (by) => JSON.stringify({ ...JSON.parse(builtinJson), bias: JSON.parse(builtinJson).bias + by });

// Saves what clicking `selector` downloads; returns { name, text }.
async function download(page, selector, dir) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: readFileSync(path, "utf8") };
}

// The model ids every export names, next to `data-model`.
async function idsEverywhere(page, dir) {
  const { id, origin } = await modelInUse(page);
  const csv = await download(page, 'button:text("Export CSV")', dir);
  const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
  // model and date, the last two columns, hold no commas (the reasons before them do).
  assert.deepEqual(lines[0].split(",").slice(-2), ["model", "date"]);
  const csvIds = new Set(lines.slice(1).map((line) => line.split(",").at(-2)));
  const json = JSON.parse((await download(page, 'button:text("Export JSON")', dir)).text);
  const jsonIds = new Set(json.map((row) => row.model));
  const exported = await download(page, '[data-testid="export-model"]', dir);
  return { id, origin, csv: [...csvIds], json: [...jsonIds], file: exported.name };
}

function assertOneId(ids, origin) {
  assert.equal(ids.origin, origin);
  assert.match(ids.id, /^[0-9a-f]{12}$/, `${origin}: data-model is the model's hex id`);
  assert.deepEqual(ids.csv, [ids.id], `${origin}: the CSV's model column`);
  assert.deepEqual(ids.json, [ids.id], `${origin}: the JSON's model field`);
  assert.equal(ids.file, `daynight-model-${ids.id}.json`, `${origin}: the exported model's file name`);
}

test("built-in, served, imported and retrained: one id in data-model, the exports and the model file name", async () => {
  const site = mkdtempSync(join(tmpdir(), "daynight-ids-site-"));
  const dir = mkdtempSync(join(tmpdir(), "daynight-ids-"));
  cpSync(dist, site, { recursive: true });
  writeFileSync(join(site, "model.json"), shifted(0.25));
  const server = serve(site);
  try {
    await withApp(server.url, {}, async ({ page, problems }) => {
      const [first] = await chooseFiles(page, goodFiles(2));
      const seen = {};

      await waitForOrigin(page, "server");
      seen.server = await idsEverywhere(page, dir);
      assertOneId(seen.server, "server");

      await page.click('[data-testid="use-builtin"]');
      await waitForOrigin(page, "builtin");
      seen.builtin = await idsEverywhere(page, dir);
      assertOneId(seen.builtin, "builtin");
      assert.equal(seen.builtin.id, builtinModelId(), "the built-in model's id is the one the CLI stamps");

      const file = join(dir, "mine.json");
      writeFileSync(file, shifted(0.5));
      await page.setInputFiles('[data-testid="import-model"]', file);
      await waitForOrigin(page, "imported");
      seen.imported = await idsEverywhere(page, dir);
      assertOneId(seen.imported, "imported");

      await mark(page, first.name, first.label === "day" ? "night" : "day");
      await retrain(page);
      await waitForOrigin(page, "trained");
      seen.trained = await idsEverywhere(page, dir);
      assertOneId(seen.trained, "trained");

      const ids = Object.values(seen).map((s) => s.id);
      assert.equal(new Set(ids).size, 4, `four models, four ids: ${ids}`);
      assert.deepEqual(problems, []);
    });
  } finally {
    server.stop();
    rmSync(site, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

// A trainer worker that says it is ready, then answers every request with a
// "trained" reply missing its numbers and its model.
const FAKE_TRAINER = `
self.onmessage = (event) => self.postMessage({ kind: "trained", id: event.data.id, before: 0.5 });
self.postMessage({ kind: "ready" });
`;

test("a trainer reply the page does not expect is an error in words, and the model stays", async () => {
  // A copy of the site whose trainer loader is the fake one.
  const site = mkdtempSync(join(tmpdir(), "daynight-fake-trainer-"));
  cpSync(dist, site, { recursive: true });
  const index = readFileSync(join(site, "index.html"), "utf8");
  const loader = index.match(/<meta name="daynight-trainer" content="([^" ]+)/)[1];
  writeFileSync(join(site, loader), FAKE_TRAINER);
  rmSync(join(site, `${loader}.gz`), { force: true });
  const server = serve(site);
  try {
    await withApp(server.url, {}, async ({ page, problems }) => {
      const before = await modelInUse(page);
      const [first] = await chooseFiles(page, goodFiles(1));
      await mark(page, first.name, first.label);
      await page.click('[data-testid="retrain"]');
      const alert = page.locator('[data-testid="model-problem"]');
      await alert.waitFor({ timeout: 30_000 });
      const said = await alert.textContent();
      assert.match(said, /Training failed: the trainer's answer could not be understood/, said);
      assert.match(said, /unchanged/, said);
      assert.doesNotMatch(said, /NaN|undefined/, said);
      assert.equal(await page.locator('[data-testid="retrain-result"]').count(), 0, "no success is shown");
      assert.deepEqual(await modelInUse(page), before, "the model in use is unchanged");
      assert.ok(await page.locator('[data-testid="retrain"]').isEnabled(), "Retrain can be pressed again");
      assert.deepEqual(problems, []);
    });
  } finally {
    server.stop();
    rmSync(site, { recursive: true, force: true });
  }
});
