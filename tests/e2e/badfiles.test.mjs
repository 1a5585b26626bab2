// Bad files: each gets an error card or a result, never a dead page, and a bad
// file in a batch does not stop the others.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { chooseFiles, goodFiles, repo, serve, withApp } from "./lib.mjs";

const corpus = join(repo, "tests/badfiles");
const badFiles = existsSync(corpus)
  ? readdirSync(corpus).filter((f) => !/\.(py|json|md)$/.test(f)).sort().map((f) => join(corpus, f))
  : [];
const expectations = existsSync(join(corpus, "expected.json"))
  ? JSON.parse(readFileSync(join(corpus, "expected.json"), "utf8"))
  : {};

let server;
before(() => (server = serve()));
after(() => server.stop());

test("a bad file in a batch gets an error card while the others finish", async () => {
  const good = goodFiles(4);
  const dir = mkdtempSync(join(tmpdir(), "daynight-bad-"));
  const text = join(dir, "holiday.jpg");
  writeFileSync(text, "this is a text file wearing a .jpg name\n");
  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, [good[0], good[1], text, good[2], good[3]]);
    const bad = results.find((r) => r.name === "holiday.jpg");
    assert.ok(bad.error, "the text file gets an error card");
    assert.equal(bad.label, undefined);
    const others = results.filter((r) => r.name !== "holiday.jpg");
    assert.equal(others.length, 4);
    for (const r of others) assert.match(r.label, /^(day|night)$/, `${r.name} was classified`);
    assert.equal(await page.locator(".card.error").count(), 1, "one error card is shown");
    assert.deepEqual(problems, []);
  });
});

test("every file of the bad-input corpus gives an error card or a result", { skip: badFiles.length === 0 && "tests/badfiles is empty" }, async () => {
  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, badFiles);
    assert.equal(results.length, badFiles.length);
    const report = [];
    for (const r of results) {
      assert.ok(r.error || /^(day|night)$/.test(r.label), `${r.name}: a result or an error`);
      if (r.error) assert.ok(r.error.length > 10, `${r.name}: the error says something`);
      const want = expectations[r.name];
      // What the CLI refuses as too large or empty, the page must refuse too; browsers
      // may salvage a truncated file, which is allowed.
      if (want?.error && /over the limit|empty|not a supported/.test(want.error)) assert.ok(r.error, `${r.name} is refused like the CLI does`);
      report.push(`  ${r.name}: ${r.error ? "error: " + r.error : r.label}`);
    }
    console.log("bad inputs in the browser:\n" + report.join("\n"));
    // The page is alive: a good file right after still works.
    const [after] = (await chooseFiles(page, goodFiles(1))).slice(-1);
    assert.match(after.label, /^(day|night)$/);
    assert.deepEqual(problems, []);
  });
});
