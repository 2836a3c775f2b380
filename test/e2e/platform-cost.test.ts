import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/server.js";
import type { PlatformDialect } from "../../src/sandbox/types.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { expectSaved, FAST, platformCli, readJournal } from "../helpers/platform-e2e.js";
import { runCli } from "../helpers/run-cli.js";

// Issue 22 item 6: a finished job has a cost, exact where the platform reports it (OpenRouter's
// usage.cost, AIML API's usd_spent), an estimate from the list price, marked so, where it does not
// (fal, Replicate); and OpenRouter's credits as the balance.
const e2e = useE2e();

/** 4 s at 480p on grok-imagine-video: $0.05 a second on every platform's list (§10a-§10d). */
const FOUR_SECONDS_480P = ["--duration", "4", "--resolution", "480p"];

async function createPriced(provider: PlatformDialect, flags: readonly string[] = FOUR_SECONDS_480P) {
  const cli = platformCli(e2e, provider);
  const r = await cli([
    "create",
    "--provider",
    provider,
    "--prompt",
    "a kite on the beach",
    ...flags,
    "--wait",
    "--download",
    "-o",
    "kite.mp4",
    ...FAST,
    "--json",
  ]);
  const doc = await expectSaved(r, e2e.dir, "kite.mp4");
  const statuses = (await readJournal(e2e.dir)).filter(
    (line) => line.type === "status" && line.id === doc.id,
  );
  const jobs = await cli(["jobs"]);
  const jobsJson = await cli(["jobs", "--json"]);
  // Off a terminal `jobs` prints tab-separated rows with no header: COST is the fifth field.
  const row = jobs.stdout.split("\n").find((line) => line.startsWith(`${doc.id}\t`)) ?? "";
  const listed = (JSON.parse(jobsJson.stdout) as Array<{ id: string; cost?: unknown }>).find(
    (j) => j.id === doc.id,
  );
  return { r, doc, statuses, column: row.split("\t")[4], listed };
}

describe("exact costs, as reported", () => {
  it.each<PlatformDialect>(["openrouter", "aimlapi"])(
    "%s: cost.usd with no estimate mark, everywhere",
    async (provider) => {
      const { r, doc, statuses, column, listed } = await createPriced(provider);
      expect(doc.cost).toEqual({ usd: 0.2 });
      expect(r.stderr).toContain(`cost: $0.20, as reported by ${provider}`);
      expect(r.stderr).not.toMatch(/about|estimat/);
      expect(statuses.at(-1)).toMatchObject({ status: "succeeded", cost: { usd: 0.2 } });
      expect(statuses.at(-1)?.cost).toEqual({ usd: 0.2 });
      expect(column).toBe("$0.20");
      expect(listed?.cost).toEqual({ usd: 0.2 });
    },
  );
});

describe("estimated costs, marked as such", () => {
  it.each<[PlatformDialect, string[], number, string]>([
    ["fal", FOUR_SECONDS_480P, 0.2, "0.20"],
    // v1.5 at 720p for fal's default 6 s, plus $0.01 for the input image (§10a).
    ["fal", ["--model", "grok-imagine-video-1.5", "--image", "http://127.0.0.1:9/cat.png"], 0.85, "0.85"],
    ["replicate", FOUR_SECONDS_480P, 0.2, "0.20"],
    // grok-imagine-video-1.5 at its default 720p for 5 s: $0.14 a second (§10b).
    [
      "replicate",
      ["--model", "grok-imagine-video-1.5", "--image", "http://127.0.0.1:9/cat.png"],
      0.7,
      "0.70",
    ],
  ])(
    "%s %j: estimate true in --json, the journal and jobs (~$), 'about' on stderr",
    async (provider, flags, usd, shown) => {
      const { r, doc, statuses, column, listed } = await createPriced(provider, flags);
      expect(doc.cost).toEqual({ usd, estimate: true });
      expect(r.stderr).toContain(`cost: about $${shown}, estimated from ${provider}'s list price`);
      expect(r.stderr).not.toContain("as reported by");
      expect(statuses.at(-1)).toMatchObject({ status: "succeeded" });
      expect(statuses.at(-1)?.cost).toEqual({ usd, estimate: true });
      expect(column).toBe(`~$${shown}`);
      expect(listed?.cost).toEqual({ usd, estimate: true });
    },
  );

  // When the create answer was already terminal no status record was journaled, so `jobs` listed
  // the saved job as queued, with no cost.
  it("replicate: a prediction that is already finished when created is journaled finished, with its estimate", async () => {
    // A zero timeline: the create answers `succeeded` at once, as Replicate does for a quick model or `Prefer: wait`.
    const quick = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 } });
    try {
      const env = {
        GROKVID_REPLICATE_API_KEY: E2E_KEY,
        GROKVID_REPLICATE_BASE_URL: quick.baseUrl("replicate"),
        GROKVID_HOME: join(e2e.dir, "home"),
      };
      const cli = (args: string[]) => runCli(args, { cwd: e2e.dir, env });
      const r = await cli([
        "create",
        "--provider",
        "replicate",
        "--prompt",
        "quick",
        ...FOUR_SECONDS_480P,
        "--wait",
        "--download",
        "-o",
        "q.mp4",
        "--json",
      ]);
      const doc = await expectSaved(r, e2e.dir, "q.mp4");
      expect(doc.cost).toEqual({ usd: 0.2, estimate: true });
      const jobs = await cli(["jobs"]);
      const row = jobs.stdout.split("\n").find((line) => line.startsWith(`${doc.id}\t`)) ?? "";
      expect(row.split("\t").slice(1, 5)).toEqual(["replicate", "succeeded", expect.any(String), "~$0.20"]);
      const statuses = (await readJournal(e2e.dir)).filter(
        (line) => line.type === "status" && line.id === doc.id,
      );
      expect(statuses.at(-1)?.cost).toEqual({ usd: 0.2, estimate: true });
    } finally {
      await quick.close();
    }
  });
});

describe("every finished job has a cost", () => {
  // Replicate's grok-imagine-r2v and grok-imagine-video-extension have no list price of their own
  // in providers.md §10b: they are estimated at the base model's per-second price (xAI prices
  // every mode per second of video). fal's lite model has no documented price at all, and no
  // number is invented for it: its cost stays unknown.
  // Eight jobs one after another: more than the default 20 s on a busy two-core machine.
  it("fal lite, fal edit and extend, replicate reference images, edit and extension", async () => {
    const fal = platformCli(e2e, "fal");
    const replicate = platformCli(e2e, "replicate");
    const costOf = async (label: string, run: () => ReturnType<typeof fal>) => {
      const r = await run();
      expect(r.code, `${label}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout) as { id: string; cost?: unknown };
    };
    const waited = ["--prompt", "p", "--wait", ...FAST, "--json"];
    const falSource = await costOf("fal", () => fal(["create", "--provider", "fal", ...waited]));
    const repSource = await costOf("replicate", () =>
      replicate(["create", "--provider", "replicate", ...waited]),
    );
    const runs: Array<[string, () => ReturnType<typeof fal>]> = [
      [
        "fal lite",
        () => fal(["create", "--provider", "fal", "--model", "grok-imagine-video-1.5-lite", ...waited]),
      ],
      ["fal edit", () => fal(["edit", falSource.id, ...waited])],
      ["fal extend", () => fal(["extend", falSource.id, ...waited])],
      [
        "replicate reference images",
        () =>
          replicate([
            "create",
            "--provider",
            "replicate",
            "--reference-image",
            "http://127.0.0.1:9/a.png",
            ...waited,
          ]),
      ],
      ["replicate edit", () => replicate(["edit", repSource.id, ...waited])],
      ["replicate extension", () => replicate(["extend", repSource.id, ...waited])],
    ];
    const costs: Record<string, unknown> = {};
    for (const [label, run] of runs) costs[label] = (await costOf(label, run)).cost;
    const estimate = { usd: expect.any(Number), estimate: true };
    expect(costs).toEqual({
      "fal lite": undefined,
      "fal edit": estimate,
      "fal extend": estimate,
      "replicate reference images": estimate,
      "replicate edit": estimate,
      "replicate extension": estimate,
    });
  }, 60_000);
});

describe("balance", () => {
  it("openrouter: credits left and used, from /api/v1/credits with the key", async () => {
    const openrouter = platformCli(e2e, "openrouter");
    const text = await openrouter(["balance", "--provider", "openrouter"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe("openrouter: 87.5 USD left, 12.5 USD used\n");
    const json = await openrouter(["balance", "--provider", "openrouter", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      provider: "openrouter",
      unlimited: false,
      remaining: 87.5,
      used: 12.5,
      unit: "USD",
    });
    const calls = e2e.sandbox.requests.map((q) => [q.method, q.path, q.status, q.headers?.authorization]);
    expect(calls).toEqual([
      ["GET", "/openrouter/api/v1/credits", 200, "Bearer [redacted]"],
      ["GET", "/openrouter/api/v1/credits", 200, "Bearer [redacted]"],
    ]);
  });

  it.each<PlatformDialect>(["fal", "replicate", "aimlapi"])(
    "%s has no balance endpoint: exit 2, nothing sent",
    async (provider) => {
      const r = await platformCli(e2e, provider)(["balance", "--provider", provider]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^error: ${provider} has no balance endpoint; nothing was sent \\(.*billing page`),
      );
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );
});
