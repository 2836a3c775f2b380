import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestCancel } from "../../src/core/jobs/cancel.js";
import { waitForTask } from "../../src/core/jobs/poll.js";
import type { KnownTask } from "../../src/core/jobs/task-identity.js";
import { ApiError, ExitCode, WaitTimeoutError } from "../../src/util/errors.js";
import { gatewayFor, makeDeps, scriptedServer, type TestDeps } from "../helpers/http-deps.js";

/**
 * The cancel call against gateways that answer it badly (issue 22 review): garbage, redirects, a
 * cancel URL on another origin, 5xx. Scripted loopback servers; the manual clock makes every
 * retry and poll instant.
 */
const KEY = "sk-hostile-cancel-key-0123456789";
type Server = Awaited<ReturnType<typeof scriptedServer>>;

let deps: TestDeps;
const servers: Server[] = [];

beforeEach(async () => {
  deps = await makeDeps();
});
afterEach(async () => {
  await deps.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void) {
  const server = await scriptedServer(handler);
  servers.push(server);
  return server;
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

const withLinks = (links: NonNullable<KnownTask["links"]>): TestDeps => ({
  ...deps,
  known: () => ({ links }),
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe("fal's cancel against a hostile gateway", () => {
  it("a cancel_url on another origin is refused: the key goes nowhere, not even to the gateway", async () => {
    const elsewhere = await serve((_req, res) => answer(res, 202, '{"status":"CANCELLATION_REQUESTED"}'));
    const gateway = await serve((_req, res) => answer(res, 202, '{"status":"CANCELLATION_REQUESTED"}'));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await failure(
      requestCancel(fal, "req_1", withLinks({ cancel: `${elsewhere.url}/requests/req_1/cancel` })),
    );
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.message).toBe(
      `the gateway at ${gateway.url} returned a task URL on ${elsewhere.url}; refusing to send the key there`,
    );
    expect(elsewhere.hits).toHaveLength(0);
    expect(gateway.hits).toHaveLength(0);
  });

  it.each([
    ["another scheme", (u: string) => u.replace("http:", "https:")],
    ["another port", (u: string) => u.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`)],
    ["localhost for 127.0.0.1", (u: string) => u.replace("127.0.0.1", "localhost")],
  ])("a cancel_url on %s is another origin, refused", async (_what, change) => {
    const gateway = await serve((_req, res) => answer(res, 202, "{}"));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await failure(requestCancel(fal, "req_1", withLinks({ cancel: `${change(gateway.url)}/c` })));
    expect(err.message).toMatch(/refusing to send the key there$/);
    expect(gateway.hits).toHaveLength(0);
  });

  it("a cancel_url with user info on the same origin goes out with the key as Key, never as basic auth", async () => {
    const gateway = await serve((_req, res) => answer(res, 202, '{"status":"CANCELLATION_REQUESTED"}'));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const cancel = gateway.url.replace("http://", "http://user:pw@") + "/requests/req_1/cancel";
    // Same origin (user info is not part of it): sent, with exactly one Authorization, fal's `Key <key>`.
    expect(await requestCancel(fal, "req_1", withLinks({ cancel }))).toEqual({ outcome: "requested" });
    expect(gateway.hits.map((h) => h.headers.authorization)).toEqual([`Key ${KEY}`]);
  });

  it("the cancel is PUT, with fal's Key scheme, to exactly the URL returned", async () => {
    const gateway = await serve((_req, res) => answer(res, 202, '{"status":"CANCELLATION_REQUESTED"}'));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const cancel = `${gateway.url}/xai/grok-imagine-video/requests/req_1/cancel?x=1`;
    expect(await requestCancel(fal, "req_1", withLinks({ cancel }))).toEqual({ outcome: "requested" });
    expect(gateway.hits.map((h) => [h.method, h.url, h.headers.authorization])).toEqual([
      ["PUT", "/xai/grok-imagine-video/requests/req_1/cancel?x=1", `Key ${KEY}`],
    ]);
  });

  it("a redirect in answer to the cancel is not followed (the key stays with the gateway)", async () => {
    const elsewhere = await serve((_req, res) => answer(res, 202, '{"status":"CANCELLATION_REQUESTED"}'));
    const gateway = await serve((_req, res) =>
      answer(res, 307, "{}", { location: `${elsewhere.url}/requests/req_1/cancel` }),
    );
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await failure(
      requestCancel(fal, "req_1", { ...deps, http: { ...deps.http, maxRetries: 0 } }),
    );
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.message).not.toContain(KEY);
    expect(elsewhere.hits).toHaveLength(0);
    expect(gateway.hits).toHaveLength(1);
  });

  it.each([
    ["a 202 whose body is no JSON", 202, "<html>ok</html>"],
    ["a 200 with a status word fal never sends", 200, '{"status":"MAYBE"}'],
    ["a 400 with a status word fal never sends", 400, '{"status":"MAYBE"}'],
  ])("%s is an error (exit 6), never taken for a cancel", async (_what, status, body) => {
    const gateway = await serve((_req, res) => answer(res, status, body));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await failure(
      requestCancel(fal, "req_1", { ...deps, http: { ...deps.http, maxRetries: 0 } }),
    );
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.message).not.toContain(KEY);
  });

  it.each([
    [202, '{"status":"CANCELLATION_REQUESTED"}', "requested"],
    [202, "", "requested"],
    [400, '{"status":"ALREADY_COMPLETED"}', "already-finished"],
    // fal's word decides over a status code it does not usually come with.
    [200, '{"status":"ALREADY_COMPLETED"}', "already-finished"],
  ])("HTTP %i %s reads as %s", async (status, body, outcome) => {
    const gateway = await serve((_req, res) => answer(res, status, body));
    const fal = gatewayFor("fal", gateway.url, KEY);
    expect((await requestCancel(fal, "req_1", deps)).outcome).toBe(outcome);
  });

  it("404 NOT_FOUND is 'task not found' (exit 6, notFound), after exactly one request", async () => {
    const gateway = await serve((_req, res) => answer(res, 404, '{"status":"NOT_FOUND"}'));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await failure(requestCancel(fal, "req_1", deps));
    expect(err.message).toBe("task req_1 was not found on fal (HTTP 404)");
    expect(err.notFound).toBe(true);
    expect(gateway.hits).toHaveLength(1);
  });
});

describe("Replicate's cancel against a hostile gateway", () => {
  const prediction = (over: Record<string, unknown>) =>
    JSON.stringify({ id: "p1", model: "xai/grok-imagine-video", status: "canceled", ...over });

  it("an answer naming another prediction is filed under the id asked about", async () => {
    const gateway = await serve((_req, res) => answer(res, 200, prediction({ id: "someone-else" })));
    const rep = gatewayFor("replicate", gateway.url, KEY);
    const { outcome, task } = await requestCancel(rep, "p1", deps);
    expect(outcome).toBe("requested");
    expect(task?.id).toBe("p1");
    expect(task?.status).toBe("cancelled");
  });

  it("an answer that says it had succeeded is already-finished, with the video it names", async () => {
    const gateway = await serve((_req, res) =>
      answer(res, 200, prediction({ status: "succeeded", output: "https://cdn.example/v.mp4" })),
    );
    const rep = gatewayFor("replicate", gateway.url, KEY);
    const { outcome, task } = await requestCancel(rep, "p1", deps);
    expect(outcome).toBe("already-finished");
    expect(task?.status).toBe("succeeded");
    expect(task?.videoUrl).toBe("https://cdn.example/v.mp4");
  });

  it("a body that is not a prediction is an error (exit 6)", async () => {
    const gateway = await serve((_req, res) => answer(res, 200, "[1,2,3]"));
    const rep = gatewayFor("replicate", gateway.url, KEY);
    const err = await failure(requestCancel(rep, "p1", deps));
    expect(err.exitCode).toBe(ExitCode.provider);
  });
});

describe("--cancel-on-timeout when the cancel itself fails", () => {
  it("sends exactly one cancel (no retries at the deadline) and says how to try again", async () => {
    let cancels = 0;
    const gateway = await serve((req, res) => {
      if (req.method === "PUT") {
        cancels += 1;
        answer(res, 503, '{"detail":"busy"}');
      } else answer(res, 202, '{"status":"IN_PROGRESS"}');
    });
    const fal = gatewayFor("fal", gateway.url, KEY);
    const err = await waitForTask(
      fal,
      "req_1",
      { intervalMs: 1000, timeoutMs: 60_000, resumeHint: "grokvid wait req_1", cancelOnTimeout: true },
      deps,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    const timeout = err as WaitTimeoutError;
    expect(timeout.exitCode).toBe(ExitCode.timeout);
    expect(cancels).toBe(1);
    expect(timeout.message).toMatch(/; the cancel failed \(.*\), so the task may still be running$/);
    expect(timeout.hint).toBe("resume with: grokvid wait req_1, or try again: grokvid cancel req_1");
    expect(timeout.message).not.toContain(KEY);
  });

  it("a job the platform says finished just before the cancel is looked at again, and nothing is marked cancelled", async () => {
    const gateway = await serve((req, res) => {
      if (req.method === "PUT") answer(res, 400, '{"status":"ALREADY_COMPLETED"}');
      else answer(res, 202, '{"status":"IN_PROGRESS"}');
    });
    const fal = gatewayFor("fal", gateway.url, KEY);
    const updates: string[] = [];
    const err = await waitForTask(
      fal,
      "req_1",
      {
        intervalMs: 1000,
        timeoutMs: 10_000,
        resumeHint: "grokvid wait req_1",
        cancelOnTimeout: true,
        onUpdate: (t) => void updates.push(t.status),
      },
      deps,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    // This gateway still says IN_PROGRESS when asked again: the wait ends as a plain timeout.
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).toMatch(/; the task may still be running$/);
    expect((err as WaitTimeoutError).hint).toBe("resume with: grokvid wait req_1");
    expect(updates).not.toContain("cancelled");
    expect(gateway.hits.filter((h) => h.method === "PUT")).toHaveLength(1);
  });
});

describe("a refused returned URL", () => {
  // returnedTarget's refusal is an ApiError with no HTTP status, which poll.ts's isTransient took
  // for a passing network failure, so the wait slept out its whole timeout (30 minutes by default)
  // on a URL it will never use.
  it("a status_url on another origin ends the wait at once, not at its timeout", async () => {
    const gateway = await serve((_req, res) => answer(res, 202, '{"status":"IN_PROGRESS"}'));
    const fal = gatewayFor("fal", gateway.url, KEY);
    const start = deps.clock.now();
    const err = await waitForTask(
      fal,
      "req_1",
      { intervalMs: 5000, timeoutMs: 1_800_000, resumeHint: "grokvid wait req_1", cancelOnTimeout: true },
      withLinks({ status: "https://evil.example/r1/status", cancel: "https://evil.example/r1/cancel" }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/refusing to send the key there/);
    expect(gateway.hits).toHaveLength(0);
    expect(deps.clock.now() - start).toBe(0);
  });
});

describe("the journal's cancel intent when the cancel is refused", () => {
  it("a 403 to the cancel withdraws the intent: a failure fal reports later is the job's own", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { FileJournal: Journal } = await import("../../src/core/journal/file-journal.js");
    const { JobRecorder } = await import("../../src/core/journal/recorder.js");
    const { cancelJob } = await import("../../src/core/jobs/cancel.js");
    const dir = await mkdtemp(join(tmpdir(), "grokvid-cancel-"));
    try {
      const gateway = await serve((_req, res) => answer(res, 403, '{"detail":"Forbidden"}'));
      const fal = gatewayFor("fal", gateway.url, KEY);
      const journal = new Journal(dir);
      const recorder = new JobRecorder(journal, () => new Date("2026-12-07T10:00:00Z"));
      await journal.append({
        type: "created",
        at: "2026-12-07T09:59:00Z",
        id: "req_1",
        provider: "fal",
        baseUrl: gateway.url,
        model: "grok-imagine-video",
        params: { prompt: "x", images: [] },
        requestHash: "h1",
      });
      const job = await journal.findJob("req_1", "fal");
      if (job) recorder.know(job);
      const err = await failure(cancelJob({ gateway: fal, deps, recorder }, "req_1", job));
      expect(err.exitCode).toBe(ExitCode.auth);
      expect((await journal.findJob("req_1", "fal"))?.cancelRequested).toBe(false);
      expect(await recorder.cancelWasRequested("fal", "req_1")).toBe(false);
      await journal.close?.();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
