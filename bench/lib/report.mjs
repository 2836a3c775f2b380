/* eslint-disable no-console -- a benchmark prints its report */
import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { median, spread } from "./measure.mjs";

/**
 * One table row from paired runs: the ratio of the medians of A and B against `target.max`, with
 * A's peak RSS (the highest of its counted runs) and median CPU time. `extraOk` adds a condition
 * (memory targets); `note` explains anything the columns cannot.
 */
export function pairedRow(name, target, { as, bs }, { extraOk = true, note = "" } = {}) {
  const a = as.map((r) => r.ms);
  const b = bs.map((r) => r.ms);
  const ratio = median(a) / median(b);
  const pairRatios = a.map((x, i) => x / b[i]);
  return {
    name,
    a: spread(a),
    b: spread(b),
    ratio: `${ratio.toFixed(2)}x`,
    rss: `${Math.max(...as.map((r) => r.rssMiB)).toFixed(0)} MiB`,
    cpu: spread(
      as.map((r) => r.cpuMs),
      0,
    ),
    target: target.text,
    ok: ratio <= target.max && extraOk,
    note: [
      `per-pair A/B median ${median(pairRatios).toFixed(2)}x`,
      `CPU of B ${spread(
        bs.map((r) => r.cpuMs),
        0,
      )} ms`,
      note,
    ]
      .filter(Boolean)
      .join("; "),
  };
}

export function failedRow(name, target, error) {
  return { name, a: "-", b: "-", ratio: "-", rss: "-", cpu: "-", target: target.text, ok: false, error };
}

export function logRow(row) {
  const verdict = row.error ? "ERROR" : row.ok ? "ok" : "MISS";
  const detail = row.error ?? `${row.ratio} (A ${row.a}, B ${row.b}), peak RSS ${row.rss}; ${row.note}`;
  console.error(`${verdict.padEnd(5)} ${row.name}: ${detail}`);
}

function curlVersion() {
  try {
    return execFileSync("curl", ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    return "curl: not found";
  }
}

/** The 1, 5 and 15 minute load averages: other work on the machine is the first suspect of noise. */
export const readLoad = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

export function printReport(rows, { started, loadAtStart, settings }) {
  const cpu = cpus();
  console.log(`# grokvid benchmark, ${new Date(started).toISOString()}`);
  console.log(
    `machine: ${cpu[0]?.model ?? "?"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `Linux ${release()}; Node ${process.version}; ${curlVersion()}`,
  );
  console.log(
    `temp folder: ${tmpdir()}; load average at the start: ${loadAtStart}, at the end: ${readLoad()}`,
  );
  console.log(`runs: ${settings}; one warm-up pair first, not counted; pairs alternate AB, BA, ...`);
  console.log("times in ms: median (min-max); A/B = median(A) / median(B)\n");
  console.log(
    "| measure | grokvid (A) | reference (B) | A/B | peak RSS of A | CPU of A, ms | target | result |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const result = r.error ? `ERROR: ${r.error}` : r.ok ? "ok" : "**MISS**";
    console.log(
      `| ${r.name} | ${r.a} | ${r.b} | ${r.ratio} | ${r.rss} | ${r.cpu} | ${r.target} | ${result} |`,
    );
  }
  const notes = rows.filter((r) => r.note);
  if (notes.length > 0) console.log("");
  for (const r of notes) console.log(`- ${r.name}: ${r.note}`);
  const missed = rows.filter((r) => !r.ok).length;
  console.log(
    `\n${rows.length - missed} of ${rows.length} targets met; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
