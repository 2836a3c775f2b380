import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

// A short timeline: the spawned CLI paces its polls at xAI's 1 request per second in real time.
const e2e = useE2e({ timeline: { queuedMs: 400, runningMs: 400 } });

function xai(args: string[], extra: Record<string, string> = {}) {
  return runCli(args, {
    cwd: e2e.dir,
    env: { ...e2e.envFor("xai"), GROKVID_HOME: join(e2e.dir, "home"), ...extra },
  });
}

describe("grokvid with --provider xai", () => {
  it("a moderated job exits 7 with code moderated, saying it was probably billed", async () => {
    const r = await xai([
      "create",
      "--provider",
      "xai",
      "--prompt",
      "[moderated] x",
      "--wait",
      "--interval",
      "100ms",
      "--json",
    ]);
    expect(r.code).toBe(7);
    const doc = JSON.parse(r.stdout) as { status: string; error: { code: string }; cost?: { usd: number } };
    expect(doc.status).toBe("failed");
    expect(doc.error.code).toBe("moderated");
    expect(doc.cost?.usd).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/probably billed/);
  });

  it("an expired job exits 7", async () => {
    const r = await xai([
      "create",
      "--provider",
      "xai",
      "--prompt",
      "[expired] x",
      "--wait",
      "--interval",
      "100ms",
    ]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/expired/);
  });

  it("shows the cost in jobs (a COST column) and on stderr after the wait", async () => {
    const r = await xai([
      "create",
      "--provider",
      "xai",
      "--prompt",
      "priced",
      "--duration",
      "2",
      "--wait",
      "--interval",
      "100ms",
    ]);
    expect(r.code).toBe(0);
    // grok-imagine-video at the default 480p: $0.05 per second.
    expect(r.stderr).toContain("cost: $0.10, as reported by xai");
    const jobs = await xai(["jobs"]);
    // Off a terminal `jobs` prints tab-separated rows with no header (issue 10): COST is field 5.
    const [row = ""] = jobs.stdout.split("\n");
    expect(row.split("\t")[4]).toBe("$0.10");
    expect(jobs.stdout).toContain("$0.10");
  });

  it("a cost no job can have is unknown: one warning, no price in --json, jobs or the gallery", async () => {
    e2e.sandbox.setFaults([{ kind: "hostile-cost", target: "query", times: Infinity }]);
    try {
      const r = await xai(
        ["create", "--provider", "xai", "--prompt", "priced", "--duration", "2"].concat([
          "--wait",
          "--interval",
          "100ms",
          "--json",
        ]),
      );
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { id: string; status: string };
      expect(doc.status).toBe("succeeded");
      expect(doc).not.toHaveProperty("cost");
      expect(r.stderr.match(/reported a cost/g)).toEqual(["reported a cost"]);
      expect(r.stderr).toContain(
        `xai reported a cost of 1.7976931348623157e+298 USD; a job costs 0 to 10000 USD, so the cost of task ${doc.id} is unknown`,
      );
      expect(r.stderr).not.toContain("cost: $");
      // What an older grokvid journaled from such an answer: any finite number.
      const journal = join(e2e.dir, "home", "journal.jsonl");
      const old = { type: "status", at: "2026-01-01T00:00:00.000Z", id: doc.id, provider: "xai" };
      const line = {
        ...old,
        status: "succeeded",
        progress: 100,
        videoUrl: null,
        error: null,
        cost: { usd: 1e300 },
      };
      await appendFile(journal, `${JSON.stringify(line)}\n`);
      const jobs = await xai(["jobs"]);
      expect(jobs.stdout.split("\n")[0]?.split("\t")[4]).toBe("");
      const json = await xai(["jobs", "--json"]);
      expect(JSON.parse(json.stdout)).toEqual([expect.not.objectContaining({ cost: expect.anything() })]);
      expect((await xai(["gallery", "-o", "g.html"])).code).toBe(0);
      const html = await readFile(join(e2e.dir, "g.html"), "utf8");
      expect(html).toContain('<span id="shown-cost">Cost unknown for 1 job</span>');
      expect(html).not.toMatch(/Infinity|NaN|e\+\d/);
    } finally {
      e2e.sandbox.setFaults([]);
    }
  });

  it.each([
    [["--resolution", "1080p"], /--resolution 1080p .*accepted: 480p, 720p/],
    [["--reference-image", "a.png", "--image", "b.png"], /--reference-image cannot be combined with --image/],
    [["--duration", "16"], /--duration 16 .*accepted: 1-15/],
    [
      Array.from({ length: 8 }, (_, i) => ["--reference-image", `https://example.com/${i}.png`]).flat(),
      /at most 7 reference images \(got 8\)/,
    ],
  ])("refuses %j before sending anything (exit 2)", async (flags, message) => {
    const r = await xai(["create", "--provider", "xai", "--prompt", "<IMAGE_1>", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("refuses an 11-second extension and an edit on a provider without edits, sending nothing", async () => {
    const extend = await xai([
      "extend",
      "https://example.com/v.mp4",
      "--provider",
      "xai",
      "--prompt",
      "more",
      "--duration",
      "11",
    ]);
    expect(extend.code).toBe(2);
    expect(extend.stderr).toMatch(/--duration 11 .*accepted: 2-10/);
    const edit = await xai(
      ["edit", "https://example.com/v.mp4", "--provider", "apimart", "--prompt", "x"],
      e2e.envFor("apimart"),
    );
    expect(edit.code).toBe(2);
    expect(edit.stderr).toMatch(/apimart cannot edit videos; providers that can: xai/);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("edit and extend a journaled job from the command line, each downloaded", async () => {
    const made = await xai([
      "create",
      "--provider",
      "xai",
      "--prompt",
      "a cat",
      "--wait",
      "--interval",
      "100ms",
    ]);
    expect(made.code).toBe(0);
    const id = made.stdout.split("\t")[0] ?? "";
    const edit = await xai(["edit", id, "--prompt", "at night", "-o", "night.mp4", "--interval", "100ms"]);
    expect(edit.code).toBe(0);
    expect(edit.stdout.trim()).toBe("night.mp4");
    const extend = await xai([
      "extend",
      id,
      "--prompt",
      "it jumps",
      "--duration",
      "3",
      "-o",
      "long.mp4",
      "--interval",
      "100ms",
    ]);
    expect(extend.code).toBe(0);
    const posts = e2e.sandbox.requests.filter((r) => r.method === "POST").map((r) => r.path);
    expect(posts).toEqual([
      "/xai/v1/videos/generations",
      "/xai/v1/videos/edits",
      "/xai/v1/videos/extensions",
    ]);
  });

  it("balance: apimart and duoyuanx answer; xai says where to look and sends nothing", async () => {
    const apimart = await xai(["balance", "--provider", "apimart"], e2e.envFor("apimart"));
    expect(apimart.code).toBe(0);
    expect(apimart.stdout).toMatch(/^apimart: .* left, .* used/);
    const duoyuanx = await xai(["balance", "--provider", "duoyuanx", "--json"], e2e.envFor("duoyuanx"));
    expect(duoyuanx.code).toBe(0);
    const doc = JSON.parse(duoyuanx.stdout) as {
      unit: string;
      remaining: number;
      usdEstimate: { remaining: number };
    };
    expect(doc.unit).toBe("quota");
    expect(doc.usdEstimate.remaining).toBeCloseTo(doc.remaining / 500_000, 10);
    const before = e2e.sandbox.requests.length;
    const none = await xai(["balance", "--provider", "xai"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/management key/);
    expect(e2e.sandbox.requests).toHaveLength(before);
  });

  it("providers lists xai's models and limits without sending anything", async () => {
    const r = await xai(["providers", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{
      id: string;
      models: Array<{ id: string; resolutions: string[] }>;
    }>;
    const found = list.find((p) => p.id === "xai");
    expect(found?.models.map((m) => [m.id, m.resolutions])).toEqual([
      ["grok-imagine-video", ["480p", "720p"]],
      ["grok-imagine-video-1.5", ["480p", "720p", "1080p"]],
    ]);
    const text = await xai(["providers"]);
    expect(text.stdout).toMatch(/xai\s+grok-imagine-video \*/);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });
});
