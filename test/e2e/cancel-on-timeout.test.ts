import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnySandboxDialect, SandboxRequest } from "../../src/sandbox/types.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * --cancel-on-timeout / --no-cancel-on-timeout and poll.cancelOnTimeout (issue 22): a wait that
 * times out cancels the job where the platform can, and is refused where it cannot. Short real
 * timeouts (1 s) on `[never]` jobs; the sandbox's clock steps on every request.
 */
const e2e = useE2e();
const SHORT = ["--timeout", "1s", "--interval", "100ms"];
const NEVER = "a fox [never]";

function env(): Record<string, string> {
  const dialects: AnySandboxDialect[] = ["fal", "replicate", "openrouter"];
  return Object.assign(
    { GROKVID_HOME: join(e2e.dir, "home") },
    ...dialects.map((d) => e2e.envFor(d)),
  ) as Record<string, string>;
}

const cli = (args: string[]) => runCli(args, { cwd: e2e.dir, env: env() });

async function lastStatus(id: string): Promise<{ status: string; error: { code: string | null } | null }> {
  const text = await readFile(join(e2e.dir, "home", "journal.jsonl"), "utf8");
  const records = text
    .split("\n")
    .filter((l) => l !== "")
    .map(
      (l) =>
        JSON.parse(l) as { type: string; id?: string; status: string; error: { code: string | null } | null },
    )
    .filter((e) => e.type === "status" && e.id === id);
  const last = records.at(-1);
  if (!last) throw new Error(`no status record for ${id}`);
  return last;
}

const since = (from: number): SandboxRequest[] => e2e.sandbox.requests.slice(from);
const cancels = (log: readonly SandboxRequest[]) => log.filter((r) => r.path.endsWith("/cancel"));
const creates = (log: readonly SandboxRequest[]) =>
  log.filter((r) => r.method === "POST" && !r.path.endsWith("/cancel"));

/** The id grokvid announced on stderr ("submitted task ID to P"). */
function submittedId(stderr: string): string {
  const id = /submitted task (\S+) to /.exec(stderr)?.[1];
  if (!id) throw new Error(`no id announced in: ${stderr}`);
  return id;
}

const CANCEL_PATH = {
  fal: (id: string) => ["PUT", `/fal/xai/grok-imagine-video/requests/${id}/cancel`],
  replicate: (id: string) => ["POST", `/replicate/v1/predictions/${id}/cancel`],
} as const;

async function writeConfig(config: unknown): Promise<void> {
  await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify(config));
}

describe("--cancel-on-timeout on a job that never ends", () => {
  it.each(["fal", "replicate"] as const)(
    "%s: create --wait sends exactly one cancel, exits 8 and says it cancelled the job",
    async (provider) => {
      const r = await cli([
        "create",
        "--provider",
        provider,
        "--prompt",
        NEVER,
        "--wait",
        ...SHORT,
        "--cancel-on-timeout",
      ]);
      expect(r.code, r.stderr).toBe(8);
      const id = submittedId(r.stderr);
      expect(cancels(e2e.sandbox.requests).map((q) => [q.method, q.path])).toEqual([
        CANCEL_PATH[provider](id),
      ]);
      expect(r.stderr).toMatch(
        new RegExp(
          `error: timed out after 1s waiting for task ${id} on ${provider} \\(last seen [^)]*\\); cancelled it on ${provider} \\(--cancel-on-timeout\\)`,
        ),
      );
      // Nothing is left running, so nothing is offered to resume.
      expect(r.stderr).not.toContain("resume with");
      expect(r.stdout).toBe("");
      expect((await lastStatus(id)).status).toBe("cancelled");
      // Exactly one create: the cancel never turns into a second paid call.
      expect(creates(e2e.sandbox.requests)).toHaveLength(1);
    },
  );

  it("wait ID --cancel-on-timeout on fal: one cancel for the waited job, exit 8, journal cancelled", async () => {
    const made = await cli(["create", "--provider", "fal", "--prompt", NEVER]);
    const id = made.stdout.trim();
    const before = e2e.sandbox.requests.length;
    const r = await cli(["wait", id, ...SHORT, "--cancel-on-timeout", "--json"]);
    expect(r.code, r.stderr).toBe(8);
    expect(cancels(since(before)).map((q) => [q.method, q.path])).toEqual([CANCEL_PATH.fal(id)]);
    expect(r.stderr).toContain(`cancelled it on fal (--cancel-on-timeout)`);
    expect((await lastStatus(id)).status).toBe("cancelled");
    // Under --json the error document carries the cancelled task.
    const doc = JSON.parse(r.stdout) as { error: { exitCode: number }; task?: { status: string } };
    expect(doc.error.exitCode).toBe(8);
    expect(doc.task?.status).toBe("cancelled");
  });

  it("download ID --cancel-on-timeout on replicate: one cancel, exit 8, no file", async () => {
    const made = await cli(["create", "--provider", "replicate", "--prompt", NEVER]);
    const id = made.stdout.trim();
    const before = e2e.sandbox.requests.length;
    const r = await cli(["download", id, "-o", "v.mp4", ...SHORT, "--cancel-on-timeout"]);
    expect(r.code, r.stderr).toBe(8);
    expect(cancels(since(before)).map((q) => [q.method, q.path])).toEqual([CANCEL_PATH.replicate(id)]);
    expect(r.stderr).toContain("cancelled it on replicate (--cancel-on-timeout)");
    expect((await lastStatus(id)).status).toBe("cancelled");
    await expect(readFile(join(e2e.dir, "v.mp4"))).rejects.toThrow(/ENOENT/);
  });

  it.each(["fal", "replicate"] as const)(
    "%s without the flag: no cancel is sent, exit 8, and the hint says how to resume",
    async (provider) => {
      const r = await cli(["create", "--provider", provider, "--prompt", NEVER, "--wait", ...SHORT]);
      expect(r.code, r.stderr).toBe(8);
      const id = submittedId(r.stderr);
      expect(cancels(e2e.sandbox.requests)).toEqual([]);
      expect(r.stderr).toContain("the task may still be running");
      expect(r.stderr).toContain(`resume with: grokvid wait ${id}`);
      expect((await lastStatus(id)).status).not.toBe("cancelled");
    },
  );

  it("openrouter: --cancel-on-timeout is refused with exit 2 before the create", async () => {
    const r = await cli([
      "create",
      "--provider",
      "openrouter",
      "--prompt",
      NEVER,
      "--wait",
      ...SHORT,
      "--cancel-on-timeout",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(
      "error: openrouter has no way to cancel a job, so --cancel-on-timeout cannot be kept; nothing was sent",
    );
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("openrouter: wait ID --cancel-on-timeout is refused with exit 2, not one poll sent", async () => {
    const made = await cli(["create", "--provider", "openrouter", "--prompt", NEVER]);
    const id = made.stdout.trim();
    const before = e2e.sandbox.requests.length;
    const r = await cli(["wait", id, ...SHORT, "--cancel-on-timeout"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "openrouter has no way to cancel a job, so --cancel-on-timeout cannot be kept",
    );
    expect(since(before)).toEqual([]);
  });

  it("batch --cancel-on-timeout with an openrouter line: exit 2 before any line is sent", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), `${JSON.stringify({ prompt: NEVER })}\n`);
    const r = await cli(["batch", "b.jsonl", "--provider", "openrouter", ...SHORT, "--cancel-on-timeout"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("openrouter has no way to cancel a job");
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe("poll.cancelOnTimeout in the config", () => {
  it("applies on fal: one cancel at the deadline, exit 8", async () => {
    await writeConfig({ poll: { cancelOnTimeout: true } });
    const r = await cli(["create", "--provider", "fal", "--prompt", NEVER, "--wait", ...SHORT]);
    expect(r.code, r.stderr).toBe(8);
    const id = submittedId(r.stderr);
    expect(cancels(e2e.sandbox.requests).map((q) => [q.method, q.path])).toEqual([CANCEL_PATH.fal(id)]);
    expect(r.stderr).toContain("cancelled it on fal (--cancel-on-timeout)");
    expect((await lastStatus(id)).status).toBe("cancelled");
  });

  it("is silently not applied on openrouter: the create proceeds, nothing is cancelled", async () => {
    await writeConfig({ poll: { cancelOnTimeout: true } });
    const r = await cli(["create", "--provider", "openrouter", "--prompt", NEVER, "--wait", ...SHORT]);
    expect(r.code, r.stderr).toBe(8);
    const id = submittedId(r.stderr);
    expect(creates(e2e.sandbox.requests).map((q) => q.path)).toEqual(["/openrouter/api/v1/videos"]);
    expect(cancels(e2e.sandbox.requests)).toEqual([]);
    expect(r.stderr).not.toContain("cancel");
    expect(r.stderr).toContain(`resume with: grokvid wait ${id}`);
  });

  it("--no-cancel-on-timeout overrides it on fal: no cancel, exit 8 with the resume hint", async () => {
    await writeConfig({ poll: { cancelOnTimeout: true } });
    const r = await cli([
      "create",
      "--provider",
      "fal",
      "--prompt",
      NEVER,
      "--wait",
      ...SHORT,
      "--no-cancel-on-timeout",
    ]);
    expect(r.code, r.stderr).toBe(8);
    const id = submittedId(r.stderr);
    expect(cancels(e2e.sandbox.requests)).toEqual([]);
    expect(r.stderr).toContain(`resume with: grokvid wait ${id}`);
    expect((await lastStatus(id)).status).not.toBe("cancelled");
  });

  it("on replicate it also puts Cancel-After on a waited create; --no-cancel-on-timeout takes it off", async () => {
    await writeConfig({ poll: { cancelOnTimeout: true } });
    const on = await cli([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      "x",
      "--wait",
      "--timeout",
      "2m",
      "--interval",
      "100ms",
    ]);
    expect(on.code, on.stderr).toBe(0);
    const off = await cli([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      "x",
      "--wait",
      "--timeout",
      "2m",
      "--interval",
      "100ms",
      "--no-cancel-on-timeout",
    ]);
    expect(off.code, off.stderr).toBe(0);
    expect(creates(e2e.sandbox.requests).map((q) => q.headers?.["cancel-after"])).toEqual([
      "150s",
      undefined,
    ]);
  });
});

describe("Replicate's Cancel-After on the create", () => {
  const replicateCreates = () => creates(e2e.sandbox.requests).filter((q) => q.dialect === "replicate");

  it.each([
    [["--wait", "--timeout", "1s", "--cancel-on-timeout"], "31s"],
    [["--wait", "--timeout", "1500ms", "--cancel-on-timeout"], "32s"],
    // -o implies the wait.
    [["-o", "v.mp4", "--timeout", "1s", "--cancel-on-timeout"], "31s"],
  ])("%j sends Cancel-After: %s (the timeout plus 30 s)", async (flags, header) => {
    const r = await cli([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      NEVER,
      "--interval",
      "100ms",
      ...flags,
    ]);
    expect(r.code, r.stderr).toBe(8);
    expect(replicateCreates().map((q) => q.headers?.["cancel-after"])).toEqual([header]);
  });

  it.each([
    [["--wait", "--timeout", "1s"]],
    // Not waited for: grokvid sets no deadline it will not keep.
    [["--timeout", "1s", "--cancel-on-timeout"]],
    [["--wait", "--timeout", "1s", "--no-cancel-on-timeout"]],
  ])("%j sends no Cancel-After", async (flags) => {
    const r = await cli([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      NEVER,
      "--interval",
      "100ms",
      ...flags,
    ]);
    expect([0, 8]).toContain(r.code);
    expect(replicateCreates()).toHaveLength(1);
    expect(replicateCreates()[0]?.headers).not.toHaveProperty("cancel-after");
  });

  it("the dry run shows the header it would send, and sends nothing", async () => {
    const r = await cli([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      "x",
      "--wait",
      "--timeout",
      "10m",
      "--cancel-on-timeout",
      "--dry-run",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { headers: Record<string, string> };
    expect(doc.headers["Cancel-After"]).toBe("630s");
    const plain = await cli(["create", "--provider", "replicate", "--prompt", "x", "--wait", "--dry-run"]);
    expect((JSON.parse(plain.stdout) as { headers: Record<string, string> }).headers).not.toHaveProperty(
      "Cancel-After",
    );
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("fal creates never carry Cancel-After (fal has no such header)", async () => {
    const r = await cli([
      "create",
      "--provider",
      "fal",
      "--prompt",
      NEVER,
      "--wait",
      ...SHORT,
      "--cancel-on-timeout",
    ]);
    expect(r.code).toBe(8);
    const [create] = creates(e2e.sandbox.requests);
    expect(create?.dialect).toBe("fal");
    expect(create?.headers).not.toHaveProperty("cancel-after");
  });

  it("a batch line on replicate with --cancel-on-timeout carries it too", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), `${JSON.stringify({ prompt: NEVER })}\n`);
    const r = await cli(["batch", "b.jsonl", "--provider", "replicate", ...SHORT, "--cancel-on-timeout"]);
    expect(r.code, r.stderr).toBe(8);
    expect(replicateCreates().map((q) => q.headers?.["cancel-after"])).toEqual(["31s"]);
    expect(cancels(e2e.sandbox.requests)).toHaveLength(1);
  });
});

describe("a batch line whose job was cancelled", () => {
  it("is not paid for again on a re-run, unless --retry-failed (then exactly one new create)", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), `${JSON.stringify({ prompt: NEVER })}\n`);
    const args = ["batch", "b.jsonl", "--provider", "fal", ...SHORT, "--cancel-on-timeout"];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(8);
    expect(creates(e2e.sandbox.requests)).toHaveLength(1);
    expect(cancels(e2e.sandbox.requests)).toHaveLength(1);
    const id = submittedId(first.stderr);
    expect((await lastStatus(id)).status).toBe("cancelled");

    const again = await cli(args);
    expect(creates(e2e.sandbox.requests)).toHaveLength(1);
    // A cancelled job counts as a failed one: exit 7, and --retry-failed is offered.
    expect(again.code, again.stderr).toBe(7);
    expect(again.stdout.split("\t").slice(0, 3)).toEqual(["1", id, "cancelled"]);
    expect(again.stderr).toContain("--retry-failed submits them again");

    const retried = await cli([...args, "--retry-failed"]);
    expect(retried.code, retried.stderr).toBe(8);
    expect(creates(e2e.sandbox.requests)).toHaveLength(2);
    expect(cancels(e2e.sandbox.requests)).toHaveLength(2);
    expect(submittedId(retried.stderr)).not.toBe(id);
  });

  it("cancelled with `grokvid cancel`, it is not paid for again either", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), `${JSON.stringify({ prompt: NEVER })}\n`);
    const args = ["batch", "b.jsonl", "--provider", "replicate", ...SHORT];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(8);
    const id = submittedId(first.stderr);
    expect((await cli(["cancel", id])).code).toBe(0);
    const again = await cli(args);
    expect(again.code, again.stderr).toBe(7);
    expect(creates(e2e.sandbox.requests)).toHaveLength(1);
    expect(again.stdout.split("\t").slice(0, 3)).toEqual(["1", id, "cancelled"]);
  });
});
