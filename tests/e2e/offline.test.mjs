// Offline: after one visit the service worker serves the app, which still
// classifies with the network gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseFiles, dist, repo, serve, testFolder, waitForOfflineCache, withApp } from "./lib.mjs";

let server;
before(() => (server = serve()));
after(() => server.stop());

test("after one visit the app opens and classifies offline", async () => {
  await withApp(server.url, {}, async ({ page, problems, context }) => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await waitForOfflineCache(page);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const day = join(testFolder, "day");
    const file = existsSync(day) ? join(day, readdirSync(day).sort()[0]) : join(repo, "tests/badfiles/one-pixel.png");
    const [result] = await chooseFiles(page, [file]);
    assert.match(result.label, /^(day|night)$/, "classified offline");
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  });
});

// The newest cached index.html, the files it names, and which of those its cache lacks.
// The trainer's files (named in <meta name="daynight-trainer">) are cached on first
// use only, so they are left out.
function cachedBuild(page) {
  return page.evaluate(async () => {
    for (const name of (await caches.keys()).reverse()) {
      const cache = await caches.open(name);
      const html = await cache.match("./");
      if (!html) continue;
      const text = await html.text();
      const lazy = text.match(/<meta name="daynight-trainer" content="([^"]*)"/)?.[1] ?? "";
      const files = [...text.matchAll(/\.\/([\w.-]+\.(?:js|wasm|css))/g)].map((m) => m[1]).filter((f) => !lazy.includes(f));
      const absent = [];
      for (const f of files) if (!(await cache.match(f))) absent.push(f);
      return { cache: name, files, absent, caches: (await caches.keys()).length };
    }
    return { files: [], absent: ["no cached index.html"] };
  });
}

// A copy of `dir` that looks like the next deployment: every hashed file renamed
// to a new hash, and index.html and the worker loader pointing at the new names.
function nextBuild(dir) {
  const out = mkdtempSync(join(tmpdir(), "daynight-next-"));
  cpSync(dir, out, { recursive: true });
  for (const name of readdirSync(out)) if (name.endsWith(".gz")) rmSync(join(out, name));
  const renames = [];
  for (const name of readdirSync(out)) {
    const m = name.match(/^(.*-)([0-9a-f]{8,16})((?:_bg)?\.(?:js|wasm|css))$/);
    if (!m) continue;
    const hash = [...m[2]].reverse().join("");
    renameSync(join(out, name), join(out, m[1] + hash + m[3]));
    renames.push([m[1] + m[2], m[1] + hash]);
  }
  const rewrite = (file) => {
    let text = readFileSync(join(out, file), "utf8");
    for (const [from, to] of renames) text = text.replaceAll(from, to);
    writeFileSync(join(out, file), text);
    return text;
  };
  for (const name of readdirSync(out)) if (/^(classifier|trainer)-loader-/.test(name)) rewrite(name);
  return { dir: out, html: rewrite("index.html") };
}

test("a new deployment replaces the cached build whole and then works offline", async () => {
  const port = 18000 + Math.floor(Math.random() * 2000);
  let current = serve(dist, port);
  try {
    await withApp(current.url, {}, async ({ page, context }) => {
      await waitForOfflineCache(page);
      const first = await cachedBuild(page);
      assert.ok(first.files.length >= 3, `the html names its css, js and wasm: ${JSON.stringify(first)}`);
      assert.deepEqual(first.absent, []);

      // Deploy the next build on the same address; the next visit picks it up.
      current.stop();
      const next = nextBuild(dist);
      current = serve(next.dir, port);
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]');
      let second;
      for (let i = 0; i < 100 && !(second = await cachedBuild(page)).files.every((f) => next.html.includes(f)); i++) await page.waitForTimeout(100);
      assert.notEqual(second.cache, first.cache, "the new build has a cache of its own");
      assert.deepEqual(second.absent, [], "the new html is cached with every file it names");

      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('main[data-ready="true"]');
      const script = await page.$eval('link[rel="modulepreload"]', (l) => l.getAttribute("href"));
      assert.ok(next.html.includes(script), "offline, the page is the new build, not a mix");
      const [result] = await chooseFiles(page, [join(repo, "tests/badfiles/one-pixel.png")]);
      assert.match(result.label, /^(day|night)$/);
    });
  } finally {
    current.stop();
  }
});
