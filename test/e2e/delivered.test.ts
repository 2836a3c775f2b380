import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readVideoHeader } from "../../src/core/media/mp4-header.js";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText, sharedJournalRun } from "../helpers/journal-text.js";
import { runCli } from "../helpers/run-cli.js";

/** After every download the file's own header is read, recorded, and compared with the request. */
const e2e = useE2e();

const asked = ["--ratio", "9:16", "--resolution", "720p", "--duration", "10", "--interval", "100ms"];

function create(extra: string[]) {
  return runCli(["create", "--provider", "apimart", "--prompt", "a heron", ...asked, ...extra], {
    cwd: e2e.dir,
    env: e2e.envFor("apimart"),
  });
}

async function journalEvents(): Promise<Array<Record<string, unknown>>> {
  const found = sharedJournalRun()
    ? "(the shared journal)"
    : (await readdir(e2e.dir, { recursive: true })).find((p) => String(p).endsWith("journal.jsonl"));
  if (!found) throw new Error("no journal");
  const text = await readJournalText(join(e2e.dir, String(found)));
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function readManifest(name: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(await readFile(join(e2e.dir, name), "utf8")) as Array<Record<string, unknown>>;
}

describe("what each video really is", () => {
  it("records the delivered size and length in the journal and --json; what was asked earns no warning", async () => {
    const r = await create(["-o", "heron.mp4", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc.delivered).toEqual({ width: 720, height: 1280, durationSec: 10 });
    expect(doc.warnings).toBeUndefined();
    expect(r.stderr).not.toContain("warning");
    const header = await readVideoHeader(join(e2e.dir, "heron.mp4"));
    expect(header).toEqual({ ok: true, header: { width: 720, height: 1280, durationSec: 10 } });
    const downloaded = (await journalEvents()).find((e) => e.type === "downloaded");
    expect(downloaded?.delivered).toEqual({ width: 720, height: 1280, durationSec: 10 });
  });

  it("a gateway that delivers 480p landscape for 720p 9:16 earns one warning line; the file is kept", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create" }]);
    const r = await create(["-o", "heron.mp4"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("heron.mp4\n");
    const warnings = r.stderr.split("\n").filter((line) => line.startsWith("warning:"));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^warning: task task_\w+: the gateway delivered 854x480 landscape where 9:16 was asked; 480p where 720p was asked$/,
      ),
    ]);
    expect(r.stderr).toContain("saved heron.mp4 (");
    expect(r.stderr).toContain("854x480, 10.0 s)");
  });

  it("--strict makes that exit 7, after the result is printed and the file saved", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create" }]);
    const r = await create(["-o", "heron.mp4", "--strict", "--json"]);
    expect(r.code).toBe(7);
    const doc = JSON.parse(r.stdout) as { path: string; delivered: unknown; warnings: string[] };
    expect(doc.path).toBe("heron.mp4");
    expect(doc.delivered).toEqual({ width: 854, height: 480, durationSec: 10 });
    expect(doc.warnings).toHaveLength(1);
    expect(r.stderr).toMatch(
      /error: task task_\w+: the video is not what was asked \(--strict\); it is kept at heron\.mp4/,
    );
    expect((await readVideoHeader(join(e2e.dir, "heron.mp4"))).ok).toBe(true);
  });

  it("-o - reads the header of the video as it streams: the same warning, and --strict exits 7", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create" }]);
    const streamed = await create(["-o", "-", "--strict"]);
    expect(streamed.code).toBe(7);
    expect(streamed.stdout.length).toBeGreaterThan(1000);
    expect(streamed.stderr).toMatch(
      /warning: task task_\w+: the gateway delivered 854x480 landscape where 9:16/,
    );
    expect(streamed.stderr).toMatch(
      /wrote the video of task task_\w+ to stdout \(\d+ bytes, 854x480, 10\.0 s\)/,
    );
    expect(streamed.stderr).toMatch(/error: task task_\w+: the video is not what was asked \(--strict\)/);
    const id = /task (task_\w+)/.exec(streamed.stderr)?.[1] ?? "";
    const again = await runCli(["download", id, "--provider", "apimart", "-o", "-", "--strict"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    expect(again.code).toBe(7);
    expect(again.stderr).toContain("where 9:16 was asked");
    const asAsked = await create(["-o", "-", "--strict"]);
    expect(asAsked.code, asAsked.stderr).toBe(0);
    expect(asAsked.stderr).toContain("720x1280, 10.0 s)");
    expect(asAsked.stderr).not.toContain("warning");
  });

  it("download --strict checks a journaled job's video against its request", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create" }]);
    const created = await create([]);
    const id = created.stdout.trim();
    const env = e2e.envFor("apimart");
    const plain = await runCli(
      ["download", id, "--provider", "apimart", "-o", "a.mp4", "--interval", "100ms"],
      {
        cwd: e2e.dir,
        env,
      },
    );
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain("where 9:16 was asked");
    const strict = await runCli(["download", id, "--provider", "apimart", "-o", "b.mp4", "--strict"], {
      cwd: e2e.dir,
      env,
    });
    expect(strict.code).toBe(7);
  });

  it("resume --download checks what it saves: a warning, and with --strict exit 7 and the reason", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create", times: 2 }]);
    const env = e2e.envFor("apimart");
    const resume = (...flags: string[]) =>
      runCli(["resume", "--download", "--interval", "100ms", ...flags], { cwd: e2e.dir, env });
    expect((await create([])).code).toBe(0);
    const plain = await resume();
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(
      /warning: task task_\w+: the gateway delivered 854x480 landscape where 9:16/,
    );

    const id = (await create([])).stdout.trim();
    const strict = await resume("--strict", "--json");
    expect(strict.code, strict.stderr).toBe(7);
    const [outcome] = JSON.parse(strict.stdout) as Array<Record<string, unknown>>;
    expect(outcome).toMatchObject({
      id,
      status: "succeeded",
      code: 7,
      delivered: { width: 854, height: 480, durationSec: 10 },
      warnings: [expect.stringContaining("where 9:16 was asked")],
      error: expect.stringMatching(/where 720p was asked \(--strict\)$/),
    });
    expect((await readVideoHeader(join(e2e.dir, String(outcome?.path)))).ok).toBe(true);
    expect(strict.stderr).toContain("0 of 1 job succeeded; 1 not as asked (--strict)");
  });

  it("a batch writes delivered and warnings into sidecars and the manifest; --strict fails the line with 7", async () => {
    e2e.sandbox.setFaults([{ kind: "downscaled", target: "create" }]);
    const lines = [
      { prompt: "downscaled", ratio: "9:16", resolution: "720p", output: "a.mp4" },
      { prompt: "as asked", ratio: "16:9", resolution: "480p", output: "b.mp4" },
    ];
    await writeFile(join(e2e.dir, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
    const batch = (...extra: string[]) =>
      runCli(
        ["batch", "b.jsonl", "--provider", "apimart", "--concurrency", "1", "--interval", "100ms", ...extra],
        { cwd: e2e.dir, env: e2e.envFor("apimart") },
      );
    const r = await batch("--manifest", "m.json", "--strict");
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(
      /warning: line 1: task \w+: the gateway delivered 854x480 landscape where 9:16 was asked/,
    );
    // The summary names what --strict refused, not only what failed on the gateway's side.
    expect(r.stderr).toContain("batch: 2 succeeded, 1 not as asked (--strict), 0 failed");
    const manifest = await readManifest("m.json");
    expect(manifest.map((e) => [e.status, e.code])).toEqual([
      ["succeeded", 7],
      ["succeeded", 0],
    ]);
    expect(manifest[0]?.error).toContain("(--strict)");
    expect(manifest[1]?.delivered).toEqual({ width: 854, height: 480, durationSec: 6 });
    const sidecar = JSON.parse(await readFile(join(e2e.dir, "a.json"), "utf8")) as Record<string, unknown>;
    expect(sidecar.delivered).toEqual({ width: 854, height: 480, durationSec: 6 });
    expect(sidecar.warnings).toEqual([expect.stringContaining("480p where 720p was asked")]);

    // Run again, nothing is paid twice, and what the journal recorded is checked again.
    const again = await batch("--manifest", "m2.json", "--strict");
    expect(again.code, again.stderr).toBe(7);
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(2);
    expect(again.stderr).toContain("batch: 0 succeeded, 1 not as asked (--strict), 0 failed");
    const rerun = await readManifest("m2.json");
    expect(rerun.map((e) => [e.status, e.code])).toEqual([
      ["skipped", 7],
      ["skipped", 0],
    ]);
    expect(rerun[0]?.error).toMatch(/where 9:16 was asked; 480p where 720p was asked \(--strict\)$/);
    expect(rerun[0]?.delivered).toEqual({ width: 854, height: 480, durationSec: 6 });
    expect((await batch()).code).toBe(0);
  });
});
