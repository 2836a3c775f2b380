import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** A prompt file or a batch file that cannot be read says why, in one line, and nothing is sent. */
const e2e = useE2e();

describe("input files that cannot be read say why", () => {
  it("--prompt-file: a missing file and a folder", async () => {
    await mkdir(join(e2e.dir, "folder"));
    const env = e2e.envFor("apimart");
    const missing = await runCli(["create", "--provider", "apimart", "--prompt-file", "nope.txt"], {
      cwd: e2e.dir,
      env,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--prompt-file nope.txt: cannot read the file (no such file)");
    const folder = await runCli(["create", "--provider", "apimart", "--prompt-file", "folder"], {
      cwd: e2e.dir,
      env,
    });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("--prompt-file folder: cannot read the file (it is a folder)");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("batch: a missing file and a folder", async () => {
    await mkdir(join(e2e.dir, "folder"));
    const env = e2e.envFor("apimart");
    const missing = await runCli(["batch", "nope.jsonl", "--provider", "apimart"], { cwd: e2e.dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `cannot read the batch file ${join(e2e.dir, "nope.jsonl")} (no such file)`,
    );
    const folder = await runCli(["batch", "folder", "--provider", "apimart"], { cwd: e2e.dir, env });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("(it is a folder)");
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
