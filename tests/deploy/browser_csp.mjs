// Loads the page from the nginx under test in headless Chromium and checks that the
// Content-Security-Policy lets the bundle start: the nonce'd inline start-up script runs,
// the wasm compiles, and (with the stand-in dist of make-fake-dist.sh) a module worker
// compiles its own wasm. Any CSP violation, page error or console error fails the check.
//
//   node tests/deploy/browser_csp.mjs BASE_URL [--expect-worker]
//
// Without --expect-worker (a real dist/), it waits for Trunk's TrunkApplicationStarted
// event instead. The app's own behaviour under this CSP (classifying a photo) is tested
// by the browser end-to-end tests in tests/e2e. Uses playwright-core from tests/e2e and
// Debian's chromium ($CHROMIUM to override). Prints PASS/FAIL lines; exits 1 on failure.
import { createRequire } from "node:module";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [base, flag] = process.argv.slice(2);
const expectWorker = flag === "--expect-worker";
let failed = 0;
const report = (name, ok, why) => {
  if (!ok) failed += 1;
  console.log(ok ? `PASS ${name}` : `FAIL ${name}: ${why}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  // CSP reports always count; other console errors only for the stand-in bundle (the
  // real app's own logging is the e2e tests' business).
  page.on("console", (m) => {
    const csp = /Content Security Policy|Refused to/i.test(m.text());
    if (csp || (expectWorker && m.type() === "error")) {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Listen for violations before any script of the page runs.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
    window.addEventListener("TrunkApplicationStarted", () => { window.__trunkStarted = true; });
  });
  const response = await page.goto(`${base}/`, { waitUntil: "load" });
  report("page loads", response && response.status() === 200, `status ${response && response.status()}`);
  let started;
  try {
    if (expectWorker) {
      await page.waitForFunction(() => document.body.dataset.worker, null, { timeout: 10000 });
    } else {
      await page.waitForFunction(() => window.__trunkStarted === true, null, { timeout: 20000 });
    }
    started = true;
  } catch (e) {
    started = false;
  }
  const state = await page.evaluate(() => ({
    wasm: document.body.dataset.wasm,
    worker: document.body.dataset.worker,
    trunk: window.__trunkStarted === true,
    violations: window.__cspViolations,
  }));
  if (expectWorker) {
    report("inline start-up script ran and wasm compiled under the CSP", state.wasm === "ok",
      `data-wasm=${state.wasm}`);
    report("module worker compiled its wasm under the CSP", started && state.worker === "ok",
      `data-worker=${state.worker}`);
  } else {
    report("Trunk start-up script ran and the app started under the CSP", started && state.trunk,
      "no TrunkApplicationStarted event within 20 s");
  }
  report("no CSP violation", state.violations.length === 0, state.violations.join("; "));
  report(expectWorker ? "no console or page error" : "no CSP console message, no page error", problems.length === 0, problems.join("; "));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
