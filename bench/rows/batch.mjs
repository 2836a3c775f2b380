// Row 5: a 1000-job batch against a sandbox in its own process (200 ms jobs), and what it costs the
// client: grokvid's user+system CPU time divided by the number of jobs. Each run starts from an
// empty journal and output folder, so every job is submitted, polled and downloaded. B is
// bench/batch-floor.mjs, the same conversation with undici and only the durability grokvid promises,
// run alternately with A; the target is a ratio to it: what grokvid may add to the floor.
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { check, median, run, spread } from "../lib/measure.mjs";
import { cleanEnv, folder, grokvid, KEY, root, startSandbox } from "../lib/world.mjs";

/** grokvid's CPU per job may be at most this many times the floor's. */
const TARGET_RATIO = 2.0;

export async function batchRow(runs, jobs) {
  const sandbox = await startSandbox(200);
  try {
    const file = join(await folder("batch"), "jobs.jsonl");
    const lines = Array.from({ length: jobs }, (_, i) =>
      JSON.stringify({ prompt: `bench job ${i}: a fox in the snow`, provider: "apimart" }),
    );
    await writeFile(file, `${lines.join("\n")}\n`);
    const results = [];
    const floors = [];
    const floorRun = async (i) => {
      const dir = await folder("batch", `floor-${i}`);
      const argv = [process.execPath, join(root, "bench", "batch-floor.mjs"), sandbox.apimart, KEY];
      argv.push(String(jobs), "50", "100", join(dir, "out"));
      const result = check(await run(argv, { env: { PATH: process.env.PATH }, cwd: root }), "batch floor");
      floors.push({ ...result, perJob: result.cpuMs / jobs });
      await rm(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < runs; i++) {
      // Alternating, like the paired rows: the floor first on odd runs.
      if (i % 2 === 1) await floorRun(i);
      const dir = await folder("batch", `run-${i}`);
      const out = join(dir, "out");
      const env = cleanEnv(join(dir, "home"), {
        GROKVID_APIMART_API_KEY: KEY,
        GROKVID_APIMART_BASE_URL: sandbox.apimart,
      });
      const args = ["batch", file, "--concurrency", "50", "--interval", "100ms", "--out-dir", out];
      const sandboxBefore = sandbox.cpuMs();
      const result = check(await grokvid(args, { env, cwd: dir }), "grokvid batch");
      const sandboxMs = sandbox.cpuMs() - sandboxBefore;
      const videos = (await readdir(out)).filter((name) => name.endsWith(".mp4")).length;
      if (videos !== jobs) throw new Error(`batch run ${i + 1} saved ${videos} of ${jobs} videos`);
      results.push({ ...result, perJob: result.cpuMs / jobs, sandboxPerJob: sandboxMs / jobs });
      await rm(dir, { recursive: true, force: true });
      if (i % 2 === 0) await floorRun(i);
    }
    const perJob = results.map((r) => r.perJob);
    const mid = median(perJob);
    const floorPerJob = floors.map((r) => r.perJob);
    const ratio = mid / median(floorPerJob);
    return {
      name: `${jobs}-job batch (200 ms jobs, --concurrency 50, --interval 100ms): client CPU per job`,
      a: `${spread(perJob, 2)} ms/job`,
      b: `${spread(floorPerJob, 2)} ms/job`,
      ratio: `${ratio.toFixed(2)}x (${mid.toFixed(2)} ms/job)`,
      rss: `${Math.max(...results.map((r) => r.rssMiB)).toFixed(0)} MiB`,
      cpu: spread(
        results.map((r) => r.cpuMs),
        0,
      ),
      target: `<= ${TARGET_RATIO.toFixed(1)}x`,
      ok: ratio <= TARGET_RATIO,
      note:
        `${runs} runs, no warm-up; wall ${spread(
          results.map((r) => r.ms / 1000),
          1,
        )} s; ` +
        `the sandbox process's own CPU: ${spread(
          results.map((r) => r.sandboxPerJob),
          2,
        )} ms/job`,
    };
  } finally {
    await sandbox.stop();
  }
}
