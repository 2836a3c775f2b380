import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

it("Ctrl-C while waiting exits 130 and says how to resume the still-running task", async () => {
  const env = {
    GROKVID_APIMART_API_KEY: "sk-e2e-key-0123456789",
    GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart"),
  };
  const id = (
    await runCli(["create", "--provider", "apimart", "--prompt", "slow [never]"], { cwd: e2e.dir, env })
  ).stdout.trim();
  const child = spawn(process.execPath, [BIN, "wait", id, "--provider", "apimart", "--interval", "100ms"], {
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
      if (stderr.includes(": running")) resolve();
    });
  });
  child.kill("SIGINT");
  expect(await exited).toBe(130);
  expect(stdout).toBe("");
  expect(stderr).toContain(`task ${id} is still running on apimart`);
  expect(stderr).toContain(`resume with: grokvid wait ${id} --provider apimart`);
});
