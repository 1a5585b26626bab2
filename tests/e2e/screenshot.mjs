// Takes the README screenshot of the real page: a few photos classified, one bad
// file. `node tests/e2e/screenshot.mjs [OUT.png] [light|dark]` (build dist first).
import { readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { chooseFiles, repo, serve, testFolder, withApp } from "./lib.mjs";

const out = resolve(process.argv[2] || join(repo, "docs/screenshot.png"));
const colorScheme = process.argv[3] || "light";
const pick = (dir, names) => names.map((n) => join(testFolder, dir, readdirSync(join(testFolder, dir)).sort()[n]));
const bad = join(mkdtempSync(join(tmpdir(), "daynight-shot-")), "notes.jpg");
writeFileSync(bad, "not a photo\n");

const server = serve();
try {
  await withApp(server.url, { colorScheme }, async ({ page }) => {
    await page.setViewportSize({ width: 1100, height: 820 });
    await chooseFiles(page, [...pick("day", [3, 30, 60]), ...pick("night", [5, 40, 70]), bad, ...pick("night", [20])]);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out });
  });
  console.log(`wrote ${out}`);
} finally {
  server.stop();
}
