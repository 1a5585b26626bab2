// HEIC and AVIF in the page. AVIF is classified wherever the browser decodes it
// (Chromium does); a HEIC, which Chromium cannot decode, gets a message that says so
// and what to do, known by its ftyp brand and not by its name; forged sizes are
// refused before decoding like any other format's.
//
// The files are made here, from scenes drawn by the test (and two webcam test photos
// when ../shared/data is there), with Debian's encoders: heif-enc (libheif-examples)
// and avifenc (libavif-bin), which scripts/setup.sh installs. Without them the tests
// are skipped, except under CI=true, where that is an error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { deflateSync } from "node:zlib";
import { chooseFiles, dayScene, isCI, nightScene, serve, testFolder, withApp } from "./lib.mjs";

const HEIC_MESSAGE = "This browser can't open HEIC photos, the iPhone's format: ";

// The `skip` option: false when both encoders run, else why not.
function needsEncoders() {
  const missing = ["heif-enc", "avifenc"].filter((tool) => {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return false;
  const why = `${missing.join(" and ")} not installed (Debian: libheif-examples, libavif-bin; scripts/setup.sh installs them)`;
  if (isCI) throw new Error(`${why}: required under CI=true`);
  return `skipped: ${why}`;
}
const why = needsEncoders();

let server;
let dir;
let photos; // [{ name, source, avif, heic }]
before(() => {
  if (why) return;
  server = serve();
  dir = mkdtempSync(join(tmpdir(), "daynight-heif-"));
  const sources = [
    ["drawn-day", png(join(dir, "drawn-day.png"), 640, 480, dayScene(640, 480))],
    ["drawn-night", png(join(dir, "drawn-night.png"), 640, 480, nightScene(640, 480))],
  ];
  if (existsSync(testFolder)) {
    for (const label of ["day", "night"]) {
      const first = readdirSync(join(testFolder, label)).sort()[0];
      sources.push([`webcam-${label}`, join(testFolder, label, first)]);
    }
  }
  photos = sources.map(([name, source]) => {
    const avif = join(dir, `${name}.avif`);
    const heic = join(dir, `${name}.heic`);
    execFileSync("avifenc", ["--speed", "8", source, avif], { stdio: "ignore" });
    execFileSync("heif-enc", ["-q", "85", "-o", heic, source], { stdio: "ignore" });
    return { name, source, avif, heic };
  });
});
after(() => server?.stop());

test("an AVIF is classified like the photo it was made from", { skip: why }, async () => {
  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, photos.flatMap((p) => [p.source, p.avif]));
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    for (const p of photos) {
      const [source, avif] = [byName[basename(p.source)], byName[basename(p.avif)]];
      assert.match(avif.label ?? `error: ${avif.error}`, /^(day|night)$/, `${basename(p.avif)} is classified`);
      assert.equal(avif.label, source.label, `${basename(p.avif)}: the same label as ${basename(p.source)}`);
      assert.ok(Math.abs(avif.pNight - source.pNight) < 0.1, `${basename(p.avif)}: p_night ${avif.pNight} near the source's ${source.pNight}`);
    }
    // Drawn scenes far from the boundary: the right answers, not only the same ones.
    assert.equal(byName["drawn-day.avif"].label, "day");
    assert.equal(byName["drawn-night.avif"].label, "night");
    // Each AVIF's card gets its thumbnail (it follows the answer).
    for (const p of photos) {
      await page.locator(`[data-testid="result"][data-name="${basename(p.avif)}"] img.thumb`).waitFor({ timeout: 10_000 });
    }
    assert.deepEqual(problems, []);
  });
});

test("a HEIC the browser cannot decode says so, whatever its name, and what to do", { skip: why }, async () => {
  // The same HEIC under a JPEG's name: the brand decides, not the name. And a JPEG
  // under a HEIC's name is read as the JPEG it is.
  const disguised = join(dir, "IMG_0001.JPG");
  writeFileSync(disguised, readFileSync(photos[0].heic));
  const jpegNamedHeic = join(dir, "not-really.heic");
  await withApp(server.url, {}, async ({ page, problems }) => {
    writeFileSync(jpegNamedHeic, await jpegOf(page, photos[0].source));
    const canHeic = await page.evaluate(async () => "ImageDecoder" in window && (await ImageDecoder.isTypeSupported("image/heic")));
    const results = await chooseFiles(page, [...photos.map((p) => p.heic), disguised, jpegNamedHeic]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    for (const name of [...photos.map((p) => basename(p.heic)), basename(disguised)]) {
      const r = byName[name];
      if (canHeic) {
        // Safari: the photo is classified like any other.
        assert.match(r.label ?? `error: ${r.error}`, /^(day|night)$/, `${name} is classified`);
        continue;
      }
      assert.equal(r.label, undefined, `${name} gets no answer in a browser without HEIC`);
      assert.ok(r.error?.startsWith(HEIC_MESSAGE), `${name}: the HEIC message, not "${r.error}"`);
      for (const what of ["Safari", "JPEG", "command line"]) assert.ok(r.error.includes(what), `${name}: the message says ${what}`);
    }
    assert.match(byName["not-really.heic"].label ?? `error: ${byName["not-really.heic"].error}`, /^(day|night)$/);
    assert.deepEqual(problems, []);
  });
});

test("a HEIC or AVIF whose header claims 100000×100000 is refused before decoding", { skip: why }, async () => {
  const forged = ["avif", "heic"].map((kind) => {
    const bytes = Buffer.from(readFileSync(photos[0][kind]));
    // The image's size is in its `ispe` property: version and flags, width, height.
    const at = bytes.indexOf("ispe");
    assert.ok(at > 0, `the ${kind} has an ispe box`);
    bytes.writeUInt32BE(100_000, at + 8);
    bytes.writeUInt32BE(100_000, at + 12);
    const path = join(dir, `forged.${kind}`);
    writeFileSync(path, bytes);
    return path;
  });
  await withApp(server.url, {}, async ({ page, problems }) => {
    const results = await chooseFiles(page, forged);
    for (const r of results) {
      assert.equal(r.label, undefined);
      assert.match(r.error ?? "", /claims to be 100000×100000 pixels, over the limit/, `${r.name}: refused for its size`);
    }
    assert.deepEqual(problems, []);
  });
});

// A JPEG of `path` (an image the browser reads), encoded by the test's Chromium in
// `page`, so no JPEG encoder is needed.
async function jpegOf(page, path) {
  const base64 = await page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 })).arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, readFileSync(path).toString("base64"));
  return Buffer.from(base64, "base64");
}

// Writes an 8-bit RGB PNG of `w`×`h` from `pixel(x, y) -> [r, g, b]`; returns `path`.
function png(path, w, h, pixel) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) raw.set(pixel(x, y), y * (w * 3 + 1) + 1 + x * 3);
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  writeFileSync(path, Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]));
  return path;
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
