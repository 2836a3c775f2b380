import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchVideo } from "../../src/core/download/fetch-video.js";
import { fetchTask } from "../../src/core/jobs/task-identity.js";
import { ApiError, ConfigError } from "../../src/util/errors.js";
import {
  finishedTask as finished,
  gatewayFor,
  makeDeps,
  scriptedServer,
  type TestDeps,
} from "../helpers/http-deps.js";

/**
 * Failures of a video download that no retry can mend are reported at once: the server sees one
 * request, the injected sleep is never called, and nothing is left holding the connection.
 */

let deps: TestDeps;
let dir: string;
const servers: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  deps = await makeDeps();
  dir = await mkdtemp(join(tmpdir(), "grokvid-refusals-"));
});
afterEach(async () => {
  // Servers first: a body the client failed to let go of would otherwise hold deps.close() open.
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await deps.close();
  await rm(dir, { recursive: true, force: true });
});

async function serve(handler: Parameters<typeof scriptedServer>[0]) {
  const server = await scriptedServer(handler);
  servers.push(server);
  return server;
}

/** fetchVideo (the download with its retries and URL refreshes) of task_1 from `videoUrl`. */
function download(videoUrl: string, dest = join(dir, "v.mp4"), gatewayUrl = "http://127.0.0.1:9") {
  const warnings: string[] = [];
  const gateway = gatewayFor("apimart", gatewayUrl);
  const run = fetchVideo(
    gateway,
    finished(videoUrl),
    dest,
    { force: false, onRetry: (m) => warnings.push(m) },
    deps,
  );
  return { run, warnings };
}

/** A video-like body far larger than the socket buffers, so it is only ever sent if read. */
function sendBigVideo(res: ServerResponse): void {
  const body = Buffer.alloc(8 * 1024 * 1024);
  body.write("ftyp", 4, "latin1");
  res.writeHead(200, { "content-type": "video/mp4", "content-length": String(body.length) }).end(body);
}

describe("a redirect to a scheme other than http(s)", () => {
  it.each([
    "file:///etc/passwd",
    "data:video/mp4;base64,AAAAGGZ0eXBpc29t",
    "ftp://127.0.0.1/v.mp4",
    "javascript:alert(1)",
    "gopher://127.0.0.1:70/1",
  ])("to %s: refused at once with one line, never retried", async (location) => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location }).end();
    });
    const { run, warnings } = download(`${server.url}/v.mp4`);
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const scheme = new URL(location).protocol;
    expect(err).toMatchObject({
      exitCode: 6,
      message: `refusing the redirect from ${server.url} to a ${scheme} URL: a video is only downloaded over http(s)`,
    });
    expect(server.hits).toHaveLength(1);
    expect(deps.sleeps).toEqual([]);
    expect(warnings).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a task whose video URL is itself file: is refused before any request or wait", async () => {
    const { run } = download("file:///etc/passwd");
    await expect(run).rejects.toMatchObject({
      exitCode: 6,
      message: "refusing to download from a file: URL: a video is only downloaded over http(s)",
    });
    expect(deps.sleeps).toEqual([]);
  });

  it("a Location that is no URL at all: exit 6, one request, not an internal error", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: "http://[::1" }).end();
    });
    const err = await download(`${server.url}/v.mp4`).run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      exitCode: 6,
      message: `${server.url} redirected the video download to an address that is not a URL`,
    });
    expect(server.hits).toHaveLength(1);
    expect(deps.sleeps).toEqual([]);
  });

  it("a redirect loop is followed 5 times, then refused without starting over", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === "/a" ? "/b" : "/a" }).end();
    });
    await expect(download(`${server.url}/a`).run).rejects.toMatchObject({
      exitCode: 6,
      message: `too many redirects while downloading from ${server.url}`,
    });
    expect(server.hits).toHaveLength(6);
    expect(deps.sleeps).toEqual([]);
  });
});

describe("byte counts in a download's headers", () => {
  it("a 206 whose total has 400 digits is no usable range: a clean restart, not bytes of Infinity", async () => {
    const movie = Buffer.alloc(1000, 7);
    movie.write("ftyp", 4, "latin1");
    const server = await serve((req, res) => {
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? -1);
      if (start < 0) {
        res.writeHead(200, { "content-type": "video/mp4", "content-length": "1000" }).end(movie);
        return;
      }
      const range = `bytes ${start}-999/${"9".repeat(400)}`;
      res.writeHead(206, { "content-type": "video/mp4", "content-range": range }).end(movie.subarray(start));
    });
    const dest = join(dir, "v.mp4");
    await writeFile(`${dest}.part`, movie.subarray(0, 400));
    await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: "task_1", etag: null }));
    const { run, warnings } = download(`${server.url}/v.mp4`, dest);
    const { saved } = await run;
    expect(saved).toMatchObject({ bytes: 1000, resumedFrom: 0 });
    expect(server.hits.map((h) => h.headers.range)).toEqual(["bytes=400-", undefined]);
    expect(deps.sleeps).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe("the key on redirects", () => {
  it("a chain through other origins never carries it, and a hop back to the gateway does", async () => {
    const gatewayHits: Array<string | undefined> = [];
    let gatewayUrl = "";
    const cdn = await serve((req, res) => {
      if (req.url === "/first") res.writeHead(301, { location: "/second" }).end();
      else if (req.url === "/second") res.writeHead(307, { location: `${gatewayUrl}/back.mp4` }).end();
      else res.writeHead(404).end();
    });
    const other = await serve((_req, res) => {
      res.writeHead(302, { location: `${cdn.url}/first` }).end();
    });
    const gatewayServer = await serve((req, res) => {
      gatewayHits.push(req.headers.authorization);
      if (req.url === "/v1/videos/task_1/content") res.writeHead(302, { location: `${other.url}/x` }).end();
      else sendBigVideo(res);
    });
    gatewayUrl = gatewayServer.url;
    const { run } = download(`${gatewayUrl}/v1/videos/task_1/content`, join(dir, "v.mp4"), gatewayUrl);
    await run;
    const key = `Bearer ${gatewayFor("apimart", gatewayUrl).apiKey}`;
    expect(gatewayHits).toEqual([key, key]);
    for (const hit of [...other.hits, ...cdn.hits]) expect(hit.headers.authorization).toBeUndefined();
  });
});

describe("the disk refusing the video is not a network error", () => {
  it("a folder where the .part goes: EISDIR once, one request, no wait, the connection let go", async () => {
    let responseClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (responseClosed = resolve));
    const server = await serve((_req, res) => {
      res.on("close", responseClosed);
      sendBigVideo(res);
    });
    await mkdir(join(dir, "v.mp4.part"));
    const { run, warnings } = download(`${server.url}/v.mp4`);
    await expect(run).rejects.toMatchObject({
      exitCode: 6,
      message: `cannot save the video of task task_1 to ${join(dir, "v.mp4")} (EISDIR)`,
    });
    expect(server.hits).toHaveLength(1);
    expect(deps.sleeps).toEqual([]);
    expect(warnings).toEqual([]);
    // An unread body left open holds the connection (and every dispatcher.close()) until the server gives up.
    await closed;
  }, 5_000);

  it("a name too long for the file system: refused before any request", async () => {
    const server = await serve((_req, res) => sendBigVideo(res));
    const { run } = download(`${server.url}/v.mp4`, join(dir, `${"n".repeat(300)}.mp4`));
    await expect(run).rejects.toMatchObject({
      exitCode: 6,
      message: expect.stringMatching(/\(ENAMETOOLONG\)$/),
    });
    expect(server.hits).toHaveLength(0);
    expect(deps.sleeps).toEqual([]);
  });

  it("a file where the destination's folder should be: ENOTDIR before any request", async () => {
    const server = await serve((_req, res) => sendBigVideo(res));
    await writeFile(join(dir, "file"), "x");
    const { run } = download(`${server.url}/v.mp4`, join(dir, "file", "v.mp4"));
    await expect(run).rejects.toMatchObject({ exitCode: 6, message: expect.stringMatching(/\(ENOTDIR\)$/) });
    expect(server.hits).toHaveLength(0);
    expect(deps.sleeps).toEqual([]);
  });
});

describe("a request that cannot be built is not a network error", () => {
  it("a key no HTTP header can carry: exit 3 naming its variable, nothing sent, no retry", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end("{}"));
    const gateway = { ...gatewayFor("apimart", server.url), apiKey: "sk-\u4e2d\u6587-key" };
    const err = await fetchTask(gateway, "task_1", deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({
      exitCode: 3,
      nothingSent: true,
      message: "the API key for apimart holds characters an HTTP header cannot carry; nothing was sent",
      hint: expect.stringContaining("GROKVID_APIMART_API_KEY"),
    });
    expect((err as Error).message).not.toContain("\u4e2d");
    expect(server.hits).toHaveLength(0);
    expect(deps.sleeps).toEqual([]);
  });
});
