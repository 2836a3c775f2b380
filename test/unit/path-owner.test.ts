import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalEvent, OutputPlan } from "../../src/core/journal/journal.js";
import { FileJournal as Journal } from "../../src/core/journal/file-journal.js";
import {
  assertPathFree,
  findPathOwner,
  lookupInJobs,
  lookupInJournal,
  pathTakenError,
} from "../../src/core/jobs/path-owner.js";
import { UsageError } from "../../src/util/errors.js";
import type { TaskStatus } from "../../src/util/task-status.js";
import { makeTempDir } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

const base = { provider: "apimart" } as const;
type Created = Extract<JournalEvent, { type: "created" }>;
const created = (id: string, minute = 0): Created => ({
  ...base,
  type: "created",
  at: `2026-12-01T10:${String(minute).padStart(2, "0")}:00.000Z`,
  id,
  baseUrl: "http://127.0.0.1:1/apimart",
  model: "m",
  params: { prompt: "p", images: [] },
  requestHash: `hash-${id}`,
});
/** A create record that planned its video at `output`, `minute` past ten. */
const plan = (id: string, output: OutputPlan, minute = 0): JournalEvent => ({
  ...created(id, minute),
  output,
});
const status = (id: string, s: TaskStatus): JournalEvent => ({
  ...base,
  type: "status",
  at: "2026-12-01T11:00:00.000Z",
  id,
  status: s,
  progress: null,
  videoUrl: null,
  error: null,
});
const downloading = (id: string, path: string): JournalEvent => ({
  ...base,
  type: "downloading",
  at: "2026-12-01T11:00:00.000Z",
  id,
  path,
});
const downloaded = (id: string, path: string): JournalEvent => ({
  ...base,
  type: "downloaded",
  at: "2026-12-01T11:00:00.000Z",
  id,
  path,
  bytes: 1,
  sha256: "00",
  sourceUrl: "http://127.0.0.1:1/v.mp4",
});

async function journalOf(events: JournalEvent[]): Promise<Journal> {
  const journal = new Journal(join(temp.dir, "home"));
  for (const event of events) await journal.append(event);
  return journal;
}

describe("which journaled job claims a path", () => {
  it("the scan of the journal's bytes agrees with the whole fold, for every kind of plan", async () => {
    const d = temp.dir;
    const p = (name: string) => join(d, name);
    const journal = await journalOf([
      plan("A", { path: p("a.mp4") }),
      plan("B", { dir: d, template: "{index}-{slug}.mp4", index: "1", slug: "fox", sidecar: true }),
      plan("C", { dir: d, template: "{provider}-{id}.mp4" }),
      plan("E", { path: p("e.mp4") }),
      status("E", "failed"),
      plan("F", { path: p("f.mp4") }),
      downloading("F", p("f.mp4")),
      downloaded("F", p("f.mp4")),
      plan("G", { path: p("g.mp4") }),
      status("G", "succeeded"),
      downloading("G", p("other.mp4")),
      plan("H", { path: p("a.mp4") }, 5),
      plan("weird id!", { dir: join(d, "sub"), template: "{id}.mp4" }),
    ]);
    const expected: Record<string, string | undefined> = {
      "a.mp4": "H",
      "1-fox.mp4": "B",
      "apimart-C.mp4": "C",
      "e.mp4": undefined,
      "f.mp4": undefined,
      "g.mp4": undefined,
      "other.mp4": "G",
      "sub/weird id!.mp4": "weird id!",
      "nothing.mp4": undefined,
    };
    const folded = lookupInJobs(await journal.readJobs());
    const scanned = lookupInJournal(journal);
    for (const [name, id] of Object.entries(expected)) {
      expect((await scanned.claiming(p(name)))?.id, name).toBe(id);
      expect((await folded.claiming(p(name)))?.id, name).toBe(id);
    }
    await journal.close();
  });

  it("a journal that does not exist yet claims nothing", async () => {
    const journal = new Journal(join(temp.dir, "none"));
    expect(await lookupInJournal(journal).claiming(join(temp.dir, "a.mp4"))).toBeUndefined();
  });
});

describe("a .part names its owner before the journal does", () => {
  async function partOf(name: string, taskId: string): Promise<string> {
    const path = join(temp.dir, name);
    await writeFile(`${path}.part`, "....ftyp");
    await writeFile(`${path}.part.json`, JSON.stringify({ taskId, etag: null }));
    return path;
  }

  it("the part's task wins over a job merely planned there; the part's own task may go on", async () => {
    const path = await partOf("a.mp4", "B");
    const journal = await journalOf([
      plan("A", { path }, 9),
      plan("B", { path }),
      status("B", "succeeded"),
      downloading("B", path),
    ]);
    const lookup = lookupInJournal(journal);
    expect(await findPathOwner(path, lookup)).toMatchObject({ id: "B", partial: true });
    await expect(
      assertPathFree(path, lookup, { force: false, cwd: temp.dir, self: "B" }),
    ).resolves.toBeUndefined();
    await expect(assertPathFree(path, lookup, { force: true, cwd: temp.dir })).resolves.toBeUndefined();
    const refused = await assertPathFree(path, lookup, { force: false, cwd: temp.dir, self: "A" }).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toBe(
      "a.mp4 belongs to task B on apimart, paid and not yet saved (its download stopped part-way)",
    );
    expect((refused as UsageError).hint).toBe(
      "finish it with: grokvid download B, or pass --force to take the path anyway",
    );
    await journal.close();
  });

  it("a part whose task was saved elsewhere, or is unknown, is named as such", async () => {
    const path = await partOf("a.mp4", "S");
    const saved = lookupInJobs(
      await (
        await journalOf([
          plan("S", { path }),
          downloading("S", path),
          downloading("S", join(temp.dir, "b.mp4")),
          downloaded("S", join(temp.dir, "b.mp4")),
        ])
      ).readJobs(),
    );
    const left = await findPathOwner(path, saved);
    expect(left && pathTakenError(path, left, temp.dir).message).toBe(
      "a.mp4.part is left from task S (saved since to b.mp4)",
    );
    const unknown = await findPathOwner(path, lookupInJobs([]));
    const error = unknown && pathTakenError(path, unknown, temp.dir);
    expect(error?.message).toBe(
      "a.mp4.part holds part of the video of task S, which this journal does not know",
    );
    expect(error?.hint).toContain("grokvid download S --provider PROVIDER -o a.mp4");
  });
});
