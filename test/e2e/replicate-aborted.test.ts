import { join } from "node:path";
import { expect, it } from "vitest";
import { steppingClock } from "../helpers/clock.js";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText } from "../helpers/journal-text.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Replicate's `aborted` (providers.md §10b): a prediction whose Cancel-After passed before it
 * started, not billed. The sandbox's clock moves 45 s on every request and a job queues for an
 * hour, so the create's `Cancel-After: 40s` (--timeout 10s + 30 s) has passed by the first poll
 * while the prediction is still waiting to start: the sandbox aborts it, with no real waiting.
 */
const e2e = useE2e({ now: steppingClock(45_000), timeline: { queuedMs: 3_600_000, runningMs: 1000 } });

function cli(args: string[]) {
  return runCli(args, {
    cwd: e2e.dir,
    env: { ...e2e.envFor("replicate"), GROKVID_HOME: join(e2e.dir, "home") },
  });
}

const ARGS = [
  "--provider",
  "replicate",
  "--prompt",
  "a fox",
  "--wait",
  "--timeout",
  "10s",
  "--interval",
  "100ms",
];

it("an aborted prediction is reported cancelled and not billed, exit 7, with no cancel sent", async () => {
  const r = await cli(["create", ...ARGS, "--cancel-on-timeout", "--json"]);
  expect(r.code, r.stderr).toBe(7);
  const [create, ...polls] = e2e.sandbox.requests;
  expect(create?.headers?.["cancel-after"]).toBe("40s");
  // The platform ended it: grokvid had nothing to cancel.
  expect(polls.map((q) => q.method)).toEqual(["GET"]);
  const doc = JSON.parse(r.stdout) as {
    id: string;
    status: string;
    error: { code: string; message: string };
    raw: { status: string };
  };
  expect(doc.raw.status).toBe("aborted");
  expect(doc.status).toBe("cancelled");
  expect(doc.error).toEqual({
    code: "aborted",
    message: "the Cancel-After deadline passed before the prediction started; not billed",
  });
  expect(r.stderr).toContain(`task ${doc.id} cancelled on replicate`);
  expect(r.stderr).toContain("not billed");
  expect(r.stderr).not.toContain("resume with");
  const journal = (await readJournalText(join(e2e.dir, "home", "journal.jsonl")))
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { type: string; status?: string; error?: { code: string | null } | null });
  const last = journal.filter((e) => e.type === "status").at(-1);
  expect(last?.status).toBe("cancelled");
  expect(last?.error?.code).toBe("aborted");
  // `jobs` shows no cost for it: an aborted prediction is not billed, so nothing is estimated.
  const jobs = await cli(["jobs", "--json"]);
  expect(JSON.parse(jobs.stdout)).toEqual([expect.not.objectContaining({ cost: expect.anything() })]);
});

it("without --cancel-on-timeout there is no Cancel-After, so the same prediction is not aborted", async () => {
  const r = await cli(
    ["create", "--provider", "replicate", "--prompt", "a fox", "--wait", "--timeout", "1s"].concat([
      "--interval",
      "100ms",
    ]),
  );
  expect(r.code, r.stderr).toBe(8);
  const [create, ...polls] = e2e.sandbox.requests;
  expect(create?.headers).not.toHaveProperty("cancel-after");
  expect(polls.length).toBeGreaterThan(0);
  expect(r.stderr).not.toContain("aborted");
  expect(r.stderr).toMatch(/last seen queued\); the task may still be running/);
});
