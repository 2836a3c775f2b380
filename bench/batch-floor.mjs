// The batch row's reference: the least any client can do for the same jobs with the product's own
// HTTP library. It holds the same conversation as `grokvid batch` (create, poll every INTERVAL_MS
// until completed, download the video) and keeps only the durability grokvid promises: the task id
// on disk (fdatasync) before anything else, the video fsynced before it takes its name (no
// clobber), and the download recorded (fdatasync). No validation, no locks, no claims, no
// progress lines, no sidecar, no retries: a floor, not a product.
// `node bench/batch-floor.mjs APIMART_URL KEY JOBS CONCURRENCY INTERVAL_MS OUT_DIR`
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { request } from "undici";

const [base, key, jobsText, concurrencyText, intervalText, out] = process.argv.slice(2);
const jobs = Number(jobsText);
const concurrency = Number(concurrencyText);
const intervalMs = Number(intervalText);
const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

mkdirSync(out, { recursive: true });
const journal = openSync(join(out, "journal.jsonl"), "a");
function record(event, durable) {
  writeSync(journal, `${JSON.stringify({ ...event, at: new Date().toISOString() })}\n`);
  if (durable) fdatasyncSync(journal);
}

async function json(url, options) {
  const res = await request(url, options);
  const body = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from ${url}: ${JSON.stringify(body)}`);
  return body;
}

async function job(i) {
  const created = await json(`${base}/v1/videos/generations`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      model: "grok-imagine-1.5-video-apimart",
      prompt: `bench job ${i}: a fox in the snow`,
    }),
  });
  const id = created.data[0].task_id;
  record({ type: "created", id }, true);
  let url;
  while (url === undefined) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const task = (await json(`${base}/v1/tasks/${id}`, { headers })).data;
    record({ type: "status", id, status: task.status }, false);
    if (task.status === "failed") throw new Error(`task ${id} failed`);
    if (task.status === "completed") url = task.result.videos[0].url[0];
  }
  const res = await request(url);
  const video = Buffer.from(await res.body.arrayBuffer());
  const path = join(out, `${id}.mp4`);
  const fd = openSync(`${path}.part`, "wx");
  writeSync(fd, video);
  fsyncSync(fd);
  closeSync(fd);
  linkSync(`${path}.part`, path);
  unlinkSync(`${path}.part`);
  record({ type: "downloaded", id, bytes: video.length }, true);
}

let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < jobs) await job(next++);
  }),
);
closeSync(journal);
