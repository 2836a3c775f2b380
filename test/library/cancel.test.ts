import { join } from "node:path";
import { describe, expect, it } from "vitest";
// Imported by the package's own name, as a user would.
import { type CancelResult, createClient, ExitCode, type GrokvidError, UsageError } from "grokvid";
import { ManualClock } from "../helpers/clock.js";
import { useE2e } from "../helpers/e2e.js";

/**
 * `client.cancel(id)` and `cancelOnTimeout` through the library (issue 22). The client's polls
 * sleep on a clock that moves at once, so a 20-minute timeout passes without any real waiting.
 */
const e2e = useE2e();

function client(provider: "fal" | "replicate" | "openrouter") {
  return createClient({
    env: {
      ...e2e.envFor("fal"),
      ...e2e.envFor("replicate"),
      ...e2e.envFor("openrouter"),
      GROKVID_HOME: join(e2e.dir, "home"),
      HOME: e2e.dir,
    },
    cwd: e2e.dir,
    provider,
    clock: { ...new ManualClock(), random: Math.random },
  });
}

const cancels = () => e2e.sandbox.requests.filter((r) => r.path.endsWith("/cancel"));

async function failure(p: Promise<unknown>): Promise<GrokvidError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error) || !("exitCode" in err))
    throw new Error(`expected a GrokvidError, got ${String(err)}`);
  return err as GrokvidError;
}

describe("client.cancel", () => {
  it.each(["fal", "replicate"] as const)(
    "%s: returns {id, provider, outcome, task}, journaled cancelled",
    async (p) => {
      const { task } = await client(p).create({ prompt: "x [never]" });
      const result: CancelResult = await client(p).cancel(task.id);
      expect(result).toMatchObject({
        id: task.id,
        provider: p,
        outcome: "requested",
        task: { status: "cancelled" },
      });
      expect(cancels()).toHaveLength(1);
      expect((await client(p).findJob(task.id))?.status).toBe("cancelled");
    },
  );

  it("openrouter: a UsageError (exit 2), nothing sent", async () => {
    const { task } = await client("openrouter").create({ prompt: "x [never]" });
    const before = e2e.sandbox.requests.length;
    const err = await failure(client("openrouter").cancel(task.id));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(e2e.sandbox.requests.length).toBe(before);
  });
});

describe("client.wait with cancelOnTimeout and a 20-minute timeout", () => {
  it.each(["fal", "replicate"] as const)(
    "%s: one cancel at the deadline, exit 8, the task cancelled",
    async (p) => {
      const { task } = await client(p).create({ prompt: "x [never]" });
      const err = await failure(
        client(p).wait(task.id, { timeout: "20m", interval: "5s", cancelOnTimeout: true }),
      );
      expect(err.exitCode).toBe(ExitCode.timeout);
      expect(err.message).toMatch(
        new RegExp(
          `^timed out after 20m waiting for task ${task.id} on ${p} .*; cancelled it on ${p} \\(--cancel-on-timeout\\)$`,
        ),
      );
      expect((err.task as { status: string }).status).toBe("cancelled");
      expect(cancels()).toHaveLength(1);
      // Polls backed off over the 20 minutes: dozens, not hundreds.
      const polls = e2e.sandbox.requests.filter((r) => r.method === "GET").length;
      expect(polls).toBeGreaterThan(10);
      expect(polls).toBeLessThan(200);
      expect((await client(p).findJob(task.id))?.status).toBe("cancelled");
    },
  );

  it("without it: no cancel, exit 8, and the job stays as it was", async () => {
    const { task } = await client("fal").create({ prompt: "x [never]" });
    const err = await failure(client("fal").wait(task.id, { timeout: "20m", interval: "5s" }));
    expect(err.exitCode).toBe(ExitCode.timeout);
    expect(err.hint).toContain(`resume with: grokvid wait ${task.id}`);
    expect(cancels()).toHaveLength(0);
    expect((await client("fal").findJob(task.id))?.status).not.toBe("cancelled");
  });
});
