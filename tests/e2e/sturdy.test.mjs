// The page survives a person switching tabs in the middle of work: a 30-photo batch
// while camera mode is entered and left 12 times, at varied moments (before the
// camera starts, while it starts, just after, while frames are classified). Every
// card must finish, no error may reach the console, every camera track must end,
// and the page must still work afterwards. Also: keyboard focus and the ARIA tabs,
// and photos dropped on the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import {
  cameraTrackStates, dayScene, goodFiles, launch, readResults, recordCameraStreams, serve, withApp, writeY4m,
} from "./lib.mjs";

const video = writeY4m(join(mkdtempSync(join(tmpdir(), "daynight-y4m-")), "day.y4m"), {
  width: 320, height: 240, pixel: dayScene(320, 240),
});

let server;
before(() => (server = serve()));
after(() => server.stop());

const cards = (page) => page.locator('[data-testid="result"]');
const allSettled = (page, n) =>
  page.waitForFunction(
    (n) => {
      const cs = [...document.querySelectorAll('[data-testid="result"]')];
      return cs.length === n && cs.every((c) => c.dataset.label || c.dataset.error !== undefined);
    },
    n,
    { timeout: 60_000, polling: 100 },
  );
const liveFrames = (page) => page.evaluate(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames || 0));

// What to do in camera mode before leaving it, one per round: leave at once, leave
// while the camera starts, leave once it runs, leave while frames are classified…
const moments = [
  async () => {},
  async (page) => page.getByRole("button", { name: "Start camera" }).click(),
  async (page) => {
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForTimeout(30);
  },
  async (page) => {
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForSelector(".stage.on", { timeout: 20_000 });
  },
  async (page) => {
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 1, null, { timeout: 20_000 });
  },
  async (page) => {
    // Leave right after a frame was handed over: its answer arrives after unmount.
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 2, null, { timeout: 20_000 });
    const n = await liveFrames(page);
    await page.waitForTimeout(240);
    assert.ok((await liveFrames(page)) >= n);
  },
  async (page) => {
    // Start, stop, start again, leave while the second start is under way.
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForSelector(".stage.on", { timeout: 20_000 });
    await page.getByRole("button", { name: "Stop camera" }).click();
    await page.getByRole("button", { name: "Start camera" }).click();
  },
  async (page) => page.waitForTimeout(120),
];

test("a 30-photo batch survives entering and leaving camera mode 12 times", async () => {
  const photos = goodFiles(30);
  await withApp(server.url, { video, init: recordCameraStreams }, async ({ page, problems }) => {
    await page.setInputFiles("#file-input", photos);
    for (let round = 0; round < 12; round++) {
      await page.getByRole("tab", { name: "Camera" }).click();
      await moments[round % moments.length](page);
      await page.getByRole("tab", { name: "Photos" }).click();
      // Varied pauses in Photos mode too, some none at all.
      await page.waitForTimeout([0, 15, 60, 200][round % 4]);
    }
    await allSettled(page, 30);
    const results = await readResults(page);
    for (const r of results) assert.match(r.label ?? "", /^(day|night)$/, `${r.name}: ${r.error ?? "no answer"}`);
    // Streams may still be arriving for starts that were cancelled: they must be
    // stopped as they come.
    await page.waitForTimeout(1500);
    const states = await cameraTrackStates(page);
    assert.ok(states.length >= 5, `the camera was really started (${states.length} tracks)`);
    assert.deepEqual(states.filter((s) => s !== "ended"), [], "every camera track ended");

    // The toolbar is alive: its summary counts the batch.
    assert.match(await page.getByTestId("summary").textContent(), /^30 photos: /);
    await page.getByRole("button", { name: "Clear" }).click();
    assert.equal(await cards(page).count(), 0, "Clear empties the list");
    await page.setInputFiles("#file-input", photos.slice(0, 1));
    await allSettled(page, 1);
    assert.match((await readResults(page))[0].label, /^(day|night)$/, "a new photo is classified");
    assert.deepEqual(problems, [], "no console error and no page error");
  });
});

test("keyboard: focus stays on the controls and the tabs follow the arrow keys", async () => {
  await withApp(server.url, { video, init: recordCameraStreams }, async ({ page, problems }) => {
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
    await page.getByRole("tab", { name: "Photos" }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await focused(), "tab-Camera");
    assert.equal(await page.getByRole("tab", { name: "Camera" }).getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowRight");
    assert.equal(await focused(), "tab-Photos", "the arrow keys wrap around");
    await page.keyboard.press("End");
    assert.equal(await focused(), "tab-Camera");
    assert.equal(await page.getByRole("tab", { name: "Photos" }).getAttribute("tabindex"), "-1", "one tab in the Tab order");

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "camera-toggle", "Tab goes from the tab to Start camera");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".stage.on", { timeout: 20_000 });
    assert.equal(await focused(), "camera-toggle", "focus stays after Start");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".stage:not(.on)");
    assert.equal(await focused(), "camera-toggle", "focus stays after Stop");

    await page.getByRole("tab", { name: "Photos" }).click();
    await page.setInputFiles("#file-input", goodFiles(2));
    await allSettled(page, 2);
    await page.getByRole("button", { name: "Clear" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await cards(page).count(), 0);
    assert.equal(await focused(), "choose-photos", "after Clear, focus goes to Choose photos");
    assert.deepEqual((await cameraTrackStates(page)).filter((s) => s !== "ended"), []);
    assert.deepEqual(problems, []);
  });
});

test("snapshots get their own names and say where they went", async () => {
  await withApp(server.url, { video }, async ({ page, problems }) => {
    await page.getByRole("tab", { name: "Camera" }).click();
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live"]')?.dataset.frames) >= 1, null, { timeout: 20_000 });
    await page.getByRole("button", { name: "Snapshot" }).click();
    await page.getByRole("button", { name: "Snapshot" }).click();
    await allSettled(page, 2);
    const names = (await readResults(page)).map((r) => r.name);
    assert.equal(new Set(names).size, 2, `two snapshots, two names: ${names}`);
    assert.match(await page.getByTestId("snapshot-note").textContent(), /Added camera .*: (day|night|probably (day|night)|can't tell)/);
    assert.match(await page.getByTestId("summary").textContent(), /^2 photos/, "no '1 of 1' for the second snapshot");
    assert.deepEqual(problems, []);
  });
});

test("files dragged over the page show the drop overlay, and dropped ones are classified", async () => {
  await withApp(server.url, {}, async ({ page, problems }) => {
    const main = page.locator("main");
    // A real drag of files from a file manager: enter, cross a child element, drop.
    const files = await page.evaluateHandle(async () => {
      const canvas = new OffscreenCanvas(64, 48);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#6ea5eb";
      ctx.fillRect(0, 0, 64, 20);
      ctx.fillStyle = "#5f733c";
      ctx.fillRect(0, 20, 64, 28);
      const blob = await canvas.convertToBlob({ type: "image/png" });
      const data = new DataTransfer();
      data.items.add(new File([blob], "dropped.png", { type: "image/png" }));
      return data;
    });
    const fire = (selector, type) =>
      page.evaluate(([selector, type, data]) => document.querySelector(selector).dispatchEvent(
        new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data })), [selector, type, files]);
    await fire("main", "dragenter");
    await fire("h1", "dragenter");
    await fire("main", "dragleave");
    assert.match(await main.getAttribute("class"), /dragging/, "still over the page after leaving a child");
    assert.equal(await fire("h1", "dragover"), false, "dragover is accepted, so the drop is allowed");
    await fire("h1", "drop");
    assert.doesNotMatch((await main.getAttribute("class")) ?? "", /dragging/, "the overlay goes once dropped");
    await allSettled(page, 1);
    const [card] = await readResults(page);
    assert.equal(card.name, "dropped.png");
    assert.match(card.label, /^(day|night)$/);

    // Text dragged from the page is not a drop of photos: no overlay.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData("text/plain", "daynight");
      document.querySelector("main").dispatchEvent(new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: data }));
    });
    assert.doesNotMatch((await main.getAttribute("class")) ?? "", /dragging/);
    assert.deepEqual(problems, []);
  });
});

// A classifier worker whose script cannot be loaded (a CSP that refuses it, a missing
// file, a dropped connection) gets a plain `error` Event, not an ErrorEvent: the page
// must not throw reading its message, and each photo must say why it was not read.
test("a classifier worker that cannot load leaves the page usable and says why", async () => {
  const { context, close } = await launch();
  try {
    await context.route("**/classifier-loader-*.js", (route) => route.fulfill({ status: 404, body: "" }));
    const page = context.pages()[0] || (await context.newPage());
    const thrown = [];
    page.on("pageerror", (e) => thrown.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector("#file-input", { state: "attached" });
    await page.setInputFiles("#file-input", goodFiles(2));
    await allSettled(page, 2);
    for (const card of await readResults(page)) {
      assert.match(card.error ?? "", /classifier/, `${card.name}: ${JSON.stringify(card)}`);
    }
    assert.equal(await page.getAttribute("main", "data-ready"), "false");
    assert.deepEqual(thrown, [], "no uncaught exception");
  } finally {
    await close();
  }
});
