// Browser benchmark (run by scripts/bench-browser.sh): ms per image for a generated
// 16 MP JPEG and for the test folder, and the live camera at full rate: frames
// labelled per second, frames dropped, wasm ms per frame and grab-to-label ms.
// Numbers come from the page's own hooks (data-ms: hand-over to answer;
// data-work-ms: the worker's features + model time; data-frames, data-seen,
// data-dropped: the camera loop's counts). Sizes are scripts/bench-size.sh's.
import { readdirSync, existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serve, launch, openApp, chooseFiles, writeY4m, dayScene, testFolder } from "./lib.mjs";

const RUNS_16MP = Number(process.env.RUNS_16MP || 12);
const CAMERA_SECONDS = Number(process.env.CAMERA_SECONDS || 6);
const CAMERA_FPS = Number(process.env.CAMERA_FPS || 30);
// "files" or "camera" runs only that part.
const only = process.env.BENCH_ONLY;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const line = (what, xs) =>
  console.log(`${what.padEnd(44)} median ${quantile(xs, 0.5).toFixed(1).padStart(7)} ms   p95 ${quantile(xs, 0.95).toFixed(1).padStart(7)} ms   (n=${xs.length})`);

const tmp = mkdtempSync(join(tmpdir(), "daynight-bench-"));
const server = serve();
try {
  if (only !== "camera") await files();
  if (only !== "files") await camera();
} finally {
  server.stop();
}

// Files: a 16 MP JPEG, then the webcam test folder.
async function files() {
  const { context, close } = await launch();
  try {
    const { page } = await openApp(context, server.url);
    // A 16 MP (4896×3264) JPEG with photo-like detail, encoded by the browser itself.
    const b64 = await page.evaluate(async () => {
      const [w, h] = [4896, 3264];
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext("2d");
      const sky = ctx.createLinearGradient(0, 0, 0, h * 0.5);
      sky.addColorStop(0, "#4a7fd0");
      sky.addColorStop(1, "#bcd3ee");
      ctx.fillStyle = sky;
      ctx.fillRect(0, 0, w, h * 0.5);
      ctx.fillStyle = "#5c6b3a";
      ctx.fillRect(0, h * 0.5, w, h * 0.5);
      // Texture so the JPEG is as large as a real photo's.
      const tile = ctx.createImageData(512, 512);
      for (let i = 0; i < tile.data.length; i += 4) {
        const n = (Math.random() * 60) | 0;
        tile.data.set([n, n, n, 60], i);
      }
      const bitmap = await createImageBitmap(tile);
      for (let y = 0; y < h; y += 512) for (let x = 0; x < w; x += 512) ctx.drawImage(bitmap, x, y);
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    const big = join(tmp, "16mp.jpg");
    writeFileSync(big, Buffer.from(b64, "base64"));
    console.log(`\n16 MP JPEG: 4896×3264, ${(Buffer.from(b64, "base64").length / 1e6).toFixed(1)} MB`);
    // One warm-up, then the measured runs (each a separate file hand-over).
    await chooseFiles(page, [big]);
    const runs = (await chooseFiles(page, Array(RUNS_16MP).fill(big))).slice(1);
    line("16 MP JPEG, per image (target <= 100 ms)", runs.map((r) => r.ms));

    if (existsSync(testFolder)) {
      await page.getByRole("button", { name: "Clear" }).click();
      const files = ["day", "night"].flatMap((d) => readdirSync(join(testFolder, d)).sort().map((f) => join(testFolder, d, f)));
      const results = await chooseFiles(page, files, { timeout: 300_000 });
      line(`test folder (${files.length} photos), per image`, results.map((r) => r.ms));
    } else {
      console.log(`test folder: skipped, ${testFolder} not found (set DAYNIGHT_DATA)`);
    }
  } finally {
    await close();
  }
}

// The live camera at full rate: a fake 640×480 camera at 30 fps. After a warm-up,
// the page's counters are read at every animation frame for a few seconds; every
// labelled frame's timings are kept.
async function camera() {
  const video = writeY4m(join(tmp, "day.y4m"), { width: 640, height: 480, frames: CAMERA_FPS, fps: CAMERA_FPS, pixel: dayScene(640, 480) });
  const cam = await launch({ video });
  try {
    const { page } = await openApp(cam.context, server.url);
    await page.getByRole("tab", { name: "Camera" }).click();
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 10, null, { timeout: 30_000 });
    const run = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const read = () => {
            const d = document.querySelector('[data-testid="live"]').dataset;
            return { frames: Number(d.frames), seen: Number(d.seen), dropped: Number(d.dropped), workMs: Number(d.workMs), frameMs: Number(d.frameMs) };
          };
          const first = read();
          const start = performance.now();
          const samples = [];
          let last = first.frames;
          const tick = () => {
            const now = read();
            if (now.frames !== last) samples.push(now);
            last = now.frames;
            if (performance.now() - start < ms) requestAnimationFrame(tick);
            else resolve({ first, last: now, seconds: (performance.now() - start) / 1000, samples });
          };
          requestAnimationFrame(tick);
        }),
      CAMERA_SECONDS * 1000,
    );
    const labelled = run.last.frames - run.first.frames;
    const seen = run.last.seen - run.first.seen;
    const dropped = run.last.dropped - run.first.dropped;
    const fps = (n) => (n / run.seconds).toFixed(1).padStart(7);
    console.log(`\ncamera: fake 640×480 at ${CAMERA_FPS} fps, ${run.seconds.toFixed(1)} s`);
    console.log(`${"camera frames labelled per second (>= 30)".padEnd(44)} ${fps(labelled)}        (${labelled} frames; the camera delivered ${fps(seen).trim()}/s)`);
    console.log(`${"camera frames dropped".padEnd(44)} ${String(dropped).padStart(7)}        (of ${seen} delivered)`);
    line("camera frame, wasm features + model (<= 3 ms)", run.samples.map((f) => f.workMs));
    line("camera frame, grab to label", run.samples.map((f) => f.frameMs));
  } finally {
    await cam.close();
  }
}
