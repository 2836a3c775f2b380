import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { useBrowser } from "../helpers/browser.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Acceptance for `batch --gallery`: a mixed sandbox batch (videos of several shapes, a failed job,
 * a job that never got a download, an XSS prompt) run through the real binary, its page opened from
 * file:// in headless Chromium.
 */
const e2e = useE2e();
const chromium = useBrowser();

const XSS = "<img src=x onerror=alert(1)> a cat";
const lines = [
  { provider: "apimart", prompt: "a heron wading", ratio: "9:16", resolution: "720p", duration: 6 },
  { provider: "xai", prompt: "a paper boat", ratio: "16:9", resolution: "480p", duration: 5 },
  { provider: "apimart", prompt: "a storm [fail]" },
  { provider: "apimart", prompt: "a kettle [never]" },
  { provider: "xai", prompt: XSS, ratio: "1:1", duration: 4 },
];
/** What each downloaded line's file really is (the sandbox delivers what was asked). */
const expected = new Map([
  ["a heron wading", { text: "720×1280 · 6.0 s", seconds: 6 }],
  ["a paper boat", { text: "854×480 · 5.0 s", seconds: 5 }],
  [XSS, { text: "480×480 · 4.0 s", seconds: 4 }],
]);

let dir = "";
let page: Page;
const requests: string[] = [];
const dialogs: string[] = [];

const videoState = z.array(
  z.object({ prompt: z.string(), readyState: z.number(), duration: z.number(), card: z.string() }),
);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-"));
  await writeFile(join(dir, "shots.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
  const env = {
    ...e2e.envFor("apimart"),
    ...e2e.envFor("xai"),
    HOME: dir,
    GROKVID_HOME: join(dir, "home"),
  };
  const args = ["batch", "shots.jsonl", "--interval", "100ms", "--timeout", "5s", "--out-dir", "videos"];
  const run = await runCli([...args, "--manifest", "run.json", "--gallery"], { cwd: dir, env });
  // The [never] line times out (xai polls at most once a second, hence 5 s) (8 outranks the failed line's 7); the gallery is written anyway.
  expect(run.code, run.stderr).toBe(8);
  expect(run.stderr).toContain("gallery: run.html");
  page = await chromium.context.newPage();
  page.on("request", (request) => void requests.push(request.url()));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(join(dir, "run.html")).href);
}, 60_000);

afterAll(async () => {
  await page?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const visibleCards = () => page.locator("article[data-id]:visible");

describe("the gallery of a sandbox batch, in Chromium from file://", () => {
  it("has a card per job; each video loads and lasts what its header says", async () => {
    await expect.poll(() => page.locator("article[data-id]").count()).toBe(lines.length);
    await page.waitForFunction("[...document.querySelectorAll('video')].every((v) => v.readyState >= 1)");
    const videos = videoState.parse(
      await page.evaluate(`[...document.querySelectorAll("article[data-id]")].flatMap((a) => {
        const v = a.querySelector("video");
        return v ? [{ prompt: a.querySelector(".prompt").textContent, readyState: v.readyState,
          duration: v.duration, card: a.textContent }] : [];
      })`),
    );
    expect(videos.map((v) => v.prompt).sort()).toEqual([...expected.keys()].sort());
    for (const video of videos) {
      const want = expected.get(video.prompt);
      expect(video.readyState).toBeGreaterThanOrEqual(1);
      expect(Math.abs(video.duration - (want?.seconds ?? 0))).toBeLessThan(0.1);
      // The delivered resolution and length, from the file's own header.
      expect(video.card).toContain(want?.text);
    }
  });

  it("the failed job and the job never downloaded get cards that say why", async () => {
    const storm = page.locator("article[data-id]", { hasText: "a storm [fail]" });
    await expect.poll(() => storm.getAttribute("data-status")).toBe("failed");
    expect(await storm.locator("video").count()).toBe(0);
    const kettle = page.locator("article[data-id]", { hasText: "a kettle [never]" });
    expect(await kettle.locator("video").count()).toBe(0);
    expect(await kettle.textContent()).toContain("grokvid resume --download");
  });

  it("filtering by status and searching hide and show the right cards", async () => {
    await page.selectOption("#filter-status", "failed");
    expect(await visibleCards().allTextContents()).toEqual([expect.stringContaining("a storm [fail]")]);
    await page.selectOption("#filter-status", "");
    await page.fill("#filter-search", "HERON");
    expect(await visibleCards().allTextContents()).toEqual([expect.stringContaining("a heron wading")]);
    await page.fill("#filter-search", "");
    expect(await visibleCards().count()).toBe(lines.length);
  });

  it("the XSS prompt shows as text and opens no dialog", async () => {
    const card = page.locator("article[data-id]", { hasText: "a cat" });
    expect(await card.locator(".prompt").textContent()).toBe(XSS);
    expect(await page.locator("article img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("no request leaves the machine, and the key is nowhere on the page", async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    expect(await page.content()).not.toContain(E2E_KEY);
    const shot = join(dir, "batch-gallery.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
  });
});
