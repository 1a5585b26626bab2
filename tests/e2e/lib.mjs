// Shared harness for the browser tests: a fresh headless Chromium per launch, the
// built dist/ served by the project's real nginx (tests/deploy/nginx-up.sh, so the
// real CSP applies), and helpers that read the page's stable test hooks.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const dist = resolve(process.env.DIST_DIR || join(repo, "dist"));
export const dataRoot = resolve(process.env.DAYNIGHT_DATA || join(repo, "../shared/data"));
export const testFolder = join(dataRoot, "day_night_images/test");
export const isCI = process.env.CI === "true";

// Headless flags for running as root in a container, with nothing phoning home.
export const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

// Serves `dir` with the project's nginx on a free-ish port; returns { url, stop }.
// With DAYNIGHT_URL set, the tests use that server instead (already serving dist/: the
// web image's container in tests/container/run.sh) and start none.
export function serve(dir = dist, port = 18000 + Math.floor(Math.random() * 2000)) {
  if (process.env.DAYNIGHT_URL) {
    if (resolve(dir) !== dist) throw new Error(`DAYNIGHT_URL serves dist/, not ${dir}`);
    return { url: process.env.DAYNIGHT_URL.replace(/\/?$/, "/"), stop: () => {} };
  }
  if (!existsSync(join(dir, "index.html"))) throw new Error(`${dir}/index.html missing: build first (scripts/build.sh)`);
  const up = join(repo, "tests/deploy/nginx-up.sh");
  const url = execFileSync(up, [dir, String(port)], { encoding: "utf8" }).trim().split("\n").pop();
  return {
    url: url.endsWith("/") ? url : url + "/",
    stop: () => execFileSync(join(repo, "tests/deploy/nginx-down.sh"), [String(port)], { stdio: "ignore" }),
  };
}

// A fresh browser (own profile, deleted afterwards). `video` is a .y4m for the fake camera.
export async function launch({ video, args = [], colorScheme = "light" } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "daynight-chromium-"));
  const extra = video
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`]
    : [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [...CHROME_FLAGS, ...extra, ...args],
    viewport: { width: 1200, height: 900 },
    colorScheme,
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// Opens the app and waits for its classifier worker; collects console problems.
export async function openApp(context, url) {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(text)) problems.push(`${m.type()}: ${text}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
  return { page, problems };
}

// Chooses files with the file picker and waits until every result has settled.
export async function chooseFiles(page, files, { timeout = 120_000 } = {}) {
  const before = await page.locator('[data-testid="result"]').count();
  await page.setInputFiles("#file-input", files);
  await page.waitForFunction(
    (n) => {
      const cards = [...document.querySelectorAll('[data-testid="result"]')];
      return cards.length >= n && cards.every((c) => c.dataset.label || c.dataset.error !== undefined);
    },
    before + files.length,
    { timeout, polling: 100 },
  );
  return readResults(page);
}

// Every result card's hooks: [{ name, label, pNight, ms, error }].
export function readResults(page) {
  return page.$$eval('[data-testid="result"]', (cards) =>
    cards.map((c) => ({
      name: c.dataset.name,
      label: c.dataset.label,
      pNight: c.dataset.pNight === undefined ? undefined : Number(c.dataset.pNight),
      ms: c.dataset.ms === undefined ? undefined : Number(c.dataset.ms),
      error: c.dataset.error,
    })),
  );
}

// Writes a .y4m video (YUV 4:2:0) whose frames come from `pixel(x, y) -> [r, g, b]`
// (or, frame after frame in turn, from each of `scenes`); Chromium's fake camera
// plays it at `fps` frames per second, in a loop.
export function writeY4m(path, { width = 320, height = 240, frames = 10, fps = 10, pixel, scenes = [pixel] }) {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const encode = (pixelOf) => {
    const frame = Buffer.alloc(ySize + 2 * cSize);
    const rgb = [];
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.push(pixelOf(x, y));
    for (let i = 0; i < ySize; i++) {
      const [r, g, b] = rgb[i];
      frame[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
    for (let cy = 0; cy < height / 2; cy++)
      for (let cx = 0; cx < width / 2; cx++) {
        const [r, g, b] = rgb[cy * 2 * width + cx * 2];
        const u = -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
        const v = 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
        frame[ySize + cy * (width / 2) + cx] = Math.max(0, Math.min(255, Math.round(u)));
        frame[ySize + cSize + cy * (width / 2) + cx] = Math.max(0, Math.min(255, Math.round(v)));
      }
    return frame;
  };
  const encoded = scenes.map(encode);
  const parts = [header];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from("FRAME\n"), encoded[f % encoded.length]);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

// A blue sky over sunlit ground: what the camera sees by day.
export const dayScene = (w, h) => (x, y) => (y < h * 0.45 ? [110, 165, 235] : [95 + ((x * 7 + y * 3) % 12), 115, 60]);
// A black street with a few warm lamps and lit windows: what the camera sees by night.
export const nightScene = (w, h) => (x, y) => {
  const lamp = [0.2, 0.5, 0.8].some((lx) => Math.abs(x / w - lx) < 0.015 && Math.abs(y / h - 0.55) < 0.02);
  const window = y / h > 0.7 && y / h < 0.73 && Math.floor(x / (w / 20)) % 3 === 0;
  if (lamp) return [255, 200, 120];
  if (window) return [240, 210, 150];
  return [8, 8, 14];
};

// Waits until the service worker has cached the app (its index.html is stored last,
// after every file it names), so its own fetches are over.
export async function waitForOfflineCache(page, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(async () => !!(await caches.match("./"))))) {
    if (Date.now() > end) throw new Error("the service worker did not cache the app");
    await page.waitForTimeout(100);
  }
}

// Waits until some cache holds every file of the trainer and the built-in examples
// (<meta name="daynight-trainer">), which the service worker fetches in the background
// once the page is ready; returns their names.
export async function waitForTrainerCache(page, timeout = 60_000) {
  await page.waitForFunction(
    async () => {
      const files = document.querySelector('meta[name="daynight-trainer"]')?.content.split(/\s+/).filter(Boolean) ?? [];
      for (const f of files) if (!(await caches.match(new URL(f, location.href).href))) return false;
      return files.length > 0;
    },
    null,
    { timeout, polling: 200 },
  );
  // Read again rather than through the wait's handle: an async predicate's value does
  // not always come back as the array.
  return page.evaluate(() => document.querySelector('meta[name="daynight-trainer"]').content.split(/\s+/).filter(Boolean));
}

// Runs `body({ page, problems, context })` on the app at `url` in a fresh browser,
// and closes the browser whatever happens. `options.init(context)` runs before the
// page loads (e.g. recordCameraStreams).
export async function withApp(url, options, body) {
  const { context, close } = await launch(options);
  try {
    await options.init?.(context);
    return await body({ ...(await openApp(context, url)), context });
  } finally {
    await close();
  }
}

// `n` good photos: from the webcam test folder if present (day and night in turn),
// else generated BMPs, so a clone alone can run the tests.
export function goodFiles(n) {
  const [day, night] = [join(testFolder, "day"), join(testFolder, "night")];
  if (existsSync(day) && existsSync(night)) {
    const [d, k] = [readdirSync(day).sort(), readdirSync(night).sort()];
    return Array.from({ length: n }, (_, i) => (i % 2 ? join(night, k[(i >> 1) % k.length]) : join(day, d[(i >> 1) % d.length])));
  }
  const dir = mkdtempSync(join(tmpdir(), "daynight-good-"));
  return Array.from({ length: n }, (_, i) => {
    const path = join(dir, `sky-${i}.bmp`);
    writeFileSync(path, bmp(64, 48, (x, y) => (y < 20 ? [235, 165, 110] : [60, 115, 95])));
    return path;
  });
}

// A 24-bit BMP (rows bottom-up, BGR) from `bgr(x, y)`.
export function bmp(w, h, bgr) {
  const row = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * h);
  buf.write("BM");
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 54 + (h - 1 - y) * row + x * 3;
      [buf[o], buf[o + 1], buf[o + 2]] = bgr(x, y);
    }
  return buf;
}

// Records every camera stream the page gets, so a test can check that each one's
// tracks ended (the camera light went off). Call before the page loads.
export async function recordCameraStreams(context) {
  await context.addInitScript(() => {
    window.__streams = [];
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      window.__streams.push(stream);
      return stream;
    };
  });
}

// The readyState of every track of every recorded stream.
export function cameraTrackStates(page) {
  return page.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
}

// Marks the card of `name` as "day" or "night" (its mark-day / mark-night button)
// and waits until the card shows the mark.
export async function mark(page, name, label) {
  const card = page.locator(`[data-testid="result"][data-name="${name}"]`);
  await card.locator(`[data-testid="mark-${label}"]`).click();
  await page.waitForFunction(
    ({ name, label }) => document.querySelector(`[data-testid="result"][data-name="${name}"]`)?.dataset.mark === label,
    { name, label },
  );
}

// Presses Retrain and waits for its outcome; returns { before, after, changed } (accuracy in 0..1).
export async function retrain(page, { timeout = 180_000 } = {}) {
  const previous = await page.getAttribute("main", "data-model");
  await page.click('[data-testid="retrain"]');
  const result = page.locator('[data-testid="retrain-result"]');
  await result.waitFor({ timeout });
  await page.waitForFunction((m) => document.querySelector("main").dataset.model !== m, previous, { timeout });
  return {
    before: Number(await result.getAttribute("data-before")),
    after: Number(await result.getAttribute("data-after")),
    changed: Number(await result.getAttribute("data-changed")),
    text: await result.textContent(),
  };
}

// { name: label } for every answered card.
export async function labelsByName(page) {
  const out = {};
  for (const r of await readResults(page)) if (r.label) out[r.name] = r.label;
  return out;
}

// What `daynight classify` says for each file or folder in `paths`, with the model
// file `model` if given: { file name: label, or "error: …" }.
export function cliLabels(paths, model) {
  const args = ["run", "--quiet", "--release", "--offline", "--bin", "daynight", "--", "classify"];
  if (model) args.push("--model", model);
  const out = execFileSync("cargo", [...args, "--format", "jsonl", ...paths], { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20 });
  const labels = {};
  for (const line of out.split("\n").filter(Boolean)) {
    const record = JSON.parse(line);
    labels[basename(record.path)] = record.label ?? `error: ${record.error}`;
  }
  return labels;
}

// The built-in model's id as `daynight classify` stamps it on its answers: the page's
// `data-model` and exports must say the same for the built-in model.
let builtinId;
export function builtinModelId() {
  if (!builtinId) {
    const dir = mkdtempSync(join(tmpdir(), "daynight-id-"));
    const path = join(dir, "sky.bmp");
    writeFileSync(path, bmp(64, 48, (x, y) => (y < 20 ? [235, 165, 110] : [60, 115, 95])));
    const args = ["run", "--quiet", "--release", "--offline", "--bin", "daynight", "--", "classify", "--format", "jsonl", path];
    builtinId = JSON.parse(execFileSync("cargo", args, { cwd: repo, encoding: "utf8" }).trim()).model;
  }
  return builtinId;
}

// What `main` says of the model in use: { id: data-model, origin: data-model-origin }.
export async function modelInUse(page) {
  return page.evaluate(() => ({ id: document.querySelector("main").dataset.model, origin: document.querySelector("main").dataset.modelOrigin }));
}

// Waits until the model in use comes from `origin` (builtin, server, imported, trained).
export function waitForOrigin(page, origin, timeout = 30_000) {
  return page.waitForSelector(`main[data-model-origin="${origin}"]`, { timeout });
}

// The `skip` option of a test that needs the webcam test photos: false when they are
// there, else the reason it was skipped. Under CI=true their absence is an error instead.
export function needsTestFolder() {
  if (existsSync(testFolder)) return false;
  if (isCI) throw new Error(`test images missing at ${testFolder} (set DAYNIGHT_DATA): required under CI=true`);
  return `skipped: no test images at ${testFolder} (set DAYNIGHT_DATA to the folder holding day_night_images/)`;
}
