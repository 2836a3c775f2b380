import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

it("Ctrl-C while waiting exits 130 with the resume hint; `grokvid wait <id>` alone then completes", async () => {
  const env = e2e.envFor("apimart");
  const id = (
    await runCli(["create", "--provider", "apimart", "--prompt", "a slow one"], { cwd: e2e.dir, env })
  ).stdout.trim();
  // No --provider: the journal says where the task lives.
  const child = spawn(process.execPath, [BIN, "wait", id, "--interval", "100ms"], {
    cwd: e2e.dir,
    env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1", ...env },
  });
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await new Promise<void>((resolve) => {
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes(`${id}: `)) resolve();
    });
  });
  child.kill("SIGINT");
  expect(await exited).toBe(130);
  expect(stdout).toBe("");
  expect(stderr).toContain(`task ${id} is still running on apimart`);
  expect(stderr).toContain(`resume with: grokvid wait ${id}\n`);

  const resumed = await runCli(["wait", id, "--interval", "100ms"], { cwd: e2e.dir, env });
  expect(resumed.code).toBe(0);
  expect(resumed.stdout.trim().split("\t").slice(0, 2)).toEqual([id, "succeeded"]);
});
