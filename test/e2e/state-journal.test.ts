import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { KIND_WORDS, OBSTACLES, plant, runBounded } from "../helpers/obstacles.js";

/**
 * A journal that is not a regular file (issue 20, finding 9): every command that reads or appends
 * to it hung (a FIFO, ignoring Ctrl-C and SIGTERM; one TAB froze a shell), grew to gigabytes
 * (a link to /dev/zero) or failed with an internal error (doctor). Each must now end within
 * seconds with one line naming the journal and what it is, exit 3, and send nothing.
 */
const e2e = useE2e();

const journalPath = () => join(e2e.dir, "state", "journal.jsonl");

/** Every command that reads (or appends to) the journal, with what it needs to get that far. */
const COMMANDS: Record<string, () => Promise<string[]>> = {
  create: async () => ["create", "--provider", "apimart", "--prompt", "p"],
  "edit --dry-run": async () => ["edit", "task_1", "--prompt", "p", "--dry-run"],
  status: async () => ["status", "task_1", "--provider", "apimart"],
  wait: async () => ["wait", "task_1", "--provider", "apimart"],
  download: async () => ["download", "task_1", "--provider", "apimart"],
  jobs: async () => ["jobs"],
  resume: async () => ["resume"],
  batch: async () => {
    const file = join(e2e.dir, "lines.jsonl");
    await writeFile(file, `${JSON.stringify({ prompt: "p" })}\n`);
    return ["batch", file, "--provider", "apimart"];
  },
  gallery: async () => ["gallery", "-o", join(e2e.dir, "g.html")],
  __complete: async () => ["__complete", "status", ""],
};

describe.each(OBSTACLES)("the journal is a %s", (kind) => {
  it.each(Object.keys(COMMANDS))("%s: one line, exit 3, within seconds, nothing sent", async (name) => {
    await plant(journalPath(), kind);
    const args = await (COMMANDS[name] ?? (async () => []))();
    const env = { ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "state") };
    const r = await runBounded(args, { cwd: e2e.dir, env });
    expect(r.timedOut, `hung: grokvid ${args.join(" ")}`).toBe(false);
    expect(r.code, r.stderr).toBe(3);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors, r.stderr).toHaveLength(1);
    expect(errors[0]).toContain(journalPath());
    expect(errors[0]).toContain(KIND_WORDS[kind]);
    expect(r.stderr).not.toMatch(/internal error|Warning/);
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("doctor: the journal check fails with exit 3 and says what the journal is", async () => {
    await plant(journalPath(), kind);
    const r = await runBounded(["doctor", "--provider", "sandbox"], {
      cwd: e2e.dir,
      env: { GROKVID_HOME: join(e2e.dir, "state") },
    });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const line = r.stdout.split("\n").find((l) => l.includes("journal:"));
    expect(line).toMatch(/^FAIL journal: /);
    expect(line).toContain(journalPath());
    expect(line).toContain(KIND_WORDS[kind]);
    expect(r.stderr).not.toContain("internal error");
  });

  it("a plain create --dry-run never reads the journal: it still works", async () => {
    await plant(journalPath(), kind);
    const env = { ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "state") };
    const r = await runBounded(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"], {
      cwd: e2e.dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
