import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli, runUntilSignalled } from "../helpers/run-cli.js";

const e2e = useE2e();

/**
 * Ctrl-C of `create --download -o dog.mp4` while it waits: the hint is the command that saves the
 * video (`grokvid download ID`, which remembers -o), not `grokvid wait ID`, which saves nothing.
 */
it("Ctrl-C of create --download -o FILE points at grokvid download ID, which then saves FILE", async () => {
  const env = e2e.envFor("apimart");
  const r = await runUntilSignalled(
    [
      "create",
      "--provider",
      "apimart",
      "--prompt",
      "a dog",
      "--download",
      "-o",
      "dog.mp4",
      "--interval",
      "100ms",
    ],
    { cwd: e2e.dir, env },
    () => e2e.sandbox.requests.some((q) => q.method === "GET"),
    "SIGINT",
  );
  expect(r.sent).toBe(true);
  expect(r.code).toBe(130);
  const id = /task (task_\w+)/.exec(r.stderr)?.[1];
  expect(id, r.stderr).toBeDefined();
  expect(r.stderr).toContain(`resume with: grokvid download ${id}`);
  expect(r.stderr).not.toContain("grokvid wait");

  const resumed = await runCli(["download", id ?? "", "--interval", "100ms"], { cwd: e2e.dir, env });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(existsSync(join(e2e.dir, "dog.mp4"))).toBe(true);
});
