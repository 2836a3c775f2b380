// Runs one command and measures it from the outside, so grokvid and its reference are timed alike:
// wall time from spawn to exit, peak RSS (VmHWM sampled from /proc while it runs) and CPU time
// (the delta of this process's cutime+cstime, which the kernel adds once a child is reaped).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const RSS_SAMPLE_MS = Number(process.env.BENCH_RSS_SAMPLE_MS ?? 5);

function readTicksPerSecond() {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}
const TICKS_PER_SECOND = readTicksPerSecond();

/** utime+stime (and the reaped children's, when `children`) of a process, in ms; undefined once it is gone. */
export function cpuMsOf(pid = "self", children = true) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name may hold spaces; everything after its closing parenthesis is space-separated,
  // starting with field 3 (state), so field N is at index N - 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = children ? Number(fields[13]) + Number(fields[14]) : Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function peakRssKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    // Gone, or a zombie whose memory is already released.
    return 0;
  }
}

/**
 * Runs argv and resolves { ms, rssMiB, cpuMs, code, signal, stdout, stderr }. Output is collected
 * (a child writing to a pipe nobody reads would stall); `input` goes to its stdin.
 */
export function run(argv, { env, cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const cpuBefore = cpuMsOf();
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let ms;
    let rss = 0;
    const sample = () => (rss = Math.max(rss, peakRssKiB(child.pid)));
    const sampler = setInterval(sample, RSS_SAMPLE_MS);
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
    child.on("error", (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on("exit", () => {
      ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(sampler);
    });
    child.on("close", (code, signal) =>
      resolve({
        ms,
        rssMiB: rss / 1024,
        cpuMs: cpuMsOf() - cpuBefore,
        code,
        signal,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
}

/** Throws unless the run ended with exit code 0 (and, when given, printed what `expect` matches). */
export function check(result, what, expect) {
  if (result.code !== 0) {
    const why = result.signal ? `signal ${result.signal}` : `exit ${result.code}`;
    throw new Error(`${what} failed (${why}): ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  if (expect && !expect.test(result.stdout)) {
    throw new Error(`${what} printed ${JSON.stringify(result.stdout.slice(0, 200))}, expected ${expect}`);
  }
  return result;
}

/**
 * A and B alternately, `runs` pairs, after one warm-up pair that is not counted. The order flips
 * every pair (AB BA AB ...) so neither side always runs right after the other's disk or cache work.
 * `before(side)` runs untimed before every run (clean-up, restoring a file).
 */
export async function paired(runs, a, b, before = async () => {}) {
  const as = [];
  const bs = [];
  const once = async (side) => {
    await before(side);
    return side === "A" ? a() : b();
  };
  await once("A");
  await once("B");
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ["A", "B"] : ["B", "A"];
    for (const side of order) (side === "A" ? as : bs).push(await once(side));
  }
  return { as, bs };
}

export const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** "median (min-max)" with `digits` decimals. */
export function spread(xs, digits = 1) {
  if (xs.length === 0) return "-";
  const f = (x) => x.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
}
