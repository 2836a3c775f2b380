import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { steppingClock } from "../helpers/clock.js";
import { BIN, makeTempDir, runCli } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  sandbox = await startSandbox({ now: steppingClock(500) });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

it("Ctrl-C while waiting exits 130 and says how to resume the still-running task", async () => {
  const env = {
    GROKVID_APIMART_API_KEY: "sk-e2e-key-0123456789",
    GROKVID_APIMART_BASE_URL: sandbox.baseUrl("apimart"),
  };
  const id = (
    await runCli(["create", "--provider", "apimart", "--prompt", "slow [never]"], { cwd: dir, env })
  ).stdout.trim();
  const child = spawn(process.execPath, [BIN, "wait", id, "--provider", "apimart", "--interval", "100ms"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, NO_COLOR: "1", ...env },
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
