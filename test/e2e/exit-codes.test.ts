import { spawn } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText, sharedJournalRun, writeJournalText } from "../helpers/journal-text.js";
import { BIN, type CliResult, runCli, testJournalEnv } from "../helpers/run-cli.js";

const e2e = useE2e();

const home = () => join(e2e.dir, "state");
const homeEnv = (extra: Record<string, string> = {}) => ({ GROKVID_HOME: home(), ...extra });

function createdLine(i: number): string {
  return JSON.stringify({
    type: "created",
    at: "2026-01-01T00:00:00.000Z",
    id: `task_${String(i).padStart(6, "0")}`,
    provider: "apimart",
    baseUrl: "http://127.0.0.1:9/apimart",
    model: "grok-imagine-1.5-video-apimart",
    params: { prompt: `prompt number ${i} with some words to make the row longer`, images: [] },
    requestHash: `h${i}`,
  });
}

/** The CLI with a time limit, for commands that would run forever if the fix were missing. */
function runLimited(args: string[], env: Record<string, string>, ms: number): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: e2e.dir,
      env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1", ...testJournalEnv(), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe("a reader that goes away ends the command quietly", () => {
  it("grokvid jobs | head -1: no stack trace, nothing on stderr, exit 0", async () => {
    await mkdir(home(), { recursive: true });
    const lines = Array.from({ length: 5000 }, (_, i) => createdLine(i));
    await writeJournalText(join(home(), "journal.jsonl"), `${lines.join("\n")}\n`);
    const child = spawn(process.execPath, [BIN, "jobs", "--limit", "0"], {
      cwd: e2e.dir,
      env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1", ...testJournalEnv(), ...homeEnv() },
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // Like head -1: read the first chunk, then close the pipe.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("environment problems are configuration or usage errors, in one line", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("sandbox --port N with N taken: exit 2", async () => {
    server = createServer();
    const port = await new Promise<number>((resolve) =>
      server?.listen(0, "127.0.0.1", () => {
        const address = server?.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      }),
    );
    const r = await runLimited(["sandbox", "--port", String(port)], {}, 10_000);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(String(port));
    expect(r.stderr).not.toContain("internal error");
  });

  const unusableHomes: Array<{ name: string; make: (dir: string) => Promise<string> }> = [
    {
      name: "GROKVID_HOME is a regular file",
      make: async (dir) => {
        await writeFile(join(dir, "home-file"), "x");
        return join(dir, "home-file");
      },
    },
    {
      name: "GROKVID_HOME is under a regular file",
      make: async (dir) => {
        await writeFile(join(dir, "home-file"), "x");
        return join(dir, "home-file", "sub");
      },
    },
    {
      name: "GROKVID_HOME is a symlink loop",
      make: async (dir) => {
        await symlink(join(dir, "loop"), join(dir, "loop"));
        return join(dir, "loop");
      },
    },
  ];

  // A shared journal needs GROKVID_HOME only before paying (where records go if the database
  // drops): jobs and resume read the database alone (its failures: shared-journal-setup.test.ts).
  const commands = sharedJournalRun() ? [["batch"]] : [["jobs"], ["resume"], ["batch"]];
  for (const { name, make } of unusableHomes) {
    it.each(commands)(`${name}: %s exits 3 and sends nothing`, async (command) => {
      const env = { ...e2e.envFor("apimart"), GROKVID_HOME: await make(e2e.dir) };
      await writeFile(join(e2e.dir, "b.jsonl"), '{"prompt":"p"}\n');
      const args = command === "batch" ? ["batch", "b.jsonl", "--provider", "apimart"] : [command];
      const r = await runCli(args, { cwd: e2e.dir, env });
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")[0]).toMatch(/^error: .*journal/);
      expect(r.stderr).not.toContain("internal error");
      expect(e2e.sandbox.requests).toEqual([]);
    });
  }
});

describe("exit 2 only when nothing was sent", () => {
  it("resume: a download refused after the job was polled is not a usage error", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: e2e.dir, env });
    const id = created.stdout.trim();
    await writeFile(join(e2e.dir, `apimart-${id}.mp4`), "already here");
    const r = await runCli(["resume", "--download", "--interval", "100ms"], { cwd: e2e.dir, env });
    expect(e2e.sandbox.requests.some((q) => q.method === "GET")).toBe(true);
    expect(r.stdout).toContain("already exists");
    expect(r.code).toBe(6);
  });

  it("download: a file in the way is refused before any status query (exit 2)", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: e2e.dir, env });
    const id = created.stdout.trim();
    await writeFile(join(e2e.dir, `apimart-${id}.mp4`), "already here");
    e2e.sandbox.requests.length = 0;
    const r = await runCli(["download", id, "--interval", "100ms"], { cwd: e2e.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("download: a refusal that comes only after the status queries exits 6, not 2", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: e2e.dir, env });
    const id = created.stdout.trim();
    // An interrupted download the journal remembers, whose destination has since become a folder.
    const pending = join(e2e.dir, "v.mp4");
    const line = {
      type: "downloading",
      at: "2026-01-01T00:00:00.000Z",
      id,
      provider: "apimart",
      path: pending,
    };
    const journal = join(home(), "journal.jsonl");
    await writeJournalText(journal, `${await readJournalText(journal)}${JSON.stringify(line)}\n`);
    await mkdir(pending);
    const r = await runCli(["download", id, "--interval", "100ms"], { cwd: e2e.dir, env });
    expect(e2e.sandbox.requests.some((q) => q.method === "GET")).toBe(true);
    expect(r.stderr).toContain("is a folder");
    expect(r.code).toBe(6);
  });

  async function batch(lines: unknown[]) {
    await writeFile(join(e2e.dir, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
    const args = ["batch", "b.jsonl", "--provider", "apimart", "--interval", "100ms", "--out-dir", "o"];
    const r = await runCli([...args, "--skip-invalid", "--manifest", "m.json"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor("apimart")),
    });
    const manifest = JSON.parse(await readFile(join(e2e.dir, "m.json"), "utf8")) as Array<{ status: string }>;
    return { r, statuses: manifest.map((m) => m.status) };
  }

  it("batch --skip-invalid: the valid lines ran and succeeded, so the run exits 0", async () => {
    const { r, statuses } = await batch([{ prompt: "ok" }, { prompt: "x", duration: 5 }]);
    expect(statuses).toEqual(["succeeded", "invalid"]);
    expect(r.stderr).toContain("line 2:");
    expect(r.code).toBe(0);
  });

  it("batch --skip-invalid with only invalid lines: nothing was sent, exit 2", async () => {
    const { r, statuses } = await batch([{ prompt: "x", duration: 5 }]);
    expect(statuses).toEqual(["invalid"]);
    expect(e2e.sandbox.requests).toEqual([]);
    expect(r.code).toBe(2);
  });

  it("batch --skip-invalid: a failed job still exits 7, not 2", async () => {
    const { r, statuses } = await batch([{ prompt: "bad [fail]" }, { prompt: "x", duration: 5 }]);
    expect(statuses).toEqual(["failed", "invalid"]);
    expect(r.code).toBe(7);
  });
});

describe("a task the gateway does not know is not 'still running'", () => {
  it.each([
    ["apimart", "task_doesnotexist"],
    ["duoyuanx", "video_doesnotexist"],
  ])("wait on %s %s: not found, and no resume hint", async (provider, id) => {
    const r = await runCli(["wait", id, "--provider", provider, "--timeout", "1s"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor(provider as "apimart" | "duoyuanx")),
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("was not found");
    expect(r.stderr).not.toContain("may still be running");
    expect(r.stderr).not.toContain("resume with");
  });

  it("download of a task the gateway does not know: no resume hint", async () => {
    const r = await runCli(["download", "task_doesnotexist", "--provider", "apimart"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor("apimart")),
    });
    expect(r.code).toBe(6);
    expect(r.stderr).not.toContain("may still be running");
  });
});
