import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText } from "../helpers/journal-text.js";
import { runCli, runUntilKilled } from "../helpers/run-cli.js";

const e2e = useE2e();

function homeEnv(extra: Record<string, string>): Record<string, string> {
  return { GROKVID_HOME: join(e2e.dir, "state"), ...extra };
}

async function journalLines(): Promise<unknown[]> {
  const text = await readJournalText(join(e2e.dir, "state", "journal.jsonl"));
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as unknown);
}

describe("a job paid for is never lost", () => {
  it("SIGKILL right after the create answer leaves the job in the journal; resume --download finishes it", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    const run = await runUntilKilled(
      ["create", "--provider", "apimart", "--prompt", "p", "--wait"],
      { cwd: e2e.dir, env },
      (stderr) => /submitted task \S+/.test(stderr),
    );
    expect(run.killed).toBe(true);
    const id = /submitted task (\S+)/.exec(run.stderr)?.[1] ?? "";
    expect(await journalLines()).toContainEqual(
      expect.objectContaining({ type: "created", id, provider: "apimart" }),
    );

    const resumed = await runCli(["resume", "--download", "--interval", "100ms"], { cwd: e2e.dir, env });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(`${id}\tsucceeded\tapimart-${id}.mp4\n`);
    expect((await readFile(join(e2e.dir, `apimart-${id}.mp4`))).equals(generateTaskVideo(id))).toBe(true);
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env });
    expect(JSON.parse(jobs.stdout)).toMatchObject([
      { id, status: "succeeded", download: { path: join(e2e.dir, `apimart-${id}.mp4`) } },
    ]);
  });

  it("8 processes submitting 25 jobs each at once: the journal holds all 200, every line parses", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    const runs = Array.from({ length: 8 }, async (_, p) => {
      const file = join(e2e.dir, `jobs-${p}.jsonl`);
      await writeFile(
        file,
        Array.from({ length: 25 }, (_, i) => JSON.stringify({ prompt: `p${p} j${i}` })).join("\n"),
      );
      return runCli(
        [
          "batch",
          file,
          "--provider",
          "apimart",
          "--concurrency",
          "8",
          "--interval",
          "100ms",
          "--out-dir",
          `out-${p}`,
        ],
        {
          cwd: e2e.dir,
          env,
        },
      );
    });
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code).toBe(0);
    const lines = await journalLines();
    const created = lines.filter(
      (l) => typeof l === "object" && l !== null && "type" in l && l.type === "created",
    );
    expect(created).toHaveLength(200);
    expect(new Set(created.map((l) => JSON.stringify(l))).size).toBe(200);
    expect((await runCli(["jobs", "--limit", "0", "--json"], { cwd: e2e.dir, env })).stdout).toContain(
      '"succeeded"',
    );
  }, 60_000);
});

describe("batch", () => {
  function fiftyLines(): string {
    const providers = [
      { provider: "apimart" },
      { provider: "xcompute", duration: 10 },
      { provider: "jimmyai", image: "https://example.com/cup.jpg" },
      { provider: "duoyuanx", ratio: "21:9" },
      { provider: "duoyuanx", model: "grok-video-1.5-max", duration: 15 },
    ];
    return Array.from({ length: 50 }, (_, i) => {
      const fail = i % 10 === 7 ? " [fail]" : "";
      return JSON.stringify({ prompt: `scene ${i}${fail}`, ...providers[i % providers.length] });
    }).join("\n");
  }

  it("50 mixed lines: right summary, manifest and exit code; a re-run submits nothing new", async () => {
    const env = homeEnv({
      ...e2e.envFor("apimart"),
      ...e2e.envFor("xcompute"),
      ...e2e.envFor("jimmyai"),
      ...e2e.envFor("duoyuanx"),
    });
    await writeFile(join(e2e.dir, "jobs.jsonl"), fiftyLines());
    const args = [
      "batch",
      "jobs.jsonl",
      "--manifest",
      "m.json",
      "--out-dir",
      "videos",
      "--interval",
      "100ms",
      "--concurrency",
      "8",
    ];
    const first = await runCli(args, { cwd: e2e.dir, env });
    expect(first.code).toBe(7);
    expect(first.stderr).toContain("batch: 45 succeeded, 5 failed, 0 timed out, 0 skipped (done earlier)");
    const manifest = JSON.parse(await readFile(join(e2e.dir, "m.json"), "utf8")) as Array<{
      line: number;
      status: string;
      path: string | null;
      id: string;
    }>;
    expect(manifest.map((m) => m.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(manifest.filter((m) => m.status === "failed").map((m) => m.line)).toEqual([8, 18, 28, 38, 48]);
    for (const m of manifest.filter((m) => m.status === "succeeded")) {
      expect((await readFile(join(e2e.dir, m.path ?? ""))).equals(generateTaskVideo(m.id))).toBe(true);
    }
    const videos = await readdir(join(e2e.dir, "videos"));
    expect(videos.filter((f) => f.endsWith(".mp4"))).toHaveLength(45);
    expect(videos.filter((f) => f.endsWith(".json"))).toHaveLength(45);
    const sidecar = JSON.parse(
      await readFile(join(e2e.dir, manifest[0]?.path?.replace(/\.mp4$/, ".json") ?? ""), "utf8"),
    );
    expect(sidecar).toMatchObject({
      prompt: "scene 0",
      provider: "apimart",
      id: manifest[0]?.id,
      sha256: expect.any(String),
    });

    e2e.sandbox.requests.length = 0;
    const again = await runCli(args, { cwd: e2e.dir, env });
    expect(again.code).toBe(7);
    expect(again.stderr).toContain("batch: 0 succeeded, 5 failed, 0 timed out, 45 skipped (done earlier)");
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST")).toEqual([]);
  }, 60_000);

  it("a file with one invalid line sends nothing and names the line", async () => {
    const env = homeEnv(e2e.envFor("apimart"));
    await writeFile(
      join(e2e.dir, "jobs.csv"),
      "prompt,provider,duration\nfirst,apimart,6\nsecond,apimart,5\nthird,apimart,30\n",
    );
    const r = await runCli(["batch", "jobs.csv"], { cwd: e2e.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("line 3: duration 5 is not accepted by apimart; accepted: 6-30");
    expect(r.stderr).toContain("1 invalid line in jobs.csv; nothing was sent");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  async function batch(args: string[], lines: unknown[]) {
    await writeFile(join(e2e.dir, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
    const env = homeEnv(e2e.envFor("apimart"));
    const r = await runCli(
      [
        "batch",
        "b.jsonl",
        "--provider",
        "apimart",
        "--interval",
        "100ms",
        "--out-dir",
        "o",
        "--manifest",
        "m.json",
        ...args,
      ],
      {
        cwd: e2e.dir,
        env,
      },
    );
    const manifest = JSON.parse(await readFile(join(e2e.dir, "m.json"), "utf8").catch(() => "[]")) as Array<{
      line: number;
      status: string;
    }>;
    return { r, manifest, posts: () => e2e.sandbox.requests.filter((q) => q.method === "POST").length };
  }

  it("a create that may have reached the gateway is not sent again by a re-run, unless asked", async () => {
    e2e.sandbox.setFaults([{ kind: "server-error", target: "create", status: 502 }]);
    const first = await batch([], [{ prompt: "one" }, { prompt: "two" }]);
    e2e.sandbox.setFaults([]);
    expect(first.r.code).toBe(6);
    expect(first.r.stdout).toContain("a job may exist");
    e2e.sandbox.requests.length = 0;
    const again = await batch([], [{ prompt: "one" }, { prompt: "two" }]);
    expect(again.r.code).toBe(6);
    expect(again.posts()).toBe(0);
    expect(again.manifest.map((m) => m.status).sort()).toEqual(["skipped", "uncertain"]);
    expect(again.r.stderr).toContain("1 uncertain (not sent again)");
    const forced = await batch(["--resubmit-uncertain"], [{ prompt: "one" }, { prompt: "two" }]);
    expect(forced.r.code).toBe(0);
    expect(forced.posts()).toBe(1);
  });

  it("--retry-failed submits the failed lines again, and only those", async () => {
    const lines = [{ prompt: "ok" }, { prompt: "bad [fail]" }];
    expect((await batch([], lines)).r.code).toBe(7);
    e2e.sandbox.requests.length = 0;
    const again = await batch(["--retry-failed"], lines);
    expect(again.posts()).toBe(1);
    expect(again.manifest.map((m) => m.status)).toEqual(["skipped", "failed"]);
  });

  it("--fail-fast stops submitting after the first failure", async () => {
    const lines = [{ prompt: "bad [fail]" }, { prompt: "b" }, { prompt: "c" }];
    const r = await batch(["--fail-fast", "--concurrency", "1"], lines);
    expect(r.r.code).toBe(7);
    expect(r.posts()).toBe(1);
    expect(r.manifest.map((m) => m.status)).toEqual(["failed", "not-run", "not-run"]);
  });

  it("--skip-invalid runs the valid lines and reports the invalid ones; exit 0 once they ran", async () => {
    const r = await batch(["--skip-invalid"], [{ prompt: "ok" }, { prompt: "x", duration: 5 }]);
    // Exit 2 would say nothing was sent; the invalid line is in the manifest and on stderr.
    expect(r.r.code).toBe(0);
    expect(r.posts()).toBe(1);
    expect(r.manifest.map((m) => m.status)).toEqual(["succeeded", "invalid"]);
  });

  it("two lines that would write the same file are refused before anything is sent", async () => {
    const r = await batch(
      [],
      [
        { prompt: "a", output: "same.mp4" },
        { prompt: "b", output: "same.mp4" },
      ],
    );
    expect(r.r.code).toBe(2);
    expect(r.r.stderr).toMatch(/line 2: writes the same file as line 1/);
    expect(r.posts()).toBe(0);
  });
});
