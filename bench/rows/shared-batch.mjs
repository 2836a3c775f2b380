// The shared journal's row (issue 25): one batch file run by 4 worker processes at once, each with
// its own GROKVID_HOME, GROKVID_HOST and out-dir, all on one PostgreSQL database (A); beside it, in
// the same run, the same 4 workers sharing one GROKVID_HOME's file journal (B). Checked: exactly one
// create per line at the gateway and every video saved once across the out-dirs. Measured: the
// workers' client CPU per job (all four together), side by side; the database's own CPU is not
// the client's and is not counted.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { cpuMsOf, median, run, spread } from "../lib/measure.mjs";
import { cleanEnv, BIN, folder, KEY, root, startSandbox } from "../lib/world.mjs";

const WORKERS = 4;
const exec = promisify(execFile);

/** A throw-away cluster (scripts/pg-cluster.sh), or BENCH_PG_URL's server. */
async function database() {
  if (process.env.BENCH_PG_URL) return { url: process.env.BENCH_PG_URL, stop: async () => {} };
  await exec("bash", [join(root, "scripts", "ensure-postgres.sh")]);
  const parent = await mkdtemp(join(tmpdir(), "grokvid-bench-pg-"));
  // The server runs as another user when this is root: it must pass through the folder.
  await chmod(parent, 0o711);
  const dir = join(parent, "cluster");
  const { stdout } = await exec("bash", [join(root, "scripts", "pg-cluster.sh"), "start", dir]);
  return {
    url: stdout.trim(),
    stop: async () => {
      await exec("bash", [join(root, "scripts", "pg-cluster.sh"), "stop", dir, "--remove"]);
      await rm(parent, { recursive: true, force: true });
    },
  };
}

async function freshDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The task ids of every video saved under the out-dirs (from each sidecar). */
async function savedIds(dirs) {
  const ids = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir).catch(() => [])).filter((n) => n.endsWith(".json"))) {
      ids.push(JSON.parse(await readFile(join(dir, name), "utf8")).id);
    }
  }
  return ids;
}

/** 4 workers at once; resolves with the client CPU of all four (reaped children's time) and wall. */
async function workers(file, dir, sandbox, envOf) {
  const before = cpuMsOf();
  const started = process.hrtime.bigint();
  const out = (k) => join(dir, `out-${k}`);
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, k) =>
      run(
        [
          process.execPath,
          BIN,
          "batch",
          file,
          "--concurrency",
          "25",
          "--interval",
          "100ms",
          "--out-dir",
          out(k),
        ],
        {
          env: envOf(k),
          cwd: dir,
        },
      ),
    ),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuMs = cpuMsOf() - before;
  for (const [k, r] of results.entries())
    if (r.code !== 0)
      throw new Error(
        `worker ${k + 1} exited ${r.code}: ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`,
      );
  return {
    cpuMs,
    wallMs,
    rssMiB: Math.max(...results.map((r) => r.rssMiB)),
    dirs: results.map((_, k) => out(k)),
  };
}

export async function sharedBatchRow(runs, jobs) {
  const db = await database();
  const sandbox = await startSandbox(200);
  try {
    const file = join(await folder("shared"), "jobs.jsonl");
    const lines = Array.from({ length: jobs }, (_, i) =>
      JSON.stringify({ prompt: `bench job ${i}: a fox in the snow`, provider: "apimart" }),
    );
    await writeFile(file, `${lines.join("\n")}\n`);
    const gateway = { GROKVID_APIMART_API_KEY: KEY, GROKVID_APIMART_BASE_URL: sandbox.apimart };
    const shared = [];
    const local = [];
    const verify = async (what, result) => {
      const creates = (await sandbox.creates()) - verify.counted;
      verify.counted += creates;
      if (creates !== jobs) throw new Error(`${what}: ${creates} creates for ${jobs} lines`);
      const ids = await savedIds(result.dirs);
      if (ids.length !== jobs || new Set(ids).size !== jobs)
        throw new Error(`${what}: ${ids.length} videos (${new Set(ids).size} distinct) for ${jobs} lines`);
    };
    verify.counted = 0;
    for (let i = 0; i < runs; i++) {
      const dir = await folder("shared", `pg-${i}`);
      const url = await freshDatabase(db.url, `bench_${i}`);
      const result = await workers(file, dir, sandbox, (k) =>
        cleanEnv(join(dir, `home-${k}`), {
          ...gateway,
          GROKVID_JOURNAL_URL: url,
          GROKVID_HOST: `worker-${k + 1}`,
        }),
      );
      await verify("PostgreSQL journal", result);
      shared.push({ ...result, perJob: result.cpuMs / jobs });
      await rm(dir, { recursive: true, force: true });
      const fileDir = await folder("shared", `file-${i}`);
      const same = join(fileDir, "home");
      const fileResult = await workers(file, fileDir, sandbox, () => cleanEnv(same, gateway));
      await verify("file journal", fileResult);
      local.push({ ...fileResult, perJob: fileResult.cpuMs / jobs });
      await rm(fileDir, { recursive: true, force: true });
    }
    const a = shared.map((r) => r.perJob);
    const b = local.map((r) => r.perJob);
    return {
      name: `${jobs}-line batch over ${WORKERS} workers on one PostgreSQL journal (vs one file journal): client CPU per job`,
      a: `${spread(a, 2)} ms/job`,
      b: `${spread(b, 2)} ms/job`,
      ratio: `${(median(a) / median(b)).toFixed(2)}x`,
      rss: `${Math.max(...shared.map((r) => r.rssMiB)).toFixed(0)} MiB`,
      cpu: spread(
        shared.map((r) => r.cpuMs),
        0,
      ),
      target: `${jobs} creates, ${jobs} videos`,
      ok: true,
      note:
        `${runs} run(s) each; every run checked: exactly ${jobs} creates at the gateway and ${jobs} distinct videos ` +
        `across the ${WORKERS} out-dirs; wall ${spread(
          shared.map((r) => r.wallMs / 1000),
          1,
        )} s (PostgreSQL) vs ${spread(
          local.map((r) => r.wallMs / 1000),
          1,
        )} s (file)`,
    };
  } finally {
    await sandbox.stop();
    await db.stop();
  }
}
