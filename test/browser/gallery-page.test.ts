import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderGallery } from "../../src/core/gallery/render-html.js";
import type { GalleryCard, GalleryPage } from "../../src/core/gallery/types.js";
import { generateMp4 } from "../../src/sandbox/mp4.js";
import { useBrowser } from "../helpers/browser.js";

/*
 * The callbacks given to page.evaluate and $$eval run inside Chromium, not in Node. The project's
 * lib has no DOM (src is Node code and must not see browser globals), so this file names the little
 * of it those callbacks use. Declared in this module, they reach no other file.
 */
interface PageElement {
  readonly id: string;
  hidden: boolean;
  getAttribute(name: string): string | null;
  querySelector(selector: "video"): PageVideo | null;
  querySelector(selector: string): PageElement | null;
}
interface PageVideo extends PageElement {
  readonly readyState: number;
  readonly duration: number;
}
interface PageList<T> extends Iterable<T> {
  readonly length: number;
}
interface PageDocument {
  readonly activeElement: PageElement | null;
  readonly body: PageElement;
  readonly documentElement: { readonly scrollWidth: number };
  readonly scripts: PageList<PageElement>;
  readonly images: PageList<PageElement>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: "video"): PageList<PageVideo>;
  querySelectorAll(selector: string): PageList<PageElement>;
  addEventListener(
    type: "securitypolicyviolation",
    listener: (event: { readonly effectiveDirective: string; readonly blockedURI: string }) => void,
  ): void;
}
declare const document: PageDocument;
declare function getComputedStyle(element: PageElement): {
  readonly color: string;
  readonly backgroundColor: string;
  readonly outlineStyle: string;
};

const XSS_PROMPT = `<img src=x onerror=alert(1)> </script><script>alert(1)</script> "onmouseover="alert(1)`;
const XSS_ERROR = `<img src=x onerror=alert(2)> </script><script>alert(2)</script> "onmouseover="alert(2)`;

interface Fixture {
  dir: string;
  file: string;
  html: string;
  /** Each downloaded video's real length, by job id. */
  durations: Map<string, number>;
}

/** Real, playable files: the browser must decode their headers, not trust the card's numbers. */
async function writeVideo(
  dir: string,
  relative: string,
  seed: string,
  frames: number,
): Promise<{ path: string; bytes: number; durationSec: number }> {
  const path = join(dir, relative);
  await mkdir(join(path, ".."), { recursive: true });
  const bytes = generateMp4(seed, { width: 112, height: 64, fps: 12, frames });
  await writeFile(path, bytes);
  return { path, bytes: bytes.length, durationSec: frames / 12 };
}

function baseCard(
  overrides: Partial<GalleryCard> & Pick<GalleryCard, "id" | "provider" | "prompt">,
): GalleryCard {
  return {
    model: "grok-imagine-video",
    operation: "create",
    requested: { durationSec: 6, ratio: "16:9", resolution: 720 },
    warnings: [],
    status: "succeeded",
    error: null,
    createdAt: "2026-12-06T07:00:00.000Z",
    ...overrides,
  };
}

async function buildFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), "grokvid-"));
  const fox = await writeVideo(dir, "videos/fox.mp4", "fox", 24);
  const neon = await writeVideo(dir, "my clips #2/neon rain.mp4", "neon", 30);
  const hostile = await writeVideo(dir, "videos/100% café ?.mp4", "xss", 18);
  const plain = await writeVideo(dir, "videos/boat.mp4", "boat", 36);
  const delivered = (v: { durationSec: number }) => ({ width: 112, height: 64, durationSec: v.durationSec });
  const cards: GalleryCard[] = [
    baseCard({
      id: "job-fox",
      provider: "xai",
      prompt: "A red fox running through fresh snow, slow motion",
      costUsd: 0.05,
      createdAt: "2026-12-06T07:09:00.000Z",
      finishedAt: "2026-12-06T07:10:30.000Z",
      video: { path: fox.path, bytes: fox.bytes },
      delivered: delivered(fox),
    }),
    baseCard({
      id: "job-neon",
      provider: "apimart",
      prompt: "Neon rain on a Tokyo side street at night, reflections in puddles",
      costUsd: 0.2,
      createdAt: "2026-12-06T07:20:00.000Z",
      finishedAt: "2026-12-06T07:22:00.000Z",
      video: { path: neon.path, bytes: neon.bytes },
      delivered: delivered(neon),
      warnings: ["64p where 720p was asked"],
    }),
    baseCard({
      id: "job-failed",
      provider: "apimart",
      prompt: "A lighthouse keeper climbing the stairs",
      status: "failed",
      error: { code: "content_policy", message: XSS_ERROR },
      missingReason: `failed: ${XSS_ERROR}`,
      createdAt: "2026-12-06T07:15:00.000Z",
      finishedAt: "2026-12-06T07:16:00.000Z",
    }),
    baseCard({
      id: "job-pending-download",
      provider: "duoyuanx",
      prompt: "Time-lapse of clouds rolling over a mountain ridge at dawn",
      costUsd: 0.1,
      createdAt: "2026-12-06T07:05:00.000Z",
      finishedAt: "2026-12-06T07:06:00.000Z",
      missingReason: "not downloaded; grokvid download job-pending-download",
    }),
    baseCard({
      id: "job-xss",
      provider: "xai",
      prompt: XSS_PROMPT,
      costUsd: 0.01,
      createdAt: "2026-12-06T07:30:00.000Z",
      finishedAt: "2026-12-06T07:31:00.000Z",
      video: { path: hostile.path, bytes: hostile.bytes },
      delivered: delivered(hostile),
    }),
    baseCard({
      id: "job-boat",
      provider: "jimmyai",
      model: "grok-video-fast",
      prompt: "A paper boat drifting down a gutter stream after a storm",
      createdAt: "2026-12-06T06:50:00.000Z",
      finishedAt: "2026-12-06T06:52:00.000Z",
      video: { path: plain.path, bytes: plain.bytes },
      delivered: delivered(plain),
    }),
  ];
  const file = join(dir, "gallery.html");
  const page: GalleryPage = { title: "Evening batch", generatedAt: "2026-12-06T08:00:00.000Z", file, cards };
  const html = renderGallery(page);
  await writeFile(file, html);
  const durations = new Map<string, number>([
    ["job-fox", fox.durationSec],
    ["job-neon", neon.durationSec],
    ["job-xss", hostile.durationSec],
    ["job-boat", plain.durationSec],
  ]);
  return { dir, file, html, durations };
}

interface OpenPage {
  page: Page;
  /** Every URL the page asked for, including those its policy then refused to send. */
  requests: string[];
  /** Requests that failed, as "url reason": Chromium's reason for one its policy refused is "csp". */
  failures: string[];
  consoleErrors: string[];
  dialogs: string[];
}

/** Only the page's own file, its videos and the browser's inert internals may be asked for. */
const LOCAL_URL = /^(file:|data:|about:)/;

/** WCAG relative luminance of a computed "rgb(r, g, b)" colour. */
function luminanceOf(color: string): number {
  const channels = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const [r = 0, g = 0, b = 0] = channels.map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Each kind of text against the background it sits on, as computed in the current scheme; returns
 * those below WCAG AA for body text (4.5:1), so an empty list is a pass.
 */
async function measureContrast(page: Page): Promise<string[]> {
  const pairs = await page.evaluate(() => {
    const paint = (selector: string, behind: string) => {
      const element = document.querySelector(selector);
      const backdrop = document.querySelector(behind);
      if (!element || !backdrop) return { selector, fg: "", bg: "" };
      return {
        selector,
        fg: getComputedStyle(element).color,
        bg: getComputedStyle(backdrop).backgroundColor,
      };
    };
    return [
      paint("h1", "body"),
      paint(".summary", "body"),
      paint(".control label", "body"),
      paint(".control select", ".control select"),
      paint(".prompt", ".card"),
      paint(".facts dt", ".card"),
      paint(".facts a", ".card"),
      paint(".tag", ".card"),
      paint(".cost-unknown", ".card"),
      paint(".badge-succeeded", ".badge-succeeded"),
      paint(".badge-failed", ".badge-failed"),
      paint(".warnings", ".warnings"),
      paint(".error", ".error"),
      paint(".media-missing span", ".media-missing"),
      paint(".page-foot", "body"),
    ];
  });
  return pairs.flatMap(({ selector, fg, bg }) => {
    if (fg === "" || bg === "") return [`${selector}: not on the page`];
    const [high, low] = [luminanceOf(fg), luminanceOf(bg)].sort((a, b) => b - a);
    const ratio = ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05);
    return ratio >= 4.5 ? [] : [`${selector}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`];
  });
}

describe("the gallery page in Chromium", () => {
  const chrome = useBrowser();
  let fixture: Fixture;

  beforeAll(async () => {
    fixture = await buildFixture();
  });
  afterAll(async () => {
    if (fixture) await rm(fixture.dir, { recursive: true, force: true });
  });

  async function open(file = fixture.file, init?: (page: Page) => Promise<void>): Promise<OpenPage> {
    const page = await chrome.context.newPage();
    const opened: OpenPage = { page, requests: [], failures: [], consoleErrors: [], dialogs: [] };
    page.on("request", (request) => opened.requests.push(request.url()));
    page.on("requestfailed", (request) =>
      opened.failures.push(`${request.url()} ${request.failure()?.errorText ?? "?"}`),
    );
    page.on("console", (message) => {
      if (message.type() === "error") opened.consoleErrors.push(message.text());
    });
    page.on("dialog", (dialog) => {
      opened.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await init?.(page);
    await page.goto(pathToFileURL(file).href);
    return opened;
  }

  const visibleIds = (page: Page): Promise<string[]> =>
    page.$$eval("#cards > article", (cards: PageElement[]) =>
      cards.filter((card) => !card.hidden).map((card) => card.getAttribute("data-id") ?? ""),
    );
  const textOf = async (page: Page, selector: string): Promise<string> =>
    (await page.textContent(selector)) ?? "";

  it("loads every video from its file, with its real length", async () => {
    const { page, requests, consoleErrors, dialogs } = await open();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("video")].every((video) => video.readyState >= 1),
    );
    const loaded = await page.$$eval("#cards > article", (cards: PageElement[]) =>
      cards.flatMap((card) => {
        const video = card.querySelector("video");
        return video ? [{ id: card.getAttribute("data-id") ?? "", duration: video.duration }] : [];
      }),
    );
    expect(loaded.map((v) => v.id).sort()).toEqual([...fixture.durations.keys()].sort());
    for (const { id, duration } of loaded) {
      expect(Math.abs(duration - (fixture.durations.get(id) ?? Number.NaN))).toBeLessThan(0.1);
    }
    // Every video was fetched through file:, under the page's policy, and nothing else was fetched.
    expect(requests.filter((url) => url.endsWith(".mp4"))).toHaveLength(4);
    expect(requests.filter((url) => !LOCAL_URL.test(url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("shows the counts the renderer wrote, and filters by status and provider", async () => {
    const { page } = await open();
    // The script recomputes the summary on load: it must agree with the server-side text.
    const written = /<strong id="shown-count">([^<]*)<\/strong> · <span id="shown-cost">([^<]*)</.exec(
      fixture.html,
    );
    expect(await textOf(page, "#shown-count")).toBe(written?.[1]);
    expect(await textOf(page, "#shown-cost")).toBe(written?.[2]);
    expect(written?.[1]).toBe("Showing 6 of 6 jobs");
    expect(written?.[2]).toBe("Total cost $0.36 · cost unknown for 2 jobs");

    await page.selectOption("#filter-status", "failed");
    expect(await visibleIds(page)).toEqual(["job-failed"]);
    expect(await textOf(page, "#shown-count")).toBe("Showing 1 of 6 jobs");
    expect(await textOf(page, "#shown-cost")).toBe("Cost unknown for 1 job");

    await page.selectOption("#filter-status", "succeeded");
    await page.selectOption("#filter-provider", "xai");
    expect(await visibleIds(page)).toEqual(["job-xss", "job-fox"]);
    expect(await textOf(page, "#shown-cost")).toBe("Total cost $0.06");

    await page.selectOption("#filter-provider", "jimmyai");
    await page.selectOption("#filter-status", "failed");
    expect(await visibleIds(page)).toEqual([]);
    expect(await page.isVisible("#no-match")).toBe(true);
    expect(await textOf(page, "#shown-count")).toBe("Showing 0 of 6 jobs");

    await page.selectOption("#filter-status", "");
    await page.selectOption("#filter-provider", "");
    expect(await visibleIds(page)).toHaveLength(6);
    expect(await page.isVisible("#no-match")).toBe(false);
    await page.close();
  });

  it("searches prompts, ids and models as the user types", async () => {
    const { page } = await open();
    await page.fill("#filter-search", "FOX");
    expect(await visibleIds(page)).toEqual(["job-fox"]);
    await page.fill("#filter-search", "");
    await page.locator("#filter-search").pressSequentially("pending-down");
    expect(await visibleIds(page)).toEqual(["job-pending-download"]);
    await page.fill("#filter-search", "grok-video-fast");
    expect(await visibleIds(page)).toEqual(["job-boat"]);
    await page.fill("#filter-search", "<script>");
    expect(await visibleIds(page)).toEqual(["job-xss"]);
    await page.fill("#filter-search", "no such thing");
    expect(await visibleIds(page)).toEqual([]);
    expect(await page.isVisible("#no-match")).toBe(true);
    expect(await textOf(page, "#shown-cost")).toBe("Total cost $0.00");
    await page.fill("#filter-search", "");
    expect(await visibleIds(page)).toHaveLength(6);
    await page.close();
  });

  it("sorts newest first by default, and by cost with unknown costs last", async () => {
    const { page } = await open();
    const newest = ["job-xss", "job-neon", "job-failed", "job-fox", "job-pending-download", "job-boat"];
    expect(await visibleIds(page)).toEqual(newest);
    await page.selectOption("#sort", "cost-desc");
    expect(await visibleIds(page)).toEqual([
      "job-neon",
      "job-pending-download",
      "job-fox",
      "job-xss",
      "job-failed",
      "job-boat",
    ]);
    await page.selectOption("#sort", "cost-asc");
    expect(await visibleIds(page)).toEqual([
      "job-xss",
      "job-fox",
      "job-pending-download",
      "job-neon",
      "job-failed",
      "job-boat",
    ]);
    await page.selectOption("#sort", "oldest");
    expect(await visibleIds(page)).toEqual([...newest].reverse());
    await page.selectOption("#sort", "newest");
    expect(await visibleIds(page)).toEqual(newest);
    await page.close();
  });

  it("shows hostile prompts and errors as text, and runs none of them", async () => {
    const { page, dialogs } = await open();
    const card = page.locator('article[data-id="job-xss"]');
    expect(await card.locator(".prompt").textContent()).toBe(XSS_PROMPT);
    const failed = page.locator('article[data-id="job-failed"]');
    expect(await failed.locator(".error").textContent()).toContain(XSS_ERROR);
    expect(await failed.locator(".media-missing").textContent()).toContain(`failed: ${XSS_ERROR}`);
    const injected = await page.evaluate(() => ({
      scripts: document.scripts.length,
      images: document.images.length,
      handlers: document.querySelectorAll("[onerror], [onmouseover]").length,
    }));
    expect(injected).toEqual({ scripts: 1, images: 0, handlers: 0 });
    await card.locator(".prompt").hover();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("lets the browser block anything the policy does not allow", async () => {
    // A real server, so "blocked" means no connection ever arrived, not only what the page reports.
    const hits: string[] = [];
    const server: Server = createServer((request, response) => {
      hits.push(request.url ?? "");
      // No keep-alive: an idle connection Chromium holds open would make close() wait for it.
      response.writeHead(200, { connection: "close" }).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    try {
      const address: AddressInfo | string | null = server.address();
      if (address === null || typeof address === "string") throw new Error("the server has no port");
      const origin = `http://127.0.0.1:${address.port}`;
      const hostile = fixture.html.replace(
        "<body>",
        `<body><img src="${origin}/x.png" alt=""><script src="${origin}/x.js"></script>` +
          `<script>alert("inline")</script><link rel="stylesheet" href="${origin}/x.css">`,
      );
      const file = join(fixture.dir, "hostile.html");
      await writeFile(file, hostile);
      const recordViolations = async (page: Page): Promise<void> => {
        // Injected by the browser's own protocol, so the page's policy does not apply to it.
        await page.addInitScript(() => {
          const seen: string[] = [];
          Object.defineProperty(globalThis, "cspViolations", { value: seen });
          document.addEventListener("securitypolicyviolation", (event) =>
            seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
          );
        });
      };

      // The same page without its policy does reach the server and run the alert: proves the
      // server and the listeners would notice.
      const control = join(fixture.dir, "no-policy.html");
      await writeFile(control, hostile.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""));
      const unguarded = await open(control, recordViolations);
      await unguarded.page.waitForLoadState("load");
      expect(hits.length).toBeGreaterThan(0);
      expect(unguarded.dialogs).toEqual(["inline"]);
      await unguarded.page.close();
      hits.length = 0;

      const { page, requests, failures, dialogs } = await open(file, recordViolations);
      await page.waitForLoadState("load");
      const violations = await page.evaluate(() => {
        const seen: unknown = Reflect.get(globalThis, "cspViolations");
        return Array.isArray(seen) ? seen.map(String) : [];
      });
      expect(violations).toEqual(
        expect.arrayContaining([
          `img-src ${origin}/x.png`,
          `script-src-elem ${origin}/x.js`,
          "script-src-elem inline",
          `style-src-elem ${origin}/x.css`,
        ]),
      );
      // Chromium reports a refused request as started and then failed with "csp"; none is sent.
      const remote = requests.filter((url) => !LOCAL_URL.test(url));
      expect(remote.sort()).toEqual([`${origin}/x.css`, `${origin}/x.js`, `${origin}/x.png`]);
      expect(failures.filter((f) => f.startsWith(origin)).sort()).toEqual(remote.map((url) => `${url} csp`));
      expect(hits).toEqual([]);
      expect(dialogs).toEqual([]);
      // The page's own script, allowed by its hash, still ran.
      await page.selectOption("#filter-status", "failed");
      expect(await textOf(page, "#shown-count")).toBe("Showing 1 of 6 jobs");
      await page.close();
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it("can be used with the keyboard alone", async () => {
    const { page } = await open();
    const focused = async (): Promise<string> => {
      await page.keyboard.press("Tab");
      return page.evaluate(() => document.activeElement?.id ?? "");
    };
    expect(await focused()).toBe("filter-search");
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement ?? document.body).outlineStyle,
    );
    expect(outline).toBe("solid");
    await page.keyboard.type("neon");
    expect(await visibleIds(page)).toEqual(["job-neon"]);
    expect(await focused()).toBe("filter-status");
    expect(await focused()).toBe("filter-provider");
    expect(await focused()).toBe("sort");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    expect(await visibleIds(page)).toHaveLength(6);
    await page.close();
  });

  it("fits a phone screen", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
  });

  it("follows the dark colour scheme, readable in both", async () => {
    const { page } = await open();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "light" });
    const light = await background();
    expect(await measureContrast(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await background()).not.toBe(light);
    expect(await measureContrast(page)).toEqual([]);
    await page.close();
  });

  it("saves a full-page screenshot as a test artefact", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForFunction(() =>
      [...document.querySelectorAll("video")].every((video) => video.readyState >= 2),
    );
    const shot = join(fixture.dir, "gallery.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe("PNG");
    await page.close();
  });
});
