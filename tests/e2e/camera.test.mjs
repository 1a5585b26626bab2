// The live camera, fed by Chromium's fake device from generated .y4m videos: the
// label over the video follows what the camera sees; a snapshot adds a result; Stop
// releases the camera.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { dayScene, nightScene, serve, withApp, writeY4m } from "./lib.mjs";

const W = 320;
const H = 240;
const dir = mkdtempSync(join(tmpdir(), "daynight-y4m-"));
const videos = {
  day: writeY4m(join(dir, "day.y4m"), { width: W, height: H, pixel: dayScene(W, H) }),
  night: writeY4m(join(dir, "night.y4m"), { width: W, height: H, pixel: nightScene(W, H) }),
  // Day and night frame after frame: the worst a shaky, flickering camera can do.
  flicker: writeY4m(join(dir, "flicker.y4m"), { width: W, height: H, frames: 30, fps: 30, scenes: [dayScene(W, H), nightScene(W, H)] }),
};

let server;
before(() => (server = serve()));
after(() => server.stop());

/// Starts the camera and returns the live label once a few frames were classified.
export async function startCamera(page) {
  await page.getByRole("tab", { name: "Camera" }).click();
  await page.getByRole("button", { name: "Start camera" }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 3, null, { timeout: 30_000 });
  return page.$eval('[data-testid="live"]', (el) => ({ ...el.dataset }));
}

for (const scene of ["day", "night"]) {
  test(`the camera filming a ${scene} scene shows ${scene}`, async () => {
    await withApp(server.url, { video: videos[scene] }, async ({ page, problems }) => {
      const live = await startCamera(page);
      assert.equal(live.label, scene, `live label (p_night ${live.pNight})`);
      assert.ok(Number(live.workMs) >= 0 && Number(live.frameMs) > 0);

      await page.getByRole("button", { name: "Snapshot" }).click();
      await page.waitForSelector('[data-testid="result"][data-label]', { timeout: 30_000 });
      const snap = await page.$eval('[data-testid="result"]', (el) => ({ ...el.dataset }));
      assert.match(snap.name, /^camera .*\.jpg$/);
      assert.equal(snap.label, scene, "the snapshot agrees with the live label");

      await page.getByRole("button", { name: "Stop camera" }).click();
      await page.waitForSelector('[data-testid="live"]', { state: "detached" });
      assert.equal(await page.$eval("video", (v) => v.srcObject), null, "the camera is released");
      assert.deepEqual(problems, []);
    });
  });
}

test("leaving camera mode releases the camera", async () => {
  await withApp(server.url, { video: videos.day }, async ({ page }) => {
    await startCamera(page);
    const tracks = await page.evaluateHandle(() => document.querySelector("video").srcObject.getTracks());
    await page.getByRole("tab", { name: "Photos" }).click();
    assert.deepEqual(await tracks.evaluate((ts) => ts.map((t) => t.readyState)), ["ended"]);
  });
});

test("the live label stays calm: at most 3 changes a second over 6 s of a flickering camera", async () => {
  await withApp(server.url, { video: videos.flicker }, async ({ page, problems }) => {
    await startCamera(page);
    // Every change of the label's text, with its time.
    await page.evaluate(() => {
      window.__labelChanges = [];
      const live = document.querySelector('[data-testid="live"]');
      let last = live.querySelector('[data-testid="camera-label"]')?.textContent;
      new MutationObserver(() => {
        const text = live.querySelector('[data-testid="camera-label"]')?.textContent;
        if (text !== last) window.__labelChanges.push(performance.now());
        last = text;
      }).observe(live, { subtree: true, childList: true, characterData: true });
    });
    const seconds = 6;
    await page.waitForTimeout(seconds * 1000);
    const { changes, frames, labels } = await page.evaluate(() => ({
      changes: window.__labelChanges,
      frames: Number(document.querySelector('[data-testid="live"]').dataset.frames),
      labels: document.querySelector('[data-testid="camera-label"]').textContent,
    }));
    console.log(`camera label: ${changes.length} changes in ${seconds} s over ${frames} classified frames; now "${labels}"`);
    assert.ok(frames >= 20, `the camera kept running (${frames} frames)`);
    assert.ok(changes.length <= 3 * seconds, `${changes.length} changes in ${seconds} s`);
    // No second holds more than 3 changes either.
    for (const t of changes) assert.ok(changes.filter((u) => u >= t && u < t + 1000).length <= 3, `a burst at ${t}`);
    assert.deepEqual(problems, []);
  });
});
