import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Fault, type Sandbox, type SandboxDialect, startSandbox } from "../../src/sandbox/server.js";
import { PNG_1X1 } from "../fixtures/images.js";
import { steppingClock } from "../helpers/clock.js";
import { runInProcess } from "../helpers/in-process.js";

const KEY = "sk-fault-suite-0000";
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ now: steppingClock(1000) });
  dir = await mkdtemp(join(tmpdir(), "grokvid-faults-"));
  await writeFile(join(dir, "ref.png"), PNG_1X1);
  // A short wait for a first byte, so a stalled answer is retried within the test's time.
  await writeFile(join(dir, ".grokvideorc.json"), JSON.stringify({ timeouts: { headers: "300ms" } }));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const providers: Array<{ name: string; dialect: SandboxDialect; flags: string[] }> = [
  { name: "apimart", dialect: "apimart", flags: [] },
  { name: "xcompute", dialect: "xcompute", flags: [] },
  { name: "jimmyai", dialect: "jimmyai", flags: ["--image", "https://example.com/cup.jpg"] },
  { name: "duoyuanx preview", dialect: "duoyuanx", flags: [] },
  {
    name: "duoyuanx grok-video-1.5-pro",
    dialect: "duoyuanx",
    flags: ["--model", "grok-video-1.5-pro", "--image", "ref.png"],
  },
];

/** Faults grokvid must ride out: the run ends 0 with the exact bytes. */
const survivable: Array<{ name: string; faults: Fault[] }> = [
  { name: "429 on status", faults: [{ kind: "rate-limit", target: "query", retryAfter: 0, times: 2 }] },
  { name: "429 on download", faults: [{ kind: "rate-limit", target: "download", retryAfter: 0 }] },
  { name: "500 on status", faults: [{ kind: "server-error", target: "query", status: 500 }] },
  {
    name: "502 on status, past the HTTP retries",
    faults: [{ kind: "server-error", target: "query", status: 502, times: 5 }],
  },
  { name: "503 on download", faults: [{ kind: "server-error", target: "download", status: 503 }] },
  { name: "reset on status", faults: [{ kind: "reset", target: "query" }] },
  { name: "reset mid-download", faults: [{ kind: "reset", target: "download" }] },
  { name: "stalled status answer", faults: [{ kind: "stall", target: "query" }] },
  { name: "malformed JSON once", faults: [{ kind: "malformed-json", target: "query" }] },
  { name: "truncated download", faults: [{ kind: "truncate", target: "download", times: 2 }] },
  { name: "expired video URL", faults: [{ kind: "expired-url", target: "download" }] },
];

async function createWaitDownload(
  dialect: SandboxDialect,
  flags: string[],
  out: string,
  extra: string[] = [],
) {
  const upper = dialect.toUpperCase();
  return runInProcess(
    [
      "create",
      "--provider",
      dialect,
      "--prompt",
      "faults",
      // In-process runs share the test's working folder: every path is made absolute.
      ...flags.map((f) => (f === "ref.png" ? join(dir, f) : f)),
      "--download",
      "-o",
      join(dir, out),
      "--interval",
      "100ms",
      "--json",
      ...extra,
    ],
    {
      cwd: dir,
      env: {
        HOME: dir,
        GROKVID_HOME: join(dir, "state"),
        [`GROKVID_${upper}_API_KEY`]: KEY,
        [`GROKVID_${upper}_BASE_URL`]: sandbox.baseUrl(dialect),
      },
    },
  );
}

let n = 0;
describe.each(providers)("$name under faults", ({ dialect, flags }) => {
  // Range continuation itself is checked byte for byte in http-client.test.ts; here, whether a cut
  // body leaves bytes to continue from depends on socket timing.
  it.each(survivable)("$name: exit 0 and byte-exact video", async ({ faults }) => {
    sandbox.setFaults(faults.map((f) => (f.target === "download" ? f : { ...f, dialect })));
    sandbox.requests.length = 0;
    const out = `v${n++}.mp4`;
    const r = await createWaitDownload(dialect, flags, out);
    expect(r.stderr).not.toContain("error:");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { id: string; path: string };
    expect((await readFile(join(dir, out))).equals(generateTaskVideo(doc.id))).toBe(true);
    // The fault really fired during this run.
    expect(sandbox.requests.filter((q) => q.fault !== undefined).length).toBeGreaterThan(0);
  });

  it("a create refused with 429 is sent once and exits 6 (only batch resubmits refused creates)", async () => {
    sandbox.setFaults([{ kind: "rate-limit", target: "create", retryAfter: 0, dialect }]);
    sandbox.requests.length = 0;
    const r = await createWaitDownload(dialect, flags, `never-${n++}.mp4`);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("rate limiting requests (HTTP 429)");
    expect(sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("a create answered 500 is sent once and exits 6 saying a job may exist", async () => {
    sandbox.setFaults([{ kind: "server-error", target: "create", status: 500, dialect }]);
    sandbox.requests.length = 0;
    const r = await createWaitDownload(dialect, flags, `never-${n++}.mp4`);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("a job may exist");
    expect(sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("a create whose connection is reset is sent once and exits 6 saying a job may exist", async () => {
    sandbox.setFaults([{ kind: "reset", target: "create", dialect }]);
    sandbox.requests.length = 0;
    const r = await createWaitDownload(dialect, flags, `never-${n++}.mp4`);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("a job may exist");
    expect(sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("malformed JSON past the retries exits 6", async () => {
    sandbox.setFaults([{ kind: "malformed-json", target: "query", times: Infinity, dialect }]);
    const r = await createWaitDownload(dialect, flags, `never-${n++}.mp4`);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { exitCode: 6, message: expect.stringContaining("unparseable response") },
    });
  });

  it("a task that never finishes exits 8 at the timeout with the resume hint", async () => {
    sandbox.setFaults([{ kind: "never-finish", target: "create", dialect }]);
    const r = await createWaitDownload(dialect, flags, `never-${n++}.mp4`, ["--timeout", "1s"]);
    expect(r.code).toBe(8);
    // The job was to be saved: `download` picks it up and saves it where -o said (issue 23 item 4).
    expect(r.stderr).toMatch(/resume with: grokvid download \S+/);
  });

  it("a download that is not a video exits 6 and saves nothing", async () => {
    sandbox.setFaults([{ kind: "wrong-type", target: "download" }]);
    const out = `html-${n++}.mp4`;
    const r = await createWaitDownload(dialect, flags, out);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("instead of a video; nothing was saved");
    expect(await readdir(dir)).not.toContain(out);
  });
});
