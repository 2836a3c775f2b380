import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

function cli(args: string[]) {
  return runCli(args, {
    cwd: e2e.dir,
    env: { ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "state") },
  });
}

interface Task {
  id: string;
  model: string | null;
  createdAt: string | null;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe("--json fills what the gateway leaves out from what grokvid knows", () => {
  // apimart's create answer is only the task id: no model, no time.
  it("create --json: the model asked for and the create time, as the journal has them", async () => {
    const r = await cli(["create", "--provider", "apimart", "--prompt", "a fox", "--json"]);
    expect(r.code).toBe(0);
    const task = JSON.parse(r.stdout) as Task;
    expect(task.model).toBe("grok-imagine-1.5-video-apimart");
    expect(task.createdAt).toMatch(ISO);
    const jobs = JSON.parse((await cli(["jobs", "--json"])).stdout) as Task[];
    expect(jobs[0]?.createdAt).toBe(task.createdAt);
  });

  it("status and wait --json of a journaled job: model and createdAt are never null", async () => {
    const created = JSON.parse(
      (await cli(["create", "--provider", "apimart", "--prompt", "a dog", "--json"])).stdout,
    ) as Task;
    for (const args of [
      ["status", created.id],
      ["wait", created.id, "--interval", "100ms"],
    ]) {
      const r = await cli([...args, "--json"]);
      expect(r.code).toBe(0);
      const task = JSON.parse(r.stdout) as Task;
      expect(task.model).toBe("grok-imagine-1.5-video-apimart");
      expect(task.createdAt).toMatch(ISO);
    }
  });
});
