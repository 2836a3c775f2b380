// The sandbox as a process of its own for the benchmark, so the gateway's work never counts as the
// client's: `node bench/sandbox-server.mjs DELAY_MS [VIDEO_BYTES]` prints one JSON line {url} and
// serves until its stdin closes, which also happens when the benchmark dies in any way. A line
// "count" on stdin is answered with one JSON line {creates}: every POST it received so far.
import { startSandbox } from "../dist/sandbox/server.js";

const delayMs = Number(process.argv[2] ?? 200);
const videoBytes = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
// The same split as `grokvid sandbox --delay`: a third queued, the rest running.
const queuedMs = Math.round(delayMs / 3);
const sandbox = await startSandbox({
  timeline: { queuedMs, runningMs: delayMs - queuedMs },
  ...(videoBytes === undefined ? {} : { videoBytes }),
});
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);

const stop = () => {
  void sandbox.close().finally(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.setEncoding("utf8");
process.stdin.on("data", (text) => {
  if (!text.split("\n").includes("count")) return;
  const creates = sandbox.requests.filter((r) => r.method === "POST").length;
  // The log is only for counting: what is counted is let go, so 10,000 jobs stay small.
  process.stdout.write(`${JSON.stringify({ creates })}\n`);
});
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
