import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { BIN, type CliResult, makeTempDir } from "../helpers/run-cli.js";

const MiB = 1024 * 1024;
const KEY = "sk-disk-limit-0123456789";
let sandbox: Sandbox;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  sandbox = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 }, videoBytes: 8 * MiB });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

async function finishedTaskId(): Promise<string> {
  const res = await fetch(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "grok-imagine-1.5-video-apimart", prompt: "disk" }),
  });
  return ((await res.json()) as { data: [{ task_id: string }] }).data[0].task_id;
}

/**
 * The binary under `ulimit -f` (in 512-byte blocks): every file it writes past that size is
 * refused with EFBIG, as a full disk or a quota would refuse it, without needing either.
 */
function downloadUnderFileLimit(id: string, blocks: number): Promise<CliResult> {
  const argv = [BIN, "download", id, "--provider", "apimart", "-o", "v.mp4"];
  const script = `ulimit -f ${blocks}; exec "$0" "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script, process.execPath, ...argv], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        NO_COLOR: "1",
        GROKVID_HOME: join(dir, "home"),
        GROKVID_APIMART_API_KEY: KEY,
        GROKVID_APIMART_BASE_URL: sandbox.baseUrl("apimart"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe("a disk that refuses the video's bytes", () => {
  it("a file size limit hit mid-body: exit 6 naming EFBIG and how to save elsewhere, no final file", async () => {
    const id = await finishedTaskId();
    const r = await downloadUnderFileLimit(id, (2 * MiB) / 512);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).toMatch(/cannot save the video of task \S+ to .*v\.mp4 \(EFBIG\)/);
    expect(r.stderr).toMatch(/grokvid download \S+ -o PATH/);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe("");
    expect(await readdir(dir)).not.toContain("v.mp4");
  });
});
