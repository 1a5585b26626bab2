// Browser benchmark (run by scripts/bench-browser.sh): ms per image for a generated
// 16 MP JPEG and for the test folder, wasm ms per camera frame, and the gzip size of
// the first load. Numbers come from the page's own hooks (data-ms: hand-over to
// answer; data-work-ms: the worker's features + model time).
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serve, launch, openApp, chooseFiles, writeY4m, dayScene, testFolder, dist } from "./lib.mjs";

const RUNS_16MP = Number(process.env.RUNS_16MP || 12);
const FRAMES = Number(process.env.FRAMES || 40);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const line = (what, xs) =>
  console.log(`${what.padEnd(44)} median ${quantile(xs, 0.5).toFixed(1).padStart(7)} ms   p95 ${quantile(xs, 0.95).toFixed(1).padStart(7)} ms   (n=${xs.length})`);

const tmp = mkdtempSync(join(tmpdir(), "daynight-bench-"));
const server = serve();
try {
  // 1. Sizes. The first load is what index.html pulls in before the app runs; the
  // classifier worker's files (named in <meta name="daynight-worker">) are fetched
  // by the running app, then the service worker.
  const html = readFileSync(join(dist, "index.html"));
  const text = html.toString();
  const workerMeta = text.match(/<meta name="daynight-worker" content="([^"]*)"/)?.[1] ?? "";
  const workerFiles = workerMeta.split(/\s+/).filter(Boolean).map((f) => f.replace(/^\.\//, ""));
  const pageFiles = [...new Set([...text.matchAll(/\.\/([\w.-]+\.(?:js|wasm|css))/g)].map((m) => m[1]))].filter((f) => !workerFiles.includes(f));
  const gz = (buf) => gzipSync(buf, { level: 9 }).length;
  const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;
  const list = (title, files, extra = []) => {
    console.log(title);
    let total = 0;
    for (const [name, size] of extra) {
      total += size;
      console.log(`  ${name.padEnd(44)} ${kb(size)}`);
    }
    for (const name of files) {
      const size = gz(readFileSync(join(dist, name)));
      total += size;
      console.log(`  ${name.padEnd(44)} ${kb(size)}`);
    }
    return total;
  };
  const first = list("first load (the page), gzip -9:", pageFiles, [["index.html", gz(html)]]);
  console.log(`  ${"total (html + js + wasm + css)".padEnd(44)} ${kb(first)}   (target <= 150 KB)`);
  const later = list("classifier worker, fetched once the page runs:", [...workerFiles, "sw.js"].filter((f) => existsSync(join(dist, f))));
  console.log(`  ${"total".padEnd(44)} ${kb(later)}`);
  console.log(`  ${"everything".padEnd(44)} ${kb(first + later)}`);

  // 2. Files.
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

  // 3. Camera frames, from a fake 640×480 camera.
  const video = writeY4m(join(tmp, "day.y4m"), { width: 640, height: 480, frames: 5, pixel: dayScene(640, 480) });
  const cam = await launch({ video });
  try {
    const { page } = await openApp(cam.context, server.url);
    await page.getByRole("tab", { name: "Camera" }).click();
    await page.getByRole("button", { name: "Start camera" }).click();
    const frames = await page.evaluate(
      (n) =>
        new Promise((resolve) => {
          const seen = [];
          const take = () => {
            const live = document.querySelector('[data-testid="live"]');
            if (live && !seen.some((f) => f.frames === live.dataset.frames)) seen.push({ ...live.dataset });
            if (seen.length >= n) resolve(seen);
            else setTimeout(take, 20);
          };
          take();
        }),
      FRAMES + 2,
    );
    const measured = frames.slice(2);
    line("camera frame, wasm features + model (<= 3 ms)", measured.map((f) => Number(f.workMs)));
    line("camera frame, grab to answer (end to end)", measured.map((f) => Number(f.frameMs)));
  } finally {
    await cam.close();
  }
} finally {
  server.stop();
}
