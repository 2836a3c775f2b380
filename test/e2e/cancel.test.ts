import { writeFile } from "node:fs/promises";
import { readJournalText } from "../helpers/journal-text.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnySandboxDialect, SandboxRequest } from "../../src/sandbox/types.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** `grokvid cancel ID...` (issue 22): the platforms that can cancel, and those that cannot. */
const e2e = useE2e();
const FAST = ["--interval", "100ms"];

/** Every dialect's key and base URL, so a journaled id needs no --provider. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const dialects: AnySandboxDialect[] = ["fal", "replicate", "openrouter", "aimlapi", "xai", "apimart"];
  return Object.assign(
    { GROKVID_HOME: join(e2e.dir, "home") },
    ...dialects.map((d) => e2e.envFor(d)),
    extra,
  ) as Record<string, string>;
}

function cli(args: string[], input = "", extra: Record<string, string> = {}) {
  return runCli(args, { cwd: e2e.dir, env: env(extra), input });
}

/** A job that never finishes (`[never]`), so a cancel always finds it queued or running. */
async function created(provider: string, prompt = "a fox [never]"): Promise<string> {
  const r = await cli(["create", "--provider", provider, "--prompt", prompt]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

interface StatusRecord {
  type: string;
  id: string;
  status: string;
  error: { code: string | null; message: string } | null;
}

async function journal(): Promise<StatusRecord[]> {
  const text = await readJournalText(join(e2e.dir, "home", "journal.jsonl"));
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as StatusRecord);
}

async function lastStatus(id: string): Promise<StatusRecord | undefined> {
  return (await journal()).filter((e) => e.type === "status" && e.id === id).at(-1);
}

/** The requests a command made: those after `from` in the sandbox's log. */
const since = (from: number): SandboxRequest[] => e2e.sandbox.requests.slice(from);
const cancels = (log: readonly SandboxRequest[]) => log.filter((r) => r.path.endsWith("/cancel"));

describe("grokvid cancel on the platforms that can cancel", () => {
  it("fal: exactly one PUT to the returned cancel_url, journaled cancelled, shown so by jobs, exit 0", async () => {
    const id = await created("fal");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${id}\tcancelled\tfal took the cancel\n`);
    // The cancel_url fal returned: the app path only, not the endpoint's (providers.md §10a).
    expect(since(before).map((q) => [q.method, q.path, q.status])).toEqual([
      ["PUT", `/fal/xai/grok-imagine-video/requests/${id}/cancel`, 202],
    ]);
    expect(since(before)[0]?.headers?.authorization).toBe("Key [redacted]");
    const last = await lastStatus(id);
    expect(last?.status).toBe("cancelled");
    const jobs = await cli(["jobs"]);
    expect(jobs.code).toBe(0);
    const row = jobs.stdout.split("\n").find((l) => l.startsWith(`${id}\t`));
    expect(row?.split("\t").slice(0, 3)).toEqual([id, "fal", "cancelled"]);
    // What the platform says afterwards agrees: the result is the cancellation, not a failure.
    const status = await cli(["status", id, "--json"]);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { status: string }).status).toBe("cancelled");
  });

  it("replicate: exactly one POST .../cancel, journaled cancelled, exit 0", async () => {
    const id = await created("replicate");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${id}\tcancelled\treplicate took the cancel\n`);
    expect(since(before).map((q) => [q.method, q.path, q.status])).toEqual([
      ["POST", `/replicate/v1/predictions/${id}/cancel`, 200],
    ]);
    expect((await lastStatus(id))?.status).toBe("cancelled");
    const jobs = await cli(["jobs", "--json"]);
    const listed = (JSON.parse(jobs.stdout) as Array<{ id: string; status: string }>).find(
      (j) => j.id === id,
    );
    expect(listed?.status).toBe("cancelled");
  });

  it.each(["fal", "replicate"])("%s --json: one document {id, provider, outcome, task}", async (provider) => {
    const id = await created(provider);
    const r = await cli(["cancel", id, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & {
      task: { id: string; provider: string; status: string };
    };
    expect(Object.keys(doc).sort()).toEqual(["id", "outcome", "provider", "task"]);
    expect(doc).toMatchObject({ id, provider, outcome: "requested" });
    expect(doc.task).toMatchObject({ id, provider, status: "cancelled" });
  });

  it.each(["fal", "replicate"])(
    "%s: a job that already finished is left as it was (exit 0, outcome already-finished)",
    async (provider) => {
      const id = await created(provider, "a finished fox");
      const done = await cli(["wait", id, ...FAST]);
      expect(done.code, done.stderr).toBe(0);
      expect((await lastStatus(id))?.status).toBe("succeeded");
      const before = e2e.sandbox.requests.length;
      const r = await cli(["cancel", id, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { outcome: string; task: { status: string } };
      expect(doc.outcome).toBe("already-finished");
      expect(doc.task.status).toBe("succeeded");
      expect(cancels(since(before))).toHaveLength(1);
      expect((await lastStatus(id))?.status).toBe("succeeded");
      const text = await cli(["cancel", id]);
      expect(text.code).toBe(0);
      expect(text.stdout).toBe(`${id}\tsucceeded\thad already finished on ${provider}; nothing to cancel\n`);
      expect((await lastStatus(id))?.status).toBe("succeeded");
    },
  );

  it("cancel A B: each id in order, one cancel each, on the platform its journal names", async () => {
    const a = await created("fal");
    const b = await created("replicate");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", a, b]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `${a}\tcancelled\tfal took the cancel\n${b}\tcancelled\treplicate took the cancel\n`,
    );
    expect(cancels(since(before)).map((q) => q.dialect)).toEqual(["fal", "replicate"]);
    expect((await lastStatus(a))?.status).toBe("cancelled");
    expect((await lastStatus(b))?.status).toBe("cancelled");
  });

  it("cancel - reads the ids from standard input; --json gives one document per line", async () => {
    const a = await created("fal");
    const b = await created("fal");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", "-", "--json"], `${a}\n\n${b}\n`);
    expect(r.code, r.stderr).toBe(0);
    const docs = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; outcome: string });
    expect(docs.map((d) => [d.id, d.outcome])).toEqual([
      [a, "requested"],
      [b, "requested"],
    ]);
    expect(cancels(since(before)).map((q) => q.path)).toEqual([
      `/fal/xai/grok-imagine-video/requests/${a}/cancel`,
      `/fal/xai/grok-imagine-video/requests/${b}/cancel`,
    ]);
  });

  it("an id the journal does not know, without --provider, exits 2 and sends nothing", async () => {
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", "fal_not_a_real_task_1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: task fal_not_a_real_task_1 is not in the journal .*pass --provider/);
    expect(since(before)).toEqual([]);
  });

  it.each([
    ["fal", "PUT", "/fal/xai/grok-imagine-video/requests/fal_not_a_real_task_1/cancel"],
    ["replicate", "POST", "/replicate/v1/predictions/fal_not_a_real_task_1/cancel"],
  ])("%s: an id the platform does not know exits 6 (task not found) after one cancel", async (p, m, path) => {
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", "fal_not_a_real_task_1", "--provider", p]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: task fal_not_a_real_task_1 was not found on ${p} (HTTP 404)`);
    expect(since(before).map((q) => [q.method, q.path, q.status])).toEqual([[m, path, 404]]);
    expect(r.stdout).toBe("");
  });

  it("several ids where one cannot be cancelled: the others still are; exit 6, as a request went out", async () => {
    const a = await created("fal");
    const b = await created("openrouter");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", b, a]);
    // Exit 2 promises that nothing was sent; the fal cancel was, so the run reports 6 (outcome.ts).
    expect(r.code).toBe(6);
    expect(r.stdout).toBe(`${a}\tcancelled\tfal took the cancel\n`);
    expect(r.stderr).toContain(`error: ${b}: openrouter has no way to cancel a job`);
    expect(since(before).map((q) => q.dialect)).toEqual(["fal"]);
    expect((await lastStatus(a))?.status).toBe("cancelled");
  });
});

describe("grokvid cancel where the platform has no cancel", () => {
  it.each(["openrouter", "aimlapi", "xai", "apimart"])(
    "%s: exit 2, one clear line, and not one request from the cancel",
    async (provider) => {
      const id = await created(provider);
      for (const args of [
        ["cancel", id],
        ["cancel", id, "--provider", provider],
        ["cancel", id, "--json"],
      ]) {
        const before = e2e.sandbox.requests.length;
        const r = await cli(args);
        expect(r.code, args.join(" ")).toBe(2);
        const message = `${provider} has no way to cancel a job: its API documents none, so nothing was sent`;
        const [first, ...rest] = r.stderr.trimEnd().split("\n");
        expect(first).toBe(`error: ${message}`);
        // At most the hint follows; the error is said once.
        expect(rest.filter((l) => l.startsWith("error:"))).toEqual([]);
        expect(rest.length).toBeLessThanOrEqual(1);
        if (args.includes("--json")) {
          const doc = JSON.parse(r.stdout) as { error: { exitCode: number; message: string } };
          expect(doc.error).toMatchObject({ exitCode: 2, message });
        } else expect(r.stdout).toBe("");
        expect(since(before)).toEqual([]);
      }
      // The journal still has the job as it was: nothing was cancelled.
      expect((await lastStatus(id))?.status ?? "queued").not.toBe("cancelled");
    },
  );

  it("a gateways: entry of dialect openai-videos: exit 2 naming the gateway, nothing sent", async () => {
    await writeFile(
      join(e2e.dir, ".grokvideorc.json"),
      JSON.stringify({
        gateways: {
          "my-newapi": {
            dialect: "openai-videos",
            baseUrl: e2e.sandbox.baseUrl("duoyuanx"),
            models: { "grok-imagine-video-1.5-preview": { durations: { min: 1, max: 15 } } },
          },
        },
      }),
    );
    const extra = { GROKVID_MY_NEWAPI_API_KEY: E2E_KEY };
    const made = await cli(["create", "--provider", "my-newapi", "--prompt", "x [never]"], "", extra);
    expect(made.code, made.stderr).toBe(0);
    const id = made.stdout.trim();
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", id], "", extra);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(
      "error: my-newapi has no way to cancel a job: its API documents none, so nothing was sent",
    );
    expect(since(before)).toEqual([]);
  });

  it("a gateways: entry of dialect fal cancels like fal itself: one PUT to the returned URL", async () => {
    await writeFile(
      join(e2e.dir, ".grokvideorc.json"),
      JSON.stringify({ gateways: { "my-fal": { dialect: "fal", baseUrl: e2e.sandbox.baseUrl("fal") } } }),
    );
    const extra = { GROKVID_MY_FAL_API_KEY: E2E_KEY };
    const made = await cli(["create", "--provider", "my-fal", "--prompt", "x [never]"], "", extra);
    expect(made.code, made.stderr).toBe(0);
    const id = made.stdout.trim();
    const before = e2e.sandbox.requests.length;
    const r = await cli(["cancel", id], "", extra);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${id}\tcancelled\tmy-fal took the cancel\n`);
    expect(since(before).map((q) => [q.method, q.path])).toEqual([
      ["PUT", `/fal/xai/grok-imagine-video/requests/${id}/cancel`],
    ]);
    expect((await lastStatus(id))?.status).toBe("cancelled");
  });
});

/** Bugs found while writing these tests, each failing before its fix. */
describe("cancels across processes and the check-once timeout", () => {
  // A `wait` already polling a fal job did not know of a `cancel` made by another process, so it
  // read fal's cancelled result as a failure and journaled `failed` after the cancel's `cancelled`.
  // The cancel's intent is journaled first now, and the waiting process reads it again.
  it("fal: a wait running while another process cancels the job ends cancelled, not failed", async () => {
    const id = await created("fal");
    const waiting = cli(["wait", id, "--interval", "100ms", "--timeout", "15s"]);
    const polled = () => e2e.sandbox.requests.some((q) => q.method === "GET" && q.path.includes(id));
    for (let i = 0; i < 200 && !polled(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(polled()).toBe(true);
    expect((await cli(["cancel", id])).code).toBe(0);
    const w = await waiting;
    expect(w.code).toBe(7);
    expect(w.stdout.split("\t").slice(0, 2)).toEqual([id, "cancelled"]);
    expect((await lastStatus(id))?.status).toBe("cancelled");
  });

  // `--timeout 0` is documented as "checks once"; with poll.cancelOnTimeout in the config, that one
  // look cancels the job.
  it("wait ID --timeout 0 (check once) never cancels, even with poll.cancelOnTimeout", async () => {
    await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify({ poll: { cancelOnTimeout: true } }));
    const id = await created("fal");
    const before = e2e.sandbox.requests.length;
    const r = await cli(["wait", id, "--timeout", "0"]);
    expect(r.code).toBe(8);
    expect(cancels(since(before))).toEqual([]);
    expect(r.stderr).toContain(`resume with: grokvid wait ${id}`);
  });
});
