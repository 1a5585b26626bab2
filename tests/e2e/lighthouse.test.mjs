// Lighthouse (npm `lighthouse`, through its Node API) on Debian's Chromium, mobile and
// desktop: accessibility and best practices must score 100 on the empty page and on a
// page holding results (day and night answers, a file that could not be read, a card
// marked for teaching), and the performance score, LCP and total blocking time of a
// first load are printed.
//
// A user flow (https://github.com/GoogleChrome/lighthouse/blob/main/docs/user-flows.md):
// chrome-launcher starts Chromium (fresh profile, headless as root), puppeteer-core
// drives it over the same DevTools port, and Lighthouse audits two steps of one page:
// a navigation (the empty page, with Lighthouse's own emulation and simulated
// throttling) and, once photos were added through the file input, a snapshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFlow, desktopConfig } from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import puppeteer from "puppeteer-core";
import { CHROME_FLAGS, goodFiles, repo, serve } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

// Headless as root, nothing phoning home: lib.mjs's flags, with chrome-launcher's
// plain "--headless" for the new mode's spelling it passes through.
const FLAGS = CHROME_FLAGS.map((f) => (f === "--headless=new" ? "--headless" : f));
const CATEGORIES = ["performance", "accessibility", "best-practices"];
// The snapshot's screen: what Lighthouse emulates for its navigation (a Moto G Power,
// or a desktop window), which a snapshot does not set itself.
const SCREEN = {
  mobile: { width: 412, height: 823, deviceScaleFactor: 1.75, mobile: true },
  desktop: { width: 1350, height: 940, deviceScaleFactor: 1, mobile: false },
};

// Emulates the form factor's screen through a DevTools session of the test's own.
// Each Lighthouse step's emulation ends with the step and takes any earlier one along,
// and the same override sent again does not restore the pixel ratio: it is cleared
// first.
async function emulate(cdp, formFactor) {
  await cdp.send("Emulation.clearDeviceMetricsOverride");
  await cdp.send("Emulation.setDeviceMetricsOverride", SCREEN[formFactor]);
  await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: SCREEN[formFactor].mobile });
}

function configFor(formFactor) {
  const base = formFactor === "desktop" ? desktopConfig : { extends: "lighthouse:default" };
  return { ...base, settings: { ...base.settings, onlyCategories: CATEGORIES } };
}

// Every audit of a category that lost points: "id (score): title: details".
function failures(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
    .map((ref) => {
      const audit = lhr.audits[ref.id];
      const items = (audit.details?.items ?? []).slice(0, 5).map((i) => i.node?.snippet ?? i.node?.selector ?? i.description ?? i.url ?? JSON.stringify(i).slice(0, 160));
      return `${ref.id} (${audit.score}): ${audit.title}${items.length ? `: ${items.join(" | ")}` : ""}`;
    });
}

const percent = (score) => (score === null || score === undefined ? "n/a" : Math.round(score * 100));

for (const formFactor of ["mobile", "desktop"]) {
  test(`Lighthouse ${formFactor}: accessibility and best practices 100, empty and holding results`, { timeout: 600_000 }, async () => {
    const profile = mkdtempSync(join(tmpdir(), "daynight-lighthouse-"));
    const chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
      chromeFlags: FLAGS,
      userDataDir: profile,
      logLevel: "error",
    });
    let browser;
    try {
      browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
      const page = await browser.newPage();
      const flow = await startFlow(page, { name: `daynight ${formFactor}`, config: configFor(formFactor), flags: { logLevel: "error" } });

      await flow.navigate(server.url, { name: "first load, empty page" });

      const cdp = await page.createCDPSession();
      await emulate(cdp, formFactor);
      await page.waitForSelector('main[data-ready="true"]', { timeout: 60_000 });
      const files = [...goodFiles(4), join(repo, "tests/badfiles/truncated-header.jpg")];
      // Adding the photos is a timespan: best practices there include the console
      // (errors, deprecations, issues) while they are classified.
      await flow.startTimespan({ name: "adding 5 photos" });
      const input = await page.$("#file-input");
      await input.uploadFile(...files);
      await page.waitForFunction(
        (n) => {
          const cards = [...document.querySelectorAll('[data-testid="result"]')];
          return cards.length === n && cards.every((c) => c.dataset.label || c.dataset.error !== undefined);
        },
        { timeout: 120_000, polling: 100 },
        files.length,
      );
      // One card marked, so the mark and the Teach list are audited too.
      await page.click('[data-testid="result"][data-label] [data-testid="mark-day"]');
      await page.waitForSelector('[data-testid="result"][data-mark="day"]');
      await flow.endTimespan();
      await emulate(cdp, formFactor);
      // Let the list settle (thumbnails, the sticky toolbar) before the snapshot.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const shown = await page.evaluate(() => `${document.querySelectorAll('[data-testid="result"]').length} cards at ${innerWidth}x${innerHeight} CSS px, ${devicePixelRatio}x`);
      if (process.env.LIGHTHOUSE_PROBE) {
        // Proves the audit can fail: a button with no name, an image with no alt text.
        await page.evaluate(() => document.querySelector("main").insertAdjacentHTML("beforeend", '<button type="button"></button><img src="./icon-192.png">'));
      }
      await flow.snapshot({ name: `holding results (${shown})` });

      const { steps } = await flow.createFlowResult();
      const problems = [];
      for (const { lhr, name } of steps) {
        // Only a navigation measures a load: the other steps' performance scores mean
        // little here (the timespan's total blocking time is printed instead).
        const shownCategories = CATEGORIES.filter((c) => lhr.categories[c] && (lhr.gatherMode === "navigation" || c !== "performance"));
        const scores = shownCategories.map((c) => {
          const refs = lhr.categories[c].auditRefs.filter((r) => r.weight > 0 && lhr.audits[r.id].scoreDisplayMode !== "notApplicable");
          return `${c} ${percent(lhr.categories[c].score)} (${refs.length} audits)`;
        });
        let line = `lighthouse ${formFactor}, ${name}: ${scores.join(", ")}`;
        if (lhr.gatherMode === "timespan") {
          const tbt = lhr.audits["total-blocking-time"];
          line += `; TBT ${tbt.displayValue} (${Math.round(tbt.numericValue)} ms)`;
        }
        if (lhr.gatherMode === "navigation") {
          const lcp = lhr.audits["largest-contentful-paint"];
          const tbt = lhr.audits["total-blocking-time"];
          line += `; LCP ${lcp.displayValue} (${Math.round(lcp.numericValue)} ms), TBT ${tbt.displayValue} (${Math.round(tbt.numericValue)} ms)`;
        }
        console.log(line);
        // A timespan has no accessibility audits (they read a page, not a span of time).
        for (const category of lhr.gatherMode === "timespan" ? ["best-practices"] : ["accessibility", "best-practices"]) {
          assert.ok(lhr.categories[category], `${name}: ${category} was audited`);
          for (const failure of failures(lhr, category)) problems.push(`${name}, ${category}: ${failure}`);
          if (lhr.categories[category].score !== 1) problems.push(`${name}: ${category} ${percent(lhr.categories[category].score)}`);
        }
        if (lhr.runtimeError) problems.push(`${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      }
      for (const p of problems) console.log(`  ${p}`);
      assert.equal(steps.length, 3);
      assert.deepEqual(problems, [], `${formFactor}: accessibility and best practices are 100 on every step`);
    } finally {
      await browser?.disconnect().catch(() => {});
      await chrome.kill();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}
