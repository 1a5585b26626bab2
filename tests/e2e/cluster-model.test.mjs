// The deployment's own model (issue 10, "a custom model from the cluster"): a copy of
// dist/ with or without a model.json beside index.html, served by the project's nginx
// with the real nginx.conf. Absent: the built-in model, silently. Valid: used for
// every photo, and the page says it came from this server's model.json. Invalid: a
// role="alert" message, and the built-in model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinModelId, chooseFiles, dist, goodFiles, repo, serve, waitForOrigin, withApp } from "./lib.mjs";

const builtinJson = readFileSync(join(repo, "model/daynight.json"), "utf8");

// Serves a copy of dist/ with `model` (text) as its model.json, or none; runs `body`
// on the page at `query` (e.g. "?debug").
async function withServerModel(model, body, query = "") {
  const dir = mkdtempSync(join(tmpdir(), "daynight-cluster-"));
  cpSync(dist, dir, { recursive: true });
  if (model !== undefined) writeFileSync(join(dir, "model.json"), model);
  const server = serve(dir);
  // What the server answered for model.json, recorded from before the page loads.
  const answers = [];
  const init = (context) => context.on("response", (r) => r.url().endsWith("/model.json") && answers.push(r.status()));
  try {
    await withApp(server.url + query, { init }, (app) => body({ ...app, answers }));
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The page has settled on a model once the source line is there.
const source = (page) => page.locator('[data-testid="model-source"]').textContent();
const problem = (page) => page.locator('[data-testid="model-problem"]');
const dataModel = (page) => page.getAttribute("main", "data-model");
const dataOrigin = (page) => page.getAttribute("main", "data-model-origin");

test("no model.json: the built-in model, nothing to say, no error in the console", async () => {
  await withServerModel(undefined, async ({ page, problems, answers }) => {
    await page.waitForSelector('[data-testid="model-source"]');
    assert.equal(await dataModel(page), builtinModelId(), "the built-in model's id, as the CLI stamps it");
    assert.equal(await dataOrigin(page), "builtin");
    assert.match(await source(page), /built-in/);
    assert.equal(await problem(page).count(), 0);
    const [day] = await chooseFiles(page, goodFiles(1));
    assert.equal(day.label, "day");
    assert.ok(answers.length >= 1 && answers.every((s) => s === 204), `nginx says "no content": ${answers}`);
    assert.deepEqual(problems, [], "an absent model.json is not an error");
  });
});

// The built-in model, pushed far towards night: a day photo comes out night, so the
// answer proves which model the classifier worker used.
const allNight = () => {
  const model = JSON.parse(builtinJson);
  model.bias += 40;
  return JSON.stringify(model, null, 2);
};
const customModelInUse = async (page) => {
  await waitForOrigin(page, "server");
  assert.match(await dataModel(page), /^[0-9a-f]{12}$/);
};

test("a valid model.json is used for every photo, and the page says where it came from", async () => {
  await withServerModel(allNight(), async ({ page, problems, answers }) => {
    await customModelInUse(page);
    assert.match(await source(page), /model\.json/);
    assert.match(await source(page), new RegExp(await dataModel(page)), "the line names the model's id");
    assert.equal(await problem(page).count(), 0);
    const [day] = await chooseFiles(page, goodFiles(1));
    assert.equal(day.label, "night", "answered by the server's model");
    assert.ok(answers.length >= 1 && answers.every((s) => s === 200), `${answers}`);
    assert.deepEqual(problems, []);
  });
});

test("a classifier worker restarted after a crash gets the server's model again", async () => {
  await withServerModel(
    allNight(),
    async ({ page }) => {
      await customModelInUse(page);
      await page.evaluate(() => window.__daynight_debug.crashNext());
      const [crashed, day] = await chooseFiles(page, goodFiles(3).filter((_, i) => i !== 1));
      assert.match(crashed.error, /classifier stopped/);
      assert.equal(await page.evaluate(() => window.__daynight_debug.restarts()), 1);
      assert.equal(day.label, "night", "the new worker answers with the server's model, not the built-in one");
    },
    "?debug",
  );
});

for (const [what, text, message] of [
  ["another format version", JSON.stringify({ ...JSON.parse(builtinJson), format_version: 99 }), /version 99/],
  ["other features", builtinJson.replace('"mean_v"', '"moon_phase"'), /moon_phase/],
  ["not JSON", "<html>an error page</html>", /not valid model JSON/],
]) {
  test(`a model.json with ${what} is refused with a message, and the built-in model is used`, async () => {
    await withServerModel(text, async ({ page }) => {
      await problem(page).waitFor({ timeout: 30_000 });
      assert.equal(await problem(page).getAttribute("role"), "alert");
      const said = await problem(page).textContent();
      assert.match(said, /model\.json/);
      assert.match(said, message);
      assert.equal(await dataModel(page), builtinModelId());
      assert.equal(await dataOrigin(page), "builtin");
      const [day] = await chooseFiles(page, goodFiles(1));
      assert.equal(day.label, "day", "the built-in model answers");
    });
  });
}
