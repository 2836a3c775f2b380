// A big journal made of records grokvid itself wrote: real jobs run against the sandbox give one
// record sequence per kind of job (succeeded and downloaded; failed), and other jobs are copies of
// those sequences under new ids, request hashes, prompts and digests. Whatever the journal's schema
// becomes, the copies stay valid, because only values change, never shapes.
import { createHash } from "node:crypto";
import { readFile, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const digest = (text) => createHash("sha256").update(text).digest();
const withoutAt = (record) => {
  const copy = { ...record };
  delete copy.at;
  return copy;
};

/** A sandbox-shaped apimart id (`task_` and 25 base36 characters), different for every `n`. */
function fakeId(n) {
  const bytes = digest(`bench job ${n}`);
  let body = "";
  for (let i = 0; i < 25; i++) body += BASE36[bytes[i] % 36];
  return `task_${body}`;
}

export async function readJournalLines(home) {
  const text = await readFile(join(home, "journal.jsonl"), "utf8");
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** The records of one job: those naming its id or its request hash, in the order written. */
export function recordsOf(lines, id) {
  const records = lines.map((line) => JSON.parse(line));
  const hash = records.find((r) => r.type === "created" && r.id === id)?.requestHash;
  if (hash === undefined) throw new Error(`the journal has no created record for ${id}`);
  return records.filter((r) => r.id === id || r.requestHash === hash);
}

/** Turns one job's records into a function that writes the n-th copy of them. */
export function templateOf(records) {
  const created = records.find((r) => r.type === "created");
  const downloaded = records.find((r) => r.type === "downloaded");
  const swaps = [
    [created.id, null],
    [created.requestHash, null],
    [JSON.stringify(created.params.prompt).slice(1, -1), null],
  ];
  if (downloaded?.sha256) swaps.push([downloaded.sha256, null]);
  const texts = records.map((r) => JSON.stringify(withoutAt(r)));
  return (n) => {
    const id = fakeId(n);
    const values = [id, digest(`hash ${n}`).toString("hex"), `bench job ${n}: a fox in the snow`];
    if (downloaded?.sha256) values.push(digest(`video ${n}`).toString("hex"));
    return texts.map((text) => {
      let out = text;
      swaps.forEach(([from], i) => (out = out.replaceAll(from, values[i])));
      return JSON.parse(out);
    });
  };
}

/**
 * `total` records: one job of `kinds[0]` first, then `probe` (the measured job, among the oldest),
 * then jobs cycling through `kinds` (nine of ten succeed), cut at exactly `total`. Timestamps run
 * evenly over the last 30 days, so the file reads as a month of use.
 */
export function buildJournal(total, probe, kinds) {
  const records = [];
  let n = 0;
  const add = (job) => records.push(...job);
  add(kinds[0](n++));
  const probeLine = records.length + 1;
  add(probe);
  while (records.length < total) add(kinds[n % 10 === 9 ? 1 : 0](n++));
  records.length = total;
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const step = (30 * 24 * 3600 * 1000 - 60_000) / total;
  const lines = records.map((r, i) =>
    JSON.stringify({ type: r.type, at: new Date(start + i * step).toISOString(), ...withoutAt(r) }),
  );
  return {
    text: `${lines.join("\n")}\n`,
    jobs: records.filter((r) => r.type === "created").length,
    probeLine,
  };
}

/**
 * A journal file put back as it was before each measured run: a `status` appends a record, and
 * the next run must again find the job among the oldest, not next to its newest line.
 */
export async function pristineJournal(home, text) {
  const path = join(home, "journal.jsonl");
  const bytes = Buffer.from(text);
  await writeFile(path, bytes, { mode: 0o600 });
  return async () => {
    const { size } = await stat(path).catch(() => ({ size: -1 }));
    if (size === bytes.length) return;
    if (size > bytes.length) await truncate(path, bytes.length);
    else await writeFile(path, bytes, { mode: 0o600 });
  };
}
