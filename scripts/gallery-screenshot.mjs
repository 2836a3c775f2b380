// Makes docs/gallery.png, the README's picture of a gallery: a small mixed batch against the
// built-in sandbox (offline), `batch --gallery`, then Debian's Chromium (through playwright-core)
// photographs the page. Re-run with `npm run screenshot` after changing the page.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { startSandbox } = await import(pathToFileURL(join(root, "dist/sandbox/server.js")).href);
const output = join(root, "docs", "gallery.png");
const browserPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const lines = [
  {
    provider: "xai",
    prompt: "A red fox running through fresh snow, slow motion",
    duration: 6,
    ratio: "16:9",
    resolution: "720p",
  },
  {
    provider: "apimart",
    prompt: "Neon rain on a Tokyo side street at night, reflections in puddles",
    ratio: "9:16",
    resolution: "720p",
    duration: 6,
  },
  {
    provider: "xai",
    prompt: "A paper boat drifting down a gutter stream after a storm",
    duration: 8,
    ratio: "1:1",
    resolution: "480p",
  },
  {
    provider: "duoyuanx",
    prompt: "Time-lapse of clouds rolling over a mountain ridge at dawn",
    duration: 8,
    ratio: "16:9",
    resolution: "720p",
  },
  { provider: "apimart", prompt: "A lighthouse keeper climbing the stairs [fail]", ratio: "16:9" },
  { provider: "xai", prompt: "A hummingbird hovering at a feeder, macro lens [moderated]", duration: 5 },
];

const work = await mkdtemp(join(tmpdir(), "grokvid-screenshot-"));
const sandbox = await startSandbox({ timeline: { queuedMs: 300, runningMs: 900 } });
try {
  const env = { ...process.env, HOME: work, GROKVID_HOME: join(work, "home"), NO_COLOR: "1" };
  for (const dialect of ["apimart", "xai", "duoyuanx"]) {
    env[`GROKVID_${dialect.toUpperCase()}_API_KEY`] = "sk-sandbox-screenshot";
    env[`GROKVID_${dialect.toUpperCase()}_BASE_URL`] = sandbox.baseUrl(dialect);
  }
  await writeFile(join(work, "shots.jsonl"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const args = [join(root, "bin/grokvid.cjs"), "batch", "shots.jsonl", "--out-dir", "videos"];
  args.push("--template", "{index}-{slug}.mp4", "--manifest", "run.json", "--gallery", "--interval", "200ms");
  // The batch exits 7 (a line fails on purpose); the gallery is written either way.
  await promisify(execFile)(process.execPath, args, { cwd: work, env }).catch((err) => {
    if (err.code !== 7) throw err;
  });

  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(pathToFileURL(join(work, "run.html")).href);
    // The batch's own order: the finished videos first, as the lines were written.
    await page.selectOption("#sort", "oldest");
    // A frame from each video's middle, decoded, rather than blank players or loading spinners.
    await page.evaluate(`Promise.all([...document.querySelectorAll("video")].map((video) =>
      new Promise((done) => {
        const seek = () => {
          video.addEventListener("seeked", done, { once: true });
          video.currentTime = video.duration / 2;
        };
        video.preload = "auto";
        if (video.readyState >= 1) seek();
        else video.addEventListener("loadedmetadata", seek, { once: true });
      })))`);
    await page.waitForFunction(`[...document.querySelectorAll("video")].every((v) => v.readyState >= 2)`);
    // Headless Chromium keeps a loading spinner over a paused, seeked player; the picture shows frames.
    await page.evaluate(`document.querySelectorAll("video").forEach((v) => v.removeAttribute("controls"))`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: output });
  } finally {
    await browser.close();
  }
  process.stdout.write(`wrote ${output}\n`);
} finally {
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
}
