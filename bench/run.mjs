/* eslint-disable no-console -- a benchmark report is printed */
// `npm run bench`: each row of issue 8's table, measured side by side in one run (A and B
// alternately, medians, min-max), with grokvid's peak RSS. Only the project's code, Node and curl.
// Knobs: BENCH_RUNS (start-up rows, default 21), BENCH_ONLY=version,dry-run,status,download,batch,journal
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, median, paired, run } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(root, "bin", "grokvid.cjs");
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const only = process.env.BENCH_ONLY?.split(",");
const work = await mkdtemp(join(tmpdir(), "grokvid-bench-"));
const sandboxes = [];
const rows = [];

/** A grokvid sandbox in its own process; resolves its apimart base URL. */
async function startSandbox(args) {
  const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  sandboxes.push(child);
  let text = "";
  for await (const chunk of child.stdout) {
    text += chunk;
    const match = /GROKVID_APIMART_BASE_URL=(\S+)/.exec(text);
    if (match) return match[1];
  }
  throw new Error("the sandbox did not start");
}

function envFor(base, home) {
  return {
    PATH: process.env.PATH,
    HOME: work,
    GROKVID_HOME: home,
    GROKVID_APIMART_API_KEY: "sk-bench",
    GROKVID_APIMART_BASE_URL: base,
  };
}

const grokvid = (args, opts) => run([process.execPath, BIN, ...args], opts);

function addRow(name, target, { as, bs }, { absolute, rss, note } = {}) {
  const a = as.map((r) => (absolute ? r.cpuMs / absolute : r.ms));
  const b = bs.map((r) => r.ms);
  const ratio = absolute ? median(a) : median(a) / median(b);
  const row = {
    name,
    a: `${median(a).toFixed(absolute ? 2 : 1)} (${Math.min(...a).toFixed(1)}-${Math.max(...a).toFixed(1)})`,
    b: absolute ? "-" : `${median(b).toFixed(1)} (${Math.min(...b).toFixed(1)}-${Math.max(...b).toFixed(1)})`,
    ratio: absolute ? `${ratio.toFixed(2)} ms/job` : `${ratio.toFixed(2)}x`,
    rss: `${Math.max(...as.map((r) => r.rssMiB)).toFixed(0)} MiB`,
    target: target.text,
    ok: ratio <= target.max && (rss === undefined || rss()),
    note: note ?? "",
  };
  rows.push(row);
  console.error(
    `${row.ok ? "ok  " : "MISS"} ${name}: ${row.ratio} (A ${row.a}, B ${row.b}) rss ${row.rss} ${row.note}`,
  );
}

const want = (name) => !only || only.includes(name);

try {
  const base = await startSandbox(["--delay", "200ms"]);
  const home = join(work, "home");
  const env = envFor(base, home);
  const empty = join(work, "empty");
  await mkdir(empty);
  const nodeE0 = () => run([process.execPath, "-e", "0"], { env, cwd: empty });

  if (want("version"))
    addRow(
      "`grokvid --version` / `node -e 0`",
      { max: 1.25, text: "<= 1.25x" },
      await paired(RUNS, () => grokvid(["--version"], { env, cwd: empty }), nodeE0),
    );

  if (want("dry-run")) {
    const args = ["create", "--provider", "apimart", "--prompt", "x", "--dry-run"];
    const dry = async () => check(await grokvid(args, { env, cwd: empty }), "dry-run");
    addRow(
      "`create --dry-run` / `node -e 0`",
      { max: 1.5, text: "<= 1.5x" },
      await paired(RUNS, dry, nodeE0),
    );
  }

  // One finished task to ask about.
  const created = check(
    await grokvid(["create", "--provider", "apimart", "--prompt", "bench", "--wait"], { env, cwd: empty }),
    "create",
  );
  const id = created.stdout.trim().split("\t")[0];
  const queryUrl = `${base}/v1/tasks/${id}`;
  const fetchOnce = join(root, "bench", "fetch-once.mjs");

  if (want("status"))
    addRow(
      "`status ID` / one bare `fetch`",
      { max: 1.2, text: "<= 1.2x" },
      await paired(
        RUNS,
        async () =>
          check(await grokvid(["status", id, "--provider", "apimart"], { env, cwd: empty }), "status"),
        async () => check(await run([process.execPath, fetchOnce, queryUrl], { env, cwd: empty }), "fetch"),
      ),
    );

  if (want("journal")) await journalRow(env, id, empty);
  if (want("download")) await downloadRow(empty);
  if (want("batch")) await batchRow();
} finally {
  for (const s of sandboxes) s.kill();
  await rm(work, { recursive: true, force: true });
}

async function journalRow(env, id, cwd) {
  const lines = (await readFile(join(env.GROKVID_HOME, "journal.jsonl"), "utf8")).trim().split("\n");
  const mine = lines.filter((l) => l.includes(id));
  const created = JSON.parse(mine.find((l) => l.includes('"type":"created"')));
  const status = JSON.parse(mine.findLast((l) => l.includes('"type":"status"')));
  // 100,000 records: this job's first, then 33,333 other jobs of three records each.
  const big = [...mine];
  for (let i = 0; big.length < 100_000; i++) {
    const other = `task_bench_${String(i).padStart(8, "0")}`;
    const hash = `h${i}`;
    big.push(
      JSON.stringify({
        type: "submitting",
        at: created.at,
        provider: "apimart",
        requestHash: hash,
        model: created.model,
        prompt: `p ${i}`,
      }),
    );
    big.push(JSON.stringify({ ...created, id: other, requestHash: hash }));
    big.push(JSON.stringify({ ...status, id: other }));
  }
  const bigHome = join(work, "home-big");
  const smallHome = join(work, "home-small");
  await mkdir(bigHome);
  await mkdir(smallHome);
  await writeFile(join(bigHome, "journal.jsonl"), `${big.slice(0, 100_000).join("\n")}\n`);
  await writeFile(join(smallHome, "journal.jsonl"), `${mine.join("\n")}\n`);
  const probe = (home) => async () =>
    check(await grokvid(["status", id], { env: { ...env, GROKVID_HOME: home }, cwd }), "status");
  addRow(
    "`status ID` from the journal: 100,000 records / 1 job",
    { max: 1.1, text: "<= 1.1x" },
    await paired(Math.max(5, Math.floor(RUNS / 2)), probe(bigHome), probe(smallHome)),
  );
}

async function downloadRow(cwd) {
  const sizes = { "64MiB": 1, "1GiB": Number(process.env.BENCH_DOWNLOAD_RUNS ?? 5), "2GiB": 1 };
  const peaks = {};
  let main;
  for (const [size, runs] of Object.entries(sizes)) {
    const base = await startSandbox(["--delay", "0", "--video-size", size]);
    const env = envFor(base, join(work, `home-${size}`));
    const made = check(
      await grokvid(["create", "--provider", "apimart", "--prompt", "big", "--wait"], { env, cwd }),
      "create",
    );
    const bigId = made.stdout.trim().split("\t")[0];
    const url = `${base.replace(/\/apimart$/, "")}/files/${bigId}.mp4`;
    const file = join(work, "video.mp4");
    const clean = () =>
      Promise.all([file, `${file}.part`, `${file}.part.json`].map((f) => rm(f, { force: true })));
    const measured = await paired(
      runs,
      async () =>
        check(
          await grokvid(["download", bigId, "--provider", "apimart", "-o", file], { env, cwd }),
          "download",
        ),
      async () =>
        check(
          await run(["sh", "-c", 'curl -s -o "$1" "$2" && sync "$1"', "sh", file, url], { env, cwd }),
          "curl",
        ),
      clean,
    );
    peaks[size] = Math.max(...measured.as.map((r) => r.rssMiB));
    if (size === "1GiB") main = measured;
    await clean();
  }
  const flat = peaks["2GiB"] - peaks["64MiB"];
  addRow(
    "1 GiB download / `curl -s -o F URL && sync F`",
    { max: 1.25, text: "<= 1.25x; <= 100 MiB, flat" },
    main,
    {
      rss: () => peaks["1GiB"] <= 100 && flat <= 16,
      note: `peak RSS 64MiB/1GiB/2GiB: ${["64MiB", "1GiB", "2GiB"].map((s) => peaks[s].toFixed(0)).join("/")} MiB`,
    },
  );
}

async function batchRow() {
  const base = await startSandbox(["--delay", "200ms"]);
  const file = join(work, "batch.jsonl");
  const lines = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({ prompt: `bench job ${i}`, provider: "apimart" }),
  );
  await writeFile(file, `${lines.join("\n")}\n`);
  const runs = [];
  for (let i = 0; i < Number(process.env.BENCH_BATCH_RUNS ?? 3); i++) {
    const dir = join(work, `batch-${i}`);
    await mkdir(dir);
    const env = envFor(base, join(dir, "home"));
    const args = [
      "batch",
      file,
      "--concurrency",
      "50",
      "--interval",
      "100ms",
      "--out-dir",
      join(dir, "out"),
      "--quiet",
    ];
    runs.push(check(await grokvid(args, { env, cwd: dir }), "batch"));
    await rm(dir, { recursive: true, force: true });
  }
  addRow(
    "1000-job batch: client CPU per job",
    { max: 2.5, text: "<= 2.5 ms" },
    { as: runs, bs: [] },
    {
      absolute: 1000,
      note: `wall ${median(runs.map((r) => r.ms / 1000)).toFixed(1)} s`,
    },
  );
}

const curl = await run(["curl", "--version"]).catch(() => ({ stdout: "curl: not found" }));
console.log(
  `machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; ${curl.stdout.split("\n")[0]}; ${new Date().toISOString()}`,
);
console.log(
  `runs: ${RUNS} pairs for start-up rows (one warm-up pair not counted); times in ms, median (min-max)\n`,
);
console.log("| measure | grokvid (A) | reference (B) | A/B | peak RSS of A | target | |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.a} | ${r.b} | ${r.ratio} | ${r.rss}${r.note ? `; ${r.note}` : ""} | ${r.target} | ${r.ok ? "ok" : "MISS"} |`,
  );
