import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/core/download/download.js";
import { fetchTask, submitTask } from "../../src/core/jobs/task-identity.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import { waitForTask } from "../../src/core/jobs/poll.js";
import { ApiError } from "../../src/util/errors.js";
import { callGateway, type Gateway } from "../../src/http/client.js";
import {
  finishedTask as finished,
  gatewayFor,
  makeDeps,
  scriptedServer,
  type TestDeps,
} from "../helpers/http-deps.js";

let deps: TestDeps;
let dir: string;
const servers: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  deps = await makeDeps();
  dir = await mkdtemp(join(tmpdir(), "grokvid-http-"));
});
afterEach(async () => {
  await deps.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(handler: Parameters<typeof scriptedServer>[0]) {
  const server = await scriptedServer(handler);
  servers.push(server);
  return server;
}

const running = JSON.stringify({ code: 200, data: { id: "task_1", status: "processing", progress: 10 } });
const done = JSON.stringify({
  code: 200,
  data: {
    id: "task_1",
    status: "completed",
    progress: 100,
    result: { videos: [{ url: ["http://x/v.mp4"] }] },
  },
});

describe("retries", () => {
  it("a status query retries a 429 after the Retry-After the server asked for", async () => {
    const server = await serve((_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { "retry-after": "7", "content-type": "application/json" }).end("{}");
      else res.writeHead(200, { "content-type": "application/json" }).end(running);
    });
    const { task } = await fetchTask(gatewayFor("apimart", server.url), "task_1", deps);
    expect(task.status).toBe("running");
    expect(server.hits).toHaveLength(2);
    expect(deps.sleeps).toEqual([7000]);
  });

  it("retry-after-ms wins over retry-after", async () => {
    const server = await serve((_req, res, hit) => {
      if (hit === 1) res.writeHead(503, { "retry-after-ms": "250", "retry-after": "9" }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end(running);
    });
    await fetchTask(gatewayFor("apimart", server.url), "task_1", deps);
    expect(deps.sleeps).toEqual([250]);
  });

  it("gives up after 3 retries with capped exponential backoff and exits 6", async () => {
    const server = await serve((_req, res) => {
      res
        .writeHead(502, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: 502, message: "bad gateway", type: "bad_gateway" } }));
    });
    const err = await fetchTask(gatewayFor("apimart", server.url), "task_1", deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ exitCode: 6, message: "apimart answered HTTP 502: bad gateway" });
    expect(server.hits).toHaveLength(4);
    // random() is 0.5 in tests: half of 500, 1000, 2000 ms.
    expect(deps.sleeps).toEqual([250, 500, 1000]);
  });

  it("a create answered 500 is sent exactly once", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end("{}");
    });
    const gateway = gatewayFor("apimart", server.url);
    const { params, model } = validateCreate(gateway.provider, { prompt: "p", images: [] });
    const spec = gateway.provider.buildCreate({ ...params, images: [] }, model);
    await expect(callGateway(gateway, spec, deps.http, { idempotent: false })).rejects.toMatchObject({
      exitCode: 6,
    });
    expect(server.hits).toHaveLength(1);
  });

  it.each([
    ["an unreadable body", "<html>ok</html>", /unparseable response from apimart \(HTTP 200/],
    ["no task id", JSON.stringify({ code: 200, data: [] }), /no task id in the create answer/],
  ])(
    "a create answered 200 with %s says a job may exist, and is not resent",
    async (_what, body, message) => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end(body);
      });
      const gateway = gatewayFor("apimart", server.url);
      const { params, model } = validateCreate(gateway.provider, { prompt: "p", images: [] });
      const err = await submitTask(gateway, { ...params, images: [] }, model, deps).catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 6, message: expect.stringMatching(message) });
      expect(err).toMatchObject({
        hint: expect.stringContaining("a job may exist; check your apimart dashboard"),
      });
      expect(server.hits).toHaveLength(1);
    },
  );

  it("a refused connection is retried, then reported with exit 6", async () => {
    const server = await serve(() => {});
    const url = server.url;
    await server.close();
    const err = await fetchTask(gatewayFor("apimart", url), "task_1", deps).catch((e: unknown) => e);
    expect(err).toMatchObject({
      exitCode: 6,
      message: expect.stringMatching(/could not reach apimart .*ECONNREFUSED/),
    });
    expect(deps.sleeps).toHaveLength(3);
  });

  it("a 200 that is not JSON is an unparseable-response error, exit 6", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end("<html>maintenance</html>");
    });
    await expect(fetchTask(gatewayFor("apimart", server.url), "task_1", deps)).rejects.toMatchObject({
      exitCode: 6,
      message: expect.stringContaining("unparseable response from apimart (HTTP 200, text/html)"),
    });
  });
});

describe("waits outlive transient failures", () => {
  it("keeps polling through a gateway outage and reports it once", async () => {
    const server = await serve((_req, res, hit) => {
      if (hit <= 6) res.writeHead(502).end();
      else res.writeHead(200, { "content-type": "application/json" }).end(hit < 8 ? running : done);
    });
    const warnings: string[] = [];
    const task = await waitForTask(
      gatewayFor("apimart", server.url),
      "task_1",
      { intervalMs: 1000, timeoutMs: 600_000, resumeHint: "", onWarning: (w) => warnings.push(w) },
      deps,
    );
    expect(task.status).toBe("succeeded");
    expect(warnings).toEqual(["status check failed (apimart answered HTTP 502); still waiting"]);
  });

  it("a task never seen because of errors ends with the error at the deadline", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503).end();
    });
    const wait = waitForTask(
      gatewayFor("apimart", server.url),
      "task_1",
      { intervalMs: 1000, timeoutMs: 30_000, resumeHint: "" },
      deps,
    );
    await expect(wait).rejects.toMatchObject({ exitCode: 6, message: "apimart answered HTTP 503" });
  });

  it("a refused key stops the wait at once", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end("{}");
    });
    const wait = waitForTask(
      gatewayFor("apimart", server.url),
      "task_1",
      { intervalMs: 1000, timeoutMs: 30_000, resumeHint: "" },
      deps,
    );
    await expect(wait).rejects.toMatchObject({ exitCode: 4 });
    expect(server.hits).toHaveLength(1);
  });
});

describe("answer size", () => {
  it("an answer too large to be a task is refused, not held in memory", async () => {
    const big = `{"code":200,"data":{"id":"task_1","pad":"${"x".repeat(9 * 1024 * 1024)}"}}`;
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(big);
    });
    await expect(fetchTask(gatewayFor("apimart", server.url), "task_1", deps)).rejects.toMatchObject({
      exitCode: 6,
      message: expect.stringContaining("unparseable response from apimart"),
    });
  });
});

describe("poll hints", () => {
  it("waiting honours openai-poll-after-ms", async () => {
    const server = await serve((_req, res, hit) => {
      res
        .writeHead(200, { "content-type": "application/json", "openai-poll-after-ms": "1200" })
        .end(hit < 3 ? running : done);
    });
    const task = await waitForTask(
      gatewayFor("apimart", server.url),
      "task_1",
      { intervalMs: 1000, timeoutMs: 60_000, resumeHint: "" },
      deps,
    );
    expect(task.status).toBe("succeeded");
    expect(deps.sleeps).toEqual([1200, 1200]);
  });
});

/** Test bytes that start like an MP4 (an `ftyp` box type at bytes 4-8), which every download checks. */
function videoLike(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.write("ftyp", 4, "latin1");
  return out;
}

/** Downloads the finished task_1's video from `videoUrl` to `dest`, through `gateway`. */
function fetchTo(gateway: Gateway, videoUrl: string, dest: string) {
  return downloadVideo(gateway, finished(videoUrl), dest, { force: false }, deps.http);
}

describe("download safety", () => {
  it("never sends the key to another origin when a redirect leaves the gateway", async () => {
    const cdn = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4" }).end(videoLike(Buffer.from("a tiny movie")));
    });
    const gatewayServer = await serve((_req, res) => {
      res.writeHead(302, { location: `${cdn.url}/signed.mp4` }).end();
    });
    const gateway = gatewayFor("duoyuanx", gatewayServer.url);
    await fetchTo(gateway, `${gatewayServer.url}/v1/videos/task_1/content`, join(dir, "a.mp4"));
    expect(gatewayServer.hits[0]?.headers.authorization).toBe(`Bearer ${gateway.apiKey}`);
    expect(cdn.hits[0]?.headers.authorization).toBeUndefined();
  });

  it("an HTML page is not saved as a video", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<html>login</html>");
    });
    const gateway = gatewayFor("apimart", "http://127.0.0.1:9");
    await expect(fetchTo(gateway, `${server.url}/v.mp4`, join(dir, "v.mp4"))).rejects.toThrow(
      /answered text\/html; charset=utf-8 instead of a video; nothing was saved/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("a body shorter than its Content-Length is an error and the final name stays empty", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": "100" });
      res.write(videoLike(Buffer.alloc(40)), () => setTimeout(() => res.destroy(), 20));
    });
    const gateway = gatewayFor("apimart", "http://127.0.0.1:9");
    await expect(fetchTo(gateway, `${server.url}/v.mp4`, join(dir, "v.mp4"))).rejects.toMatchObject({
      exitCode: 6,
      message: expect.stringMatching(/broke off after 40 bytes/),
    });
    expect(await readdir(dir)).toEqual(["v.mp4.part", "v.mp4.part.json"]);
    // The next attempt continues from what arrived (and is cut short again by this server).
    await expect(
      fetchTo(gatewayFor("apimart", "http://127.0.0.1:9"), `${server.url}/v.mp4`, join(dir, "v.mp4")),
    ).rejects.toMatchObject({ exitCode: 6 });
    expect(server.hits.at(-1)?.headers.range).toBe("bytes=40-");
  });
});

describe("resumable downloads", () => {
  const movie = videoLike(Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251)));

  async function rangeServer(honourRange: boolean) {
    return serve((req, res) => {
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
      if (honourRange && m?.[1]) {
        const start = Number(m[1]);
        res
          .writeHead(206, {
            "content-type": "video/mp4",
            "content-range": `bytes ${start}-${movie.length - 1}/${movie.length}`,
            "content-length": String(movie.length - start),
          })
          .end(movie.subarray(start));
      } else {
        res
          .writeHead(200, { "content-type": "video/mp4", "content-length": String(movie.length) })
          .end(movie);
      }
    });
  }

  it("continues a partial file with Range and checks the whole file's hash", async () => {
    const server = await rangeServer(true);
    const dest = join(dir, "v.mp4");
    await writeFile(`${dest}.part`, movie.subarray(0, 400));
    await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: "task_1", etag: '"v1"' }));
    const saved = await fetchTo(gatewayFor("apimart", "http://127.0.0.1:9"), `${server.url}/v.mp4`, dest);
    expect(server.hits[0]?.headers.range).toBe("bytes=400-");
    expect(server.hits[0]?.headers["if-range"]).toBe('"v1"');
    expect(saved).toMatchObject({
      bytes: 1000,
      resumedFrom: 400,
      sha256: createHash("sha256").update(movie).digest("hex"),
    });
    expect((await readFile(dest)).equals(movie)).toBe(true);
    expect(await readdir(dir)).toEqual(["v.mp4"]);
  });

  it("Ctrl-C mid-download keeps the .part file, and the next download continues it", async () => {
    let stall = true;
    const server = await serve((req, res) => {
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
      const start = Number(m?.[1] ?? 0);
      res.writeHead(start ? 206 : 200, {
        "content-type": "video/mp4",
        "content-length": String(movie.length - start),
        ...(start ? { "content-range": `bytes ${start}-${movie.length - 1}/${movie.length}` } : {}),
      });
      if (stall) res.write(movie.subarray(0, 300));
      else res.end(movie.subarray(start));
    });
    const dest = join(dir, "v.mp4");
    const controller = new AbortController();
    const gateway = gatewayFor("apimart", "http://127.0.0.1:9");
    const first = downloadVideo(
      gateway,
      finished(`${server.url}/v.mp4`),
      dest,
      {
        force: false,
        onProgress: (received) => {
          // Ctrl-C a moment later, once the bytes are on disk.
          if (received >= 300) setTimeout(() => controller.abort(), 50);
        },
      },
      { ...deps.http, signal: controller.signal },
    );
    await expect(first).rejects.toMatchObject({ name: "AbortError" });
    expect(await readdir(dir)).toEqual(["v.mp4.part", "v.mp4.part.json"]);
    stall = false;
    const saved = await fetchTo(gateway, `${server.url}/v.mp4`, dest);
    expect(saved.resumedFrom).toBe(300);
    expect((await readFile(dest)).equals(movie)).toBe(true);
  });

  it("never splices a partial file left by another task", async () => {
    const server = await rangeServer(true);
    const dest = join(dir, "v.mp4");
    await writeFile(`${dest}.part`, Buffer.from("bytes of some other video"));
    await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: "task_other", etag: null }));
    const gateway = gatewayFor("apimart", "http://127.0.0.1:9");
    // That task's bytes were paid for: without force they are left alone, and nothing is fetched.
    await expect(fetchTo(gateway, `${server.url}/v.mp4`, dest)).rejects.toThrow(/task_other/);
    expect(server.hits).toEqual([]);
    expect(await readFile(`${dest}.part`, "utf8")).toBe("bytes of some other video");
    // With force the download starts over: from byte 0, never spliced onto the other's bytes.
    const saved = await downloadVideo(
      gateway,
      finished(`${server.url}/v.mp4`),
      dest,
      { force: true },
      deps.http,
    );
    expect(server.hits[0]?.headers.range).toBeUndefined();
    expect(saved.resumedFrom).toBe(0);
    expect((await readFile(dest)).equals(movie)).toBe(true);
    expect(await readdir(dir)).toEqual(["v.mp4"]);
  });

  it("refuses to share a .part with another live download", async () => {
    const dest = join(dir, "v.mp4");
    // A lock held by a live process (this one's parent) makes a second download step back.
    await writeFile(`${dest}.part.lock`, String(process.ppid));
    await expect(
      fetchTo(gatewayFor("apimart", "http://127.0.0.1:9"), "http://127.0.0.1:9/v.mp4", dest),
    ).rejects.toThrow(/another grokvid \(pid \d+\) is downloading/);
  });

  it("restarts cleanly when the server ignores Range", async () => {
    const server = await rangeServer(false);
    const dest = join(dir, "v.mp4");
    await writeFile(`${dest}.part`, Buffer.from("stale bytes from another file"));
    await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: "task_1", etag: null }));
    const saved = await fetchTo(gatewayFor("apimart", "http://127.0.0.1:9"), `${server.url}/v.mp4`, dest);
    expect(saved.resumedFrom).toBe(0);
    expect((await readFile(dest)).equals(movie)).toBe(true);
  });

  it("falls back to the gateway's /content when the direct URL is gone", async () => {
    const server = await serve((req, res) => {
      if (req.url?.endsWith("/content")) res.writeHead(200, { "content-type": "video/mp4" }).end(movie);
      else res.writeHead(403).end();
    });
    const dest = join(dir, "v.mp4");
    const saved = await fetchTo(gatewayFor("duoyuanx", server.url), `${server.url}/expired.mp4`, dest);
    expect(saved.sourceUrl).toBe(`${server.url}/v1/videos/task_1/content`);
    expect((await readFile(dest)).equals(movie)).toBe(true);
  });

  it("resolves a video URL given relative to the gateway", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4" }).end(movie);
    });
    const dest = join(dir, "v.mp4");
    await fetchTo(gatewayFor("apimart", server.url), "/v1/videos/task_1/content", dest);
    expect(server.hits[0]?.url).toBe("/v1/videos/task_1/content");
  });
});
