// Measuring helpers for bench/run.mjs: spawn a command, and take its wall time, the peak of its
// resident memory (VmHWM, sampled from /proc while it runs) and its CPU time (the delta of this
// process's cutime+cstime in /proc/self/stat, which counts children once they are reaped).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

function childCpuMs() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of the file (cutime, cstime) are 13 and 14 after the command name.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

function peakRssKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs argv[0] with argv[1..] and resolves {ms, rssMiB, cpuMs, code, stdout, stderr}. */
export function run(argv, { env, cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childCpuMs();
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let rss = 0;
    const sampler = setInterval(() => (rss = Math.max(rss, peakRssKiB(child.pid))), 10);
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.stdin.end(input ?? "");
    child.on("exit", () => (rss = Math.max(rss, peakRssKiB(child.pid))));
    child.on("close", (code) => {
      clearInterval(sampler);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({
        ms,
        rssMiB: rss / 1024,
        cpuMs: childCpuMs() - cpuBefore,
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** A and B alternately, `runs` times each (one warm-up pair first, not counted). */
export async function paired(runs, a, b, between = async () => {}) {
  const as = [];
  const bs = [];
  await between();
  await a();
  await between();
  await b();
  for (let i = 0; i < runs; i++) {
    await between();
    as.push(await a());
    await between();
    bs.push(await b());
  }
  return { as, bs };
}

export function check(result, what) {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result;
}
