import { join } from "node:path";
import { expect, it } from "vitest";
import { createClient, ExitCode, InterruptedError, UsageError } from "grokvid";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { readFile } from "node:fs/promises";
import { ManualClock } from "../helpers/clock.js";
import { useE2e } from "../helpers/e2e.js";
import { testJournalEnv } from "../helpers/run-cli.js";

/** The path-owner rule lives in the library: a script gets the CLI's refusal as a typed error. */
const e2e = useE2e();

function client(signal?: AbortSignal) {
  return createClient({
    env: {
      ...testJournalEnv(),
      ...e2e.envFor("apimart"),
      GROKVID_HOME: join(e2e.dir, "home"),
      HOME: e2e.dir,
    },
    cwd: e2e.dir,
    provider: "apimart",
    // Polls sleep on a clock that moves at once: the sandbox's own clock steps on every request.
    clock: { ...new ManualClock(), random: Math.random },
    ...(signal ? { signal } : {}),
  });
}

const creates = () => e2e.sandbox.requests.filter((r) => r.method === "POST");

it("create with an output owned by an unsaved paid job is a UsageError naming it, nothing sent", async () => {
  // The first script stops right after its job was paid for: journaled with its output, unsaved.
  const stop = new AbortController();
  const first = client(stop.signal);
  let id = "";
  const interrupted = await first
    .create(
      { prompt: "rerun test" },
      {
        output: "again.mp4",
        onSubmitted: (task) => {
          id = task.id;
          stop.abort();
        },
      },
    )
    .catch((err: unknown) => err);
  await first.close();
  expect(interrupted).toBeInstanceOf(InterruptedError);

  const second = client();
  try {
    const refused = await second
      .create({ prompt: "rerun test" }, { output: "again.mp4" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    if (!(refused instanceof UsageError)) return;
    expect(refused.exitCode).toBe(ExitCode.usage);
    expect(refused.message).toContain(`task ${id}`);
    expect(refused.hint).toContain(`grokvid download ${id}`);
    expect(creates()).toHaveLength(1);

    // The owner itself may save there, and then the path follows the "already exists" rule.
    const saved = await second.download(id);
    expect(saved.saved?.path).toBe(join(e2e.dir, "again.mp4"));
    expect((await readFile(join(e2e.dir, "again.mp4"))).equals(generateTaskVideo(id))).toBe(true);
    // --force takes the path on purpose.
    const forced = await second.create({ prompt: "rerun test" }, { output: "again.mp4", force: true });
    expect(forced.task.id).not.toBe(id);
    expect(creates()).toHaveLength(2);
  } finally {
    await second.close();
  }
});
