import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitForTask } from "../../src/core/jobs/poll.js";
import { gatewayFor, makeDeps, scriptedServer, type TestDeps } from "../helpers/http-deps.js";

let deps: TestDeps;
const closers: Array<() => Promise<void>> = [];
beforeEach(async () => {
  deps = await makeDeps();
});
afterEach(async () => {
  await deps.close();
  await Promise.all(closers.splice(0).map((close) => close()));
});

const done = JSON.stringify({
  code: 200,
  data: {
    id: "task_1",
    status: "completed",
    progress: 100,
    result: { videos: [{ url: ["http://x/v.mp4"] }] },
  },
});

/** Answers every status query with a finished task, noting the (virtual) time of each. */
async function finishedServer() {
  const asked: number[] = [];
  const server = await scriptedServer((_req, res) => {
    asked.push(deps.clock.now());
    res.writeHead(200, { "content-type": "application/json" }).end(done);
  });
  closers.push(() => server.close());
  return { url: server.url, asked };
}

describe("the first poll of a task", () => {
  it("comes at once for a task made earlier, one interval later for one just created", async () => {
    const { url, asked } = await finishedServer();
    const gateway = gatewayFor("apimart", url);
    const start = deps.clock.now();
    const opts = { intervalMs: 1000, timeoutMs: 60_000, resumeHint: "" };
    await waitForTask(gateway, "task_1", opts, deps);
    expect(asked).toEqual([start]);
    await waitForTask(gateway, "task_1", { ...opts, justCreated: true }, deps);
    expect(asked).toEqual([start, start + 1000]);
    expect(deps.sleeps).toEqual([1000]);
  });

  it("a check-once wait (no timeout) asks at once even for a task just created", async () => {
    const { url, asked } = await finishedServer();
    const start = deps.clock.now();
    const opts = { intervalMs: 1000, timeoutMs: 0, resumeHint: "", justCreated: true };
    await waitForTask(gatewayFor("apimart", url), "task_1", opts, deps);
    expect(asked).toEqual([start]);
  });
});
