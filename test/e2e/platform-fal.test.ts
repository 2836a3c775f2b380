import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { sharedJournalRun } from "../helpers/journal-text.js";
import {
  expectSaved,
  FAST,
  JPEG_DATA_URI,
  platformCli,
  PNG_DATA_URI,
  posts,
  readJournal,
  writeImages,
} from "../helpers/platform-e2e.js";
import { call } from "../helpers/platform-sandbox.js";
import { runCli } from "../helpers/run-cli.js";

// Issue 22 items 1 and 2, fal: every mode's endpoint and body (providers.md §10a), and the URL trap.
const e2e = useE2e();
const fal = platformCli(e2e, "fal");
const APP = "/fal/xai/grok-imagine-video";
/** Never fetched by anyone: grokvid passes an image URL on, and the sandbox only checks its shape. */
const IMAGE_URL = "http://127.0.0.1:9/images/owl.png";
const PROMPT = "a red fox in fresh snow";

beforeEach(() => writeImages(e2e.dir));

describe("fal: each mode posts §10a's body to its endpoint and saves the exact video", () => {
  it.each([
    [
      "text, v1 with every flag",
      ["--model", "grok-imagine-video", "--duration", "5", "--ratio", "9:16", "--resolution", "480p"],
      `${APP}/text-to-video`,
      { prompt: PROMPT, duration: 5, aspect_ratio: "9:16", resolution: "480p" },
    ],
    [
      "text, v1.5 at 1080p",
      ["--model", "grok-imagine-video-1.5", "--resolution", "1080p"],
      `${APP}/v1.5/text-to-video`,
      { prompt: PROMPT, resolution: "1080p" },
    ],
    [
      "text, v1.5 lite",
      ["--model", "grok-imagine-video-1.5-lite"],
      `${APP}/v1.5/lite/text-to-video`,
      { prompt: PROMPT },
    ],
    [
      "a local PNG, v1.5",
      ["--model", "grok-imagine-video-1.5", "--image", "cat.png"],
      `${APP}/v1.5/image-to-video`,
      { prompt: PROMPT, image_url: PNG_DATA_URI },
    ],
    [
      "a local JPEG, v1",
      ["--image", "dog.jpg", "--duration", "3"],
      `${APP}/image-to-video`,
      { prompt: PROMPT, image_url: JPEG_DATA_URI, duration: 3 },
    ],
    [
      "an image URL, v1",
      ["--image", IMAGE_URL],
      `${APP}/image-to-video`,
      { prompt: PROMPT, image_url: IMAGE_URL },
    ],
    [
      "reference images, v1.5: a local file and a URL",
      ["--model", "grok-imagine-video-1.5", "--reference-image", "cat.png", "--reference-image", IMAGE_URL],
      `${APP}/v1.5/reference-to-video`,
      { prompt: PROMPT, reference_image_urls: [PNG_DATA_URI, IMAGE_URL] },
    ],
    [
      "reference images, v1",
      ["--reference-image", "dog.jpg", "--duration", "4"],
      `${APP}/reference-to-video`,
      { prompt: PROMPT, reference_image_urls: [JPEG_DATA_URI], duration: 4 },
    ],
  ])("%s", async (_name, flags, path, body) => {
    const r = await fal([
      "create",
      "--provider",
      "fal",
      "--prompt",
      PROMPT,
      ...flags,
      "--wait",
      "--download",
      "-o",
      "out.mp4",
      ...FAST,
      "--json",
    ]);
    const doc = await expectSaved(r, e2e.dir, "out.mp4");
    expect(doc.id).toMatch(/^fal_/);
    expect(posts(e2e.sandbox.requests)).toEqual([[path, body]]);
  });

  it("edit and extend a journaled job: edit-video and extend-video with the job's video URL", async () => {
    const made = await fal(["create", "--provider", "fal", "--prompt", PROMPT, "--wait", ...FAST, "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const source = JSON.parse(made.stdout) as { id: string; videoUrl: string };
    expect(source.videoUrl).toBe(`${e2e.sandbox.cdnUrl}/files/${source.id}.mp4`);

    const edit = await fal(["edit", source.id, "--prompt", "at night", "-o", "night.mp4", ...FAST, "--json"]);
    const edited = await expectSaved(edit, e2e.dir, "night.mp4");
    const extend = await fal([
      "extend",
      source.id,
      "--prompt",
      "it jumps",
      "--duration",
      "4",
      "-o",
      "long.mp4",
      ...FAST,
      "--json",
    ]);
    const extended = await expectSaved(extend, e2e.dir, "long.mp4");
    expect(new Set([source.id, edited.id, extended.id]).size).toBe(3);
    expect(posts(e2e.sandbox.requests)).toEqual([
      [`${APP}/text-to-video`, { prompt: PROMPT }],
      [`${APP}/edit-video`, { prompt: "at night", video_url: source.videoUrl }],
      [`${APP}/extend-video`, { prompt: "it jumps", video_url: source.videoUrl, duration: 4 }],
    ]);
  });

  it("edit a video URL with --provider fal", async () => {
    const made = await fal(["create", "--provider", "fal", "--prompt", PROMPT, "--wait", ...FAST, "--json"]);
    const { videoUrl } = JSON.parse(made.stdout) as { videoUrl: string };
    const edit = await fal([
      "edit",
      videoUrl,
      "--provider",
      "fal",
      "--prompt",
      "in the rain",
      "-o",
      "rain.mp4",
      ...FAST,
      "--json",
    ]);
    await expectSaved(edit, e2e.dir, "rain.mp4");
    expect(posts(e2e.sandbox.requests).at(-1)).toEqual([
      `${APP}/edit-video`,
      { prompt: "in the rain", video_url: videoUrl },
    ]);
  });
});

interface Seen {
  method: string;
  path: string;
  status: number;
}

/** Headers worth passing on; hop-by-hop ones are the proxy's own business. */
function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(name))
      continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

const MOVED = "/moved";

/**
 * A front for the sandbox that makes fal's returned URLs differ from any URL a client could build:
 * every `${sandbox}/fal/...` in an answer becomes `${proxy}/moved/fal/...` (same origin as the base
 * URL the client is given, `${proxy}/fal`), which the proxy maps back. A request on the app path
 * `/fal/xai/grok-imagine-video/requests/...` was built, not taken from an answer: 404, logged.
 */
async function startMovingProxy(sandboxUrl: string) {
  const seen: Seen[] = [];
  let self = "";
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? "/";
      const entry: Seen = { method: req.method ?? "GET", path, status: 0 };
      seen.push(entry);
      if (path.startsWith(`${APP}/requests/`)) {
        entry.status = 404;
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: "this URL was built, not returned" }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = path.startsWith(`${MOVED}/`) ? path.slice(MOVED.length) : path;
      const answer = await fetch(`${sandboxUrl}${target}`, {
        method: entry.method,
        headers: forwardable(req.headers),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const text = (await answer.text()).replaceAll(`${sandboxUrl}/fal/`, `${self}${MOVED}/fal/`);
      entry.status = answer.status;
      const headers: Record<string, string> = {
        "content-type": answer.headers.get("content-type") ?? "application/json",
      };
      const units = answer.headers.get("x-fal-billable-units");
      if (units !== null) headers["x-fal-billable-units"] = units;
      res.writeHead(answer.status, headers);
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("fal: the status, result and cancel URLs are the ones fal returned (§10a URL trap)", () => {
  let proxy: Awaited<ReturnType<typeof startMovingProxy>> | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** Through the proxy; the key only, so a later command finds the base URL in the journal alone. */
  const viaProxy = (args: string[], base = true) =>
    runCli(args, {
      cwd: e2e.dir,
      env: {
        GROKVID_FAL_API_KEY: E2E_KEY,
        GROKVID_HOME: join(e2e.dir, "home"),
        ...(base ? { GROKVID_FAL_BASE_URL: `${proxy?.url}/fal` } : {}),
      },
    });

  it("polls the returned status_url, fetches the returned response_url, and a new process does the same from the journal", async () => {
    proxy = await startMovingProxy(e2e.sandbox.url);
    const r = await viaProxy([
      "create",
      "--provider",
      "fal",
      "--model",
      "grok-imagine-video-1.5",
      "--image",
      "cat.png",
      "--prompt",
      PROMPT,
      "--wait",
      "--download",
      "-o",
      "cat.mp4",
      ...FAST,
      "--json",
    ]);
    const doc = await expectSaved(r, e2e.dir, "cat.mp4");
    const returned = `${MOVED}${APP}/requests/${doc.id}`;
    const seen = proxy.seen.map((s) => `${s.method} ${s.path} ${s.status}`);
    const polls = seen.slice(1, -1);
    expect(seen[0]).toBe(`POST ${APP}/v1.5/image-to-video 200`);
    expect(polls.length).toBeGreaterThan(0);
    expect(new Set(polls)).toEqual(new Set([`GET ${returned}/status 202`, `GET ${returned}/status 200`]));
    expect(seen.at(-1)).toBe(`GET ${returned} 200`);
    // The journal keeps the URLs as fal returned them, for a later `status ID`.
    const created = (await readJournal(e2e.dir)).find((line) => line.type === "created");
    expect(created?.links).toEqual({
      status: `${proxy.url}${returned}/status`,
      result: `${proxy.url}${returned}`,
      cancel: `${proxy.url}${returned}/cancel`,
    });

    // A new process with the journal only: no --provider, no base URL in the environment (a
    // shared journal's remembered base URL is used only where it is this machine's own too).
    const before = proxy.seen.length;
    const status = await viaProxy(["status", doc.id, "--json"], sharedJournalRun());
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: doc.id, provider: "fal", status: "succeeded" });
    expect(proxy.seen.slice(before).map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      `GET ${returned}/status 200`,
      `GET ${returned} 200`,
    ]);
  });

  it("cancels at the returned cancel_url from a new process, and status then says cancelled", async () => {
    proxy = await startMovingProxy(e2e.sandbox.url);
    const made = await viaProxy(["create", "--provider", "fal", "--prompt", "[never] a fox", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const { id } = JSON.parse(made.stdout) as { id: string };
    const returned = `${MOVED}${APP}/requests/${id}`;

    const cancel = await viaProxy(["cancel", id], sharedJournalRun());
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout.trim()).toBe(`${id}\tcancelled\tfal took the cancel`);
    const status = await viaProxy(["status", id, "--json"], sharedJournalRun());
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: "cancelled" });
    const after = proxy.seen.slice(1).map((s) => `${s.method} ${s.path}`);
    expect(after).toContain(`PUT ${returned}/cancel`);
    expect(after.every((line) => line.includes(returned))).toBe(true);
    expect(proxy.seen.filter((s) => s.status === 404)).toEqual([]);
  });

  it("--cancel-on-timeout cancels at the returned cancel_url when the wait times out (exit 8)", async () => {
    proxy = await startMovingProxy(e2e.sandbox.url);
    const r = await viaProxy([
      "create",
      "--provider",
      "fal",
      "--prompt",
      "[never] a fox",
      "--wait",
      "--timeout",
      "500ms",
      "--interval",
      "100ms",
      "--cancel-on-timeout",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(8);
    const id = /task (fal_\w+)/.exec(r.stderr)?.[1] ?? "";
    const returned = `${MOVED}${APP}/requests/${id}`;
    expect(r.stderr).toContain("cancelled it on fal (--cancel-on-timeout)");
    const seen = proxy.seen.map((s) => `${s.method} ${s.path} ${s.status}`);
    expect(seen.at(-1)).toBe(`PUT ${returned}/cancel 202`);
    expect(seen.slice(1).every((line) => line.includes(` ${returned}`))).toBe(true);
  });

  it("the sandbox itself 404s a status URL built with the endpoint's sub-path, and grokvid never sent one", async () => {
    const r = await fal([
      "create",
      "--provider",
      "fal",
      "--model",
      "grok-imagine-video-1.5",
      "--prompt",
      PROMPT,
      "--wait",
      ...FAST,
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { id } = JSON.parse(r.stdout) as { id: string };
    const log = e2e.sandbox.requests.filter((q) => q.origin !== "cdn");
    expect(log.every((q) => q.status < 400)).toBe(true);
    expect(log.filter((q) => q.method === "GET").map((q) => q.path)).toEqual(
      expect.arrayContaining([`${APP}/requests/${id}/status`, `${APP}/requests/${id}`]),
    );
    expect(log.filter((q) => q.path.includes("/v1.5/")).map((q) => [q.method, q.path])).toEqual([
      ["POST", `${APP}/v1.5/text-to-video`],
    ]);
    const built = await call(
      `${e2e.sandbox.baseUrl("fal")}/xai/grok-imagine-video/v1.5/requests/${id}/status`,
      {
        auth: `Key ${E2E_KEY}`,
      },
    );
    expect(built.status).toBe(404);
    expect(built.body).toEqual({
      detail: "Not Found: request URLs use the app path only; do not add the endpoint path",
    });
  });

  it("a failed request (COMPLETED, then an error result) exits 7 with fal's message", async () => {
    const r = await fal([
      "create",
      "--provider",
      "fal",
      "--prompt",
      "[fail] a fox",
      "--wait",
      ...FAST,
      "--json",
    ]);
    expect(r.code).toBe(7);
    const doc = JSON.parse(r.stdout) as { id: string; status: string; error: { message: string } };
    expect(doc.status).toBe("failed");
    expect(doc.error.message).toBe("sandbox: generation failed ([fail] in prompt)");
    expect(r.stderr).toContain(`task ${doc.id} failed on fal: sandbox: generation failed ([fail] in prompt)`);
    // It was COMPLETED on the status URL; the failure came from the result.
    const gets = e2e.sandbox.requests.filter((q) => q.method === "GET").map((q) => [q.path, q.status]);
    expect(gets.at(-1)).toEqual([`${APP}/requests/${doc.id}`, 500]);
    expect(gets).toContainEqual([`${APP}/requests/${doc.id}/status`, 200]);
  });
});
