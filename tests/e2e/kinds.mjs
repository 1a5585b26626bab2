// Photos of a kind the built-in model is weak on, made in the test from the webcam
// test photos, so any clone with ../shared/data can run it and nothing is stored.
//
// The kind: an infrared security camera. By day it records plain grey; at night its
// infrared lamps light the scene and the camera lifts the darks (a gamma of 0.25), so
// night frames come out grey and bright. The built-in model, which leans on colour
// (blue sky, orange lamps) and darkness, takes many of those nights for day: measured
// with the CLI on the first 40 + 40 test photos, 70 % right (24 of 40 nights wrong);
// in the page on all 160, 60 % right (teach.test.mjs checks it is under 85 %).
//
// The conversion runs in a blank page of the test's own Chromium (canvas), so it
// needs no image library; it writes PNGs to a temporary folder.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

// The night lift; 1 would leave the darks as they are.
export const IR_GAMMA = 0.25;

// Converts each { path, label } to an "infrared" PNG of half the width; returns
// [{ path, name, label }] in the same order. `context` is a Playwright browser context.
export async function infrared(context, photos) {
  const dir = mkdtempSync(join(tmpdir(), "daynight-ir-"));
  const page = await context.newPage();
  try {
    await page.setContent("<!doctype html><title>convert</title>");
    const out = [];
    for (const { path, label } of photos) {
      const base64 = readFileSync(path).toString("base64");
      const png = await page.evaluate(
        async ({ base64, night, gamma }) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes]));
          const [w, h] = [Math.round(bitmap.width / 2), Math.round(bitmap.height / 2)];
          const canvas = new OffscreenCanvas(w, h);
          const g = canvas.getContext("2d");
          g.drawImage(bitmap, 0, 0, w, h);
          const image = g.getImageData(0, 0, w, h);
          const d = image.data;
          for (let i = 0; i < d.length; i += 4) {
            let v = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
            if (night) v = 255 * Math.pow(v / 255, gamma);
            d[i] = d[i + 1] = d[i + 2] = Math.min(255, Math.round(v));
          }
          g.putImageData(image, 0, 0);
          const blob = await canvas.convertToBlob({ type: "image/png" });
          const buf = new Uint8Array(await blob.arrayBuffer());
          let s = "";
          for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
          return btoa(s);
        },
        { base64, night: label === "night", gamma: IR_GAMMA },
      );
      const name = `ir-${label}-${basename(path).replace(/\.\w+$/, "")}.png`;
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(png, "base64"));
      out.push({ path: file, name, label });
    }
    return out;
  } finally {
    await page.close();
  }
}
