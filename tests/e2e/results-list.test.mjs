// The results list for people with many photos, by keyboard, at a phone's size:
// the filter (probably / can't tell / wrong by your mark / failed / all), the larger view of a
// photo (a modal dialog: Esc closes it and focus returns to the thumbnail), and the
// explanation of the answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseFiles, goodFiles, mark, serve, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

// Names of the cards the list shows (the filter hides the others).
const shown = (page) =>
  page.$$eval('[data-testid="result"]', (cards) => cards.filter((c) => !c.hidden && c.offsetParent !== null).map((c) => c.dataset.name));

test("filter and larger view work by keyboard on a phone-sized screen", async () => {
  const dir = mkdtempSync(join(tmpdir(), "daynight-list-"));
  const text = join(dir, "notes.jpg");
  writeFileSync(text, "not a photo\n");
  await withApp(server.url, {}, async ({ page, problems }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const results = await chooseFiles(page, [...goodFiles(4), text]);
    const good = results.filter((r) => r.label);
    assert.equal(good.length, 4);
    const wrong = good[0];
    await mark(page, wrong.name, wrong.label === "day" ? "night" : "day");

    // The filter is a labelled <select>: keyboard only.
    const filter = page.locator('[data-testid="filter"]');
    await filter.focus();
    const pick = async (key) => {
      await page.keyboard.press(key);
      await page.waitForTimeout(100);
    };
    await pick("End"); // "Could not be read"
    assert.deepEqual(await shown(page), ["notes.jpg"], "failed only");
    await pick("ArrowUp"); // "Wrong by your mark"
    assert.deepEqual(await shown(page), [wrong.name], "wrong by your mark only");
    await pick("Home"); // "All photos"
    assert.equal((await shown(page)).length, 5, "all again");
    assert.match(await page.textContent('[data-testid="summary"]'), /could not be read/);

    // Larger view: Enter on a thumbnail opens a modal dialog; Esc closes it and
    // focus goes back to that thumbnail.
    const thumb = page.locator(`[data-testid="result"][data-name="${good[1].name}"] [data-testid="view"]`);
    await thumb.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="lightbox"][open]');
    assert.match(await page.textContent('[data-testid="lightbox"]'), new RegExp(good[1].name.replace(/[.()]/g, "\\$&")));
    assert.ok(await page.evaluate(() => document.querySelector('[data-testid="lightbox"]').contains(document.activeElement)), "focus is in the dialog");
    const box = await page.locator('[data-testid="lightbox"] img').boundingBox();
    assert.ok(box.width > 176 && box.width <= 390, `the photo is shown larger, within the screen (${box.width} px)`);
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="lightbox"]:not([open])', { state: "attached" });
    assert.ok(
      await page.evaluate((n) => document.activeElement === document.querySelector(`[data-testid="result"][data-name="${n}"] [data-testid="view"]`), good[1].name),
      "focus returns to the thumbnail",
    );

    // The explanation of the answers, and nothing wider than the screen.
    await page.locator('[data-testid="help"] summary').click();
    const help = await page.textContent('[data-testid="help"]');
    for (const words of [/Probably day/, /Can't tell/, /almost nothing to judge/, /Could not be read/]) assert.match(help, words);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling at 390 px");
    assert.deepEqual(problems, [], "no console errors or CSP violations");
  });
});
