// The README's library example, kept here so `npm run typecheck` proves it compiles. Never run.
/* eslint-disable no-console -- it is a user's script: printing is what it does */
import { createClient, GrokvidError } from "grokvid";

const client = createClient({
  provider: "apimart", // or per call; keys and base URLs from env/config as for the CLI
  signal: AbortSignal.timeout(30 * 60_000),
  reporter: { warn: (m) => console.error("warning:", m) },
});

// Check (and see) the exact request, key masked: nothing is sent.
console.log(await client.preview({ prompt: "a red fox in snow", duration: 6 }));

// Pay for one job and follow it to the file in one call.
const { task, saved } = await client.create(
  { prompt: "a red fox in snow", duration: 6, ratio: "16:9" },
  {
    output: "videos/",
    onSubmitted: (t) => console.log("submitted", t.id), // the id, before any waiting
    onUpdate: (t, ms) => console.log(t.status, t.progress, ms),
  },
);
console.log(task.status, saved?.path, saved?.sha256);

// Or step by step: status, wait (a failed task is a result, not an exception), download.
const id = (await client.create({ prompt: "a lighthouse at dusk" })).task.id;
const final = await client.wait(id, { interval: "5s", timeout: "20m" });
if (final.status === "succeeded") await client.download(id, { to: process.stdout }); // or { output: "x.mp4" }

// Many jobs: specs in (array, iterable or async iterable), events out, ending with "done".
for await (const event of client.batch([{ prompt: "one" }, { prompt: "two", output: "two.mp4" }], {
  outDir: "videos",
  concurrency: 4,
})) {
  if (event.type === "settled") console.log(event.line, event.entry.status, event.entry.path);
  if (event.type === "done") process.exitCode = event.result.exitCode;
}

// The journal: list, find, and pick up what a crash left behind.
const { jobs } = await client.jobs({ limit: 10, status: "running" });
console.log(jobs.map((j) => `${j.id} ${j.provider} ${j.status}`));
await client.resume({ download: true, onEvent: (e) => e.type === "ended" && console.log(e.outcome) });

// xAI: edit or extend a journaled job (or a video URL); what each job cost, where the gateway says.
const cat = await client.create({ prompt: "a cat", provider: "xai" }, { wait: true });
const night = await client.edit(cat.task.id, { prompt: "make it night" }, { output: "night.mp4" });
console.log(
  night.task.cost?.usd,
  (await client.extend(cat.task.id, { prompt: "it jumps", duration: 6 })).task.id,
);
console.log(
  await client.balance({ provider: "apimart" }),
  (await client.providers()).map((p) => p.id),
);

// Failures carry the CLI's exit code.
await client.status("no-such-id").catch((err) => {
  if (err instanceof GrokvidError) console.error(err.message, err.exitCode);
});

// The client keeps the journal's append handle open between calls; let go of it when done
// (a long-running service that makes a client per request would otherwise run out of descriptors).
await client.close();
