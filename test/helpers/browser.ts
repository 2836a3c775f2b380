import { access, constants } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Debian's package; $CHROMIUM_PATH points elsewhere (another distribution, a local build). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless, and cut off from everything Chromium does on its own (updates, sync, field trials) so
 * the only requests a test sees are the page's. File access lets a file:// page load its videos.
 */
const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--allow-file-access-from-files",
];

/** Fails, never skips: a browser test that silently does not run would hide a broken page. */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium); .ci/run does this`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
}

export interface BrowserFixture {
  readonly browser: Browser;
  /** One context for the whole file: fresh storage, no state shared with other files. */
  readonly context: BrowserContext;
}

/** One browser per test file, started before its first test and closed after its last. */
export function useBrowser(): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
  }, 30_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });
  const must = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the browser is only available inside a test");
    return value;
  };
  return {
    get browser() {
      return must(browser);
    },
    get context() {
      return must(context);
    },
  };
}
