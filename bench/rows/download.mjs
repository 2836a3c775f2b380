// Row 4: `grokvid download` of a 1 GiB video from a sandbox in its own process, next to curl writing
// the same URL and syncing the file (grokvid fsyncs before its rename, so both end durable), and
// grokvid's peak RSS at 64 MiB, 1 GiB and 2 GiB, which must not grow with the file.
import { createReadStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { check, paired, run, spread } from "../lib/measure.mjs";
import { pairedRow } from "../lib/report.mjs";
import { cleanEnv, createTask, folder, grokvid, KEY, startSandbox, waitDone } from "../lib/world.mjs";

const MiB = 1024 * 1024;
const RSS_LIMIT_MiB = 160;
/** "Flat": the 2 GiB download may peak at most this much above the 64 MiB one. */
const FLAT_TOLERANCE_MiB = 16;

async function sameBytes(a, b) {
  const read = async function* (path) {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) yield chunk;
  };
  const left = read(a);
  let pending = Buffer.alloc(0);
  for await (const chunk of read(b)) {
    let offset = 0;
    while (offset < chunk.length) {
      if (pending.length === 0) {
        const next = await left.next();
        if (next.done) return false;
        pending = next.value;
      }
      const n = Math.min(pending.length, chunk.length - offset);
      if (!pending.subarray(0, n).equals(chunk.subarray(offset, offset + n))) return false;
      pending = pending.subarray(n);
      offset += n;
    }
  }
  return pending.length === 0 && (await left.next()).done === true;
}

async function measureSize(label, bytes, runs, verify) {
  const sandbox = await startSandbox(0, bytes);
  try {
    const id = await createTask(sandbox, `bench download ${label}`);
    await waitDone(sandbox, id);
    const home = await folder("download", label, "home");
    const env = cleanEnv(home, { GROKVID_APIMART_API_KEY: KEY, GROKVID_APIMART_BASE_URL: sandbox.apimart });
    const out = join(home, "..", "out");
    const file = join(out, "video.mp4");
    const url = `${sandbox.url}/files/${id}.mp4`;
    const fresh = async () => {
      await rm(out, { recursive: true, force: true });
      await mkdir(out);
    };
    const sized = async (result, what) => {
      check(result, what);
      const { size } = await stat(file);
      if (size !== bytes) throw new Error(`${what} wrote ${size} bytes, expected ${bytes}`);
      return result;
    };
    const viaGrokvid = async () =>
      sized(
        await grokvid(["download", id, "--provider", "apimart", "-o", file], { env, cwd: home }),
        "download",
      );
    const curlArgs = (to) => ["sh", "-c", 'curl -s -o "$1" "$2" && sync "$1"', "sh", to, url];
    const viaCurl = async () => sized(await run(curlArgs(file), { env, cwd: home }), "curl");
    if (verify) {
      // Once, untimed: grokvid's file must be exactly the bytes curl receives.
      await fresh();
      await viaGrokvid();
      check(await run(curlArgs(join(out, "curl.mp4")), { env, cwd: home }), "curl");
      if (!(await sameBytes(file, join(out, "curl.mp4"))))
        throw new Error(`${label}: grokvid's file differs from curl's`);
    }
    const measured = await paired(runs, viaGrokvid, viaCurl, fresh);
    await rm(out, { recursive: true, force: true });
    return measured;
  } finally {
    await sandbox.stop();
  }
}

export async function downloadRow(runs, sideRuns) {
  const sizes = [
    ["64 MiB", 64 * MiB, sideRuns, true],
    ["1 GiB", 1024 * MiB, runs, true],
    ["2 GiB", 2048 * MiB, sideRuns, false],
  ];
  const peaks = {};
  const spreads = {};
  const ratios = {};
  let main;
  for (const [label, bytes, n, verify] of sizes) {
    const measured = await measureSize(label, bytes, n, verify);
    peaks[label] = Math.max(...measured.as.map((r) => r.rssMiB));
    spreads[label] = spread(
      measured.as.map((r) => r.rssMiB),
      0,
    );
    ratios[label] = pairedRow(label, { max: Infinity, text: "" }, measured).ratio;
    if (bytes === 1024 * MiB) main = measured;
  }
  const growth = peaks["2 GiB"] - peaks["64 MiB"];
  const rssOk = peaks["1 GiB"] <= RSS_LIMIT_MiB && growth <= FLAT_TOLERANCE_MiB;
  const bySize = sizes.map(([label]) => `${label}: ${spreads[label]} MiB, ${ratios[label]}`).join("; ");
  return pairedRow(
    "1 GiB `download ID -o F` / `curl -s -o F URL && sync F`",
    { max: 1.25, text: `<= 1.25x; <= ${RSS_LIMIT_MiB} MiB, flat (+${FLAT_TOLERANCE_MiB} MiB at most)` },
    main,
    {
      extraOk: rssOk,
      note: `peak RSS of each run (median (min-max)) and A/B by size: ${bySize}; highest 2 GiB vs highest 64 MiB: ${growth >= 0 ? "+" : ""}${growth.toFixed(0)} MiB${rssOk ? "" : " (memory target missed)"}`,
    },
  );
}
