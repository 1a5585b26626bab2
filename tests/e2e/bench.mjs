// Browser benchmark (run by scripts/bench-browser.sh): phone-size JPEGs beside the
// bare WebCodecs floor in the same browser (ms per photo each, and the ratio), ms per
// image for a generated 16 MP JPEG and for the test folder, and the live camera at
// full rate: frames labelled per second, frames dropped, wasm ms per frame and
// grab-to-label ms. Numbers come from the page's own hooks (data-ms: hand-over to
// answer; data-work-ms: the worker's features + model time; data-frames, data-seen,
// data-dropped: the camera loop's counts). Sizes are scripts/bench-size.sh's.
import { readdirSync, readFileSync, existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serve, launch, openApp, chooseFiles, readResults, writeY4m, dayScene, testFolder } from "./lib.mjs";

const RUNS_16MP = Number(process.env.RUNS_16MP || 12);
const CAMERA_SECONDS = Number(process.env.CAMERA_SECONDS || 6);
const CAMERA_FPS = Number(process.env.CAMERA_FPS || 30);
const PHONE_PHOTOS = Number(process.env.PHONE_PHOTOS || 18);
const PHONE_ROUNDS = Number(process.env.PHONE_ROUNDS || 3);
const PHONE_SIZES = [[4032, 3024], [4624, 3472], [4000, 3000], [4896, 3264], [4080, 3060], [4608, 3456]];
const FLOOR_WORKER = `
  const side = 256;
  const canvas = new OffscreenCanvas(side, side);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  // The smallest n/8 scale covering 256 a side, as src/classify/sizing.rs asks.
  const scaled = (w, h) => {
    for (let n = 1; n < 8; n++) if (Math.floor((w * n) / 8) >= side && Math.floor((h * n) / 8) >= side)
      return [Math.ceil((w * n) / 8) + 1, Math.ceil((h * n) / 8) + 1];
    return [w, h];
  };
  onmessage = ({ data }) => run(data).catch((e) => postMessage({ error: String(e) }));
  const run = async ({ file, width, height }) => {
    const started = performance.now();
    const [desiredWidth, desiredHeight] = scaled(width, height);
    const decoder = new ImageDecoder({ data: file.stream(), type: "image/jpeg", desiredWidth, desiredHeight });
    const { image } = await decoder.decode();
    decoder.close();
    const bitmap = await createImageBitmap(image, { resizeWidth: side, resizeHeight: side });
    const decoded = [image.displayWidth, image.displayHeight];
    image.close();
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const pixels = ctx.getImageData(0, 0, side, side).data;
    postMessage({ ms: performance.now() - started, decoded, sample: pixels[4 * (side * 128 + 128)] });
  };`;
// "phone", "files" or "camera" runs only that part.
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
  if (!only || only === "phone") await phone();
  if (!only || only === "files") await files();
  if (!only || only === "camera") await camera();
} finally {
  server.stop();
}

// Phone photos: the page against the floor, side by side in one browser.
//
// The floor is the least any page must do to get a photo's pixels at the decode size:
// in a dedicated worker (where the app decodes too), WebCodecs' ImageDecoder with a
// scaled JPEG decode (the same n/8 scale the app asks for, src/classify/sizing.rs),
// createImageBitmap(frame, {resizeWidth: 256, resizeHeight: 256}), drawImage onto an
// OffscreenCanvas and getImageData. It is told each photo's size (no header read),
// and timed inside the worker, so it pays no message round trip either.
//
// The page is the real app: its `data-ms`, the time from handing the file to the
// classifier worker to its answer arriving on the page's thread. That is what a photo
// costs the page: the round trip, the header check, decode, features, model, the
// thumbnail, all that happens before the answer. (The worker's own decode_ms and
// work_ms would leave out the round trip and the thumbnail.) The photos are handed
// over one at a time, each right after the floor did the same photo, so the
// machine's other load, which changes by the second, falls on both alike. A batch's
// wall time per photo (first file chosen to last card answered, with the page's own
// drawing) is printed too, against the floor's pass over the same photos.
//
// The photos: 12–16 MP JPEGs, phone-sized, encoded by the browser from the webcam test
// photos (or drawn scenes without them) enlarged, with film grain so that their entropy
// data, which the decoder reads whatever the scale, is of a phone photo's size (1–4 MB;
// night photos are the small ones); every third one carries an EXIF block with
// orientation 6 (a phone held upright), as phone photos do.
// (../shared/data/phone_day_dusk_night is phone photos, but stored at 200×200 px.)
async function phone() {
  const { context, close } = await launch();
  try {
    const photos = await phonePhotos(context, PHONE_PHOTOS);
    const paths = photos.map((p) => p.path);
    const mb = photos.map((p) => p.bytes / 1e6);
    console.log(
      `\nphone photos: ${photos.length} JPEGs, ${Math.min(...photos.map((p) => p.mp)).toFixed(1)}–${Math.max(...photos.map((p) => p.mp)).toFixed(1)} MP, ` +
        `${Math.min(...mb).toFixed(1)}–${Math.max(...mb).toFixed(1)} MB, ${photos.filter((p) => p.exif).length} with EXIF orientation 6`,
    );

    // The floor's worker script is served on the app's origin (the page's CSP allows
    // workers from 'self' only) and started from the app's own page, so both run in
    // the same renderer under the same conditions; its files come from an input of
    // its own, so the app never sees them.
    const floorUrl = new URL("bench-floor.js", server.url).href;
    await context.route(floorUrl, (route) => route.fulfill({ contentType: "text/javascript", body: FLOOR_WORKER }));
    const { page, problems } = await openApp(context, server.url);
    await page.evaluate((url) => {
      const input = Object.assign(document.createElement("input"), { type: "file", multiple: true, id: "floor-files", hidden: true });
      document.body.append(input);
      const worker = new Worker(url);
      window.floorRun = (i, width, height) =>
        new Promise((resolve, reject) => {
          worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ file: input.files[i], width, height });
        });
    }, floorUrl);
    await page.setInputFiles("#floor-files", paths);
    const floorOne = (i) => page.evaluate(([i, w, h]) => window.floorRun(i, w, h), [i, photos[i].width, photos[i].height]);
    // One photo handed to the app; its card's data-ms.
    const pageOne = async (i) => {
      const n = await page.locator('[data-testid="result"]').count();
      await page.setInputFiles("#file-input", paths[i]);
      await page.waitForFunction(
        (n) => {
          const cards = document.querySelectorAll('[data-testid="result"]');
          return cards.length > n && (cards[n].dataset.label || cards[n].dataset.error !== undefined);
        },
        n,
        { polling: "raf", timeout: 60_000 },
      );
      const [r] = (await readResults(page)).slice(n);
      if (!r.label) throw new Error(`the page failed on ${r.name}: ${r.error}`);
      // The page's work that follows the answer (the card, its thumbnail, which comes
      // just after, drawn, and the card's transition) must be over before the floor's
      // next photo, or the floor would pay for it.
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="result"]')[n].querySelector("img.thumb")?.complete && document.getAnimations().length === 0,
        n,
        { polling: "raf", timeout: 10_000 },
      );
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      return r.ms;
    };

    // Photo by photo, the floor and then the page, so that the machine's other load
    // (it changes by the second) falls on both alike; the first round warms up.
    const floor = [];
    const app = [];
    for (let round = 0; round <= PHONE_ROUNDS; round++) {
      for (let i = 0; i < paths.length; i++) {
        const f = await floorOne(i);
        const p = await pageOne(i);
        if (round > 0) floor.push(f.ms), app.push(p);
      }
      await page.getByRole("button", { name: "Clear" }).click();
    }
    // A batch as people choose them: all the photos at once, the page's wall time from
    // the file input's change to the last card's answer (the thumbnail and the page's
    // own drawing count here too), against the floor's pass over the same photos.
    const batch = { floor: [], app: [] };
    for (let round = 0; round < PHONE_ROUNDS; round++) {
      batch.floor.push(
        await page.evaluate(async (sizes) => {
          const started = performance.now();
          for (let i = 0; i < sizes.length; i++) await window.floorRun(i, ...sizes[i]);
          return (performance.now() - started) / sizes.length;
        }, photos.map((p) => [p.width, p.height])),
      );
      await page.evaluate((n) => {
        window.batch = { start: 0, end: 0 };
        document.getElementById("file-input").addEventListener("change", () => (window.batch.start = performance.now()), { once: true, capture: true });
        const observer = new MutationObserver(() => {
          const settled = [...document.querySelectorAll('[data-testid="result"]')].filter((c) => c.dataset.label || c.dataset.error !== undefined);
          if (settled.length >= n) {
            window.batch.end = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-label", "data-error"] });
      }, paths.length);
      await chooseFiles(page, paths, { timeout: 300_000 });
      const { start, end } = await page.evaluate(() => window.batch);
      batch.app.push((end - start) / paths.length);
      await page.getByRole("button", { name: "Clear" }).click();
    }

    const median = (xs) => quantile(xs, 0.5);
    line("floor: WebCodecs decode+resize+read (worker)", floor);
    line("page: hand-over to answer (data-ms)", app);
    console.log(
      `${"ratio page / floor (target <= 1.3)".padEnd(44)} ${(median(app) / median(floor)).toFixed(2).padStart(7)}        ` +
        `(of the medians; the median of the photos' own ratios: ${median(app.map((a, k) => a / floor[k])).toFixed(2)})`,
    );
    line(`floor: ${paths.length} in a row, per photo`, batch.floor);
    line(`page: a batch of ${paths.length}, wall time per photo`, batch.app);
    console.log(`${"ratio, batch".padEnd(44)} ${(median(batch.app) / median(batch.floor)).toFixed(2).padStart(7)}`);
    if (problems.length) console.log(`page problems: ${problems.join("; ")}`);
  } finally {
    await close();
  }
}

// `n` phone-size JPEGs in the temporary folder: [{ path, width, height, mp, bytes, exif }].
async function phonePhotos(context, n) {
  const sources = existsSync(testFolder)
    ? ["day", "night"].map((d) => readdirSync(join(testFolder, d)).sort().map((f) => join(testFolder, d, f)))
    : null;
  const page = await context.newPage();
  try {
    await page.setContent("<!doctype html><title>photos</title>");
    const out = [];
    for (let i = 0; i < n; i++) {
      const [width, height] = PHONE_SIZES[i % PHONE_SIZES.length];
      // Day and night in turn, spread over the folder.
      const source = sources ? sources[i % 2][Math.floor((i / 2) * 7) % sources[i % 2].length] : null;
      const base64 = await page.evaluate(
        async ({ width, height, source, seed }) => {
          let random = seed * 2654435761 + 1;
          const rand = () => ((random = (random * 1103515245 + 12345) >>> 0) / 2 ** 32);
          const canvas = new OffscreenCanvas(width, height);
          const ctx = canvas.getContext("2d");
          if (source) {
            const bytes = Uint8Array.from(atob(source), (c) => c.charCodeAt(0));
            ctx.drawImage(await createImageBitmap(new Blob([bytes])), 0, 0, width, height);
          } else {
            const night = seed % 2 === 1;
            const sky = ctx.createLinearGradient(0, 0, 0, height * 0.55);
            sky.addColorStop(0, night ? "#05060c" : "#3f76c8");
            sky.addColorStop(1, night ? "#1b1a24" : "#c4d8ef");
            ctx.fillStyle = sky;
            ctx.fillRect(0, 0, width, height);
            for (let k = 0; k < 60; k++) {
              ctx.fillStyle = night ? `hsl(${30 + rand() * 20}, 80%, ${rand() < 0.2 ? 70 : 6}%)` : `hsl(${80 + rand() * 60}, 30%, ${25 + rand() * 30}%)`;
              ctx.fillRect(rand() * width, height * (0.45 + rand() * 0.5), rand() * width * 0.3, rand() * height * 0.3);
            }
          }
          // Film grain, as fine as a phone sensor's, so the file is as large as a photo.
          const tile = new ImageData(509, 509);
          for (let k = 0; k < tile.data.length; k += 4) {
            const v = 128 + (rand() - 0.5) * 90;
            tile.data[k] = tile.data[k + 1] = tile.data[k + 2] = v;
            tile.data[k + 3] = 255;
          }
          const grain = await createImageBitmap(tile);
          ctx.globalCompositeOperation = "overlay";
          ctx.globalAlpha = 0.35;
          for (let y = 0; y < height; y += 509) for (let x = 0; x < width; x += 509) ctx.drawImage(grain, x, y);
          const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let s = "";
          for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
          return btoa(s);
        },
        { width, height, source: source && readFileSync(source).toString("base64"), seed: i },
      );
      let jpeg = Buffer.from(base64, "base64");
      const exif = i % 3 === 2;
      if (exif) jpeg = Buffer.concat([jpeg.subarray(0, 2), exifOrientation(6, 24 << 10), jpeg.subarray(2)]);
      const path = join(tmp, `phone-${String(i).padStart(2, "0")}.jpg`);
      writeFileSync(path, jpeg);
      out.push({ path, width, height, mp: (width * height) / 1e6, bytes: jpeg.length, exif });
    }
    return out;
  } finally {
    await page.close();
  }
}

// An APP1 EXIF segment whose first IFD holds only the orientation, followed by
// `padding` bytes, as the maker notes and the small preview a phone writes there.
function exifOrientation(orientation, padding) {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4 + padding);
  tiff.write("MM", 0, "latin1");
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
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
