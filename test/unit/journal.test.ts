import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { worstExitCode } from "../../src/core/jobs/outcome.js";
import { Claims } from "../../src/files/claims.js";
import { hashRequest, type Journal as AnyJournal } from "../../src/core/journal/journal.js";
import { FileJournal as Journal } from "../../src/core/journal/file-journal.js";
import { PgJournal } from "../../src/core/journal/pg/pg-journal.js";
import { resolveSharedJournal } from "../../src/config/journal-setting.js";
import { sharedJournalRun } from "../helpers/journal-text.js";
import { created } from "../helpers/journal-events.js";
import { slugify, unknownTemplateFields } from "../../src/core/download/output-path.js";
import { Limiter, runPool } from "../../src/util/pool.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-journal-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The journal the run tests: the file in `home`, or (the `postgres` project) the test's database. */
const opened: AnyJournal[] = [];
function journalAt(home: string, onWarning?: (w: string) => void): AnyJournal {
  const url = process.env.GROKVID_TEST_JOURNAL_URL;
  const shared = url ? resolveSharedJournal({ GROKVID_JOURNAL_URL: url }, {}) : undefined;
  const journal = shared ? new PgJournal(shared, home, onWarning) : new Journal(home, onWarning);
  opened.push(journal);
  return journal;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((j) => j.close()));
});

describe("Journal", () => {
  it("folds create, status and download events into one record per job", async () => {
    const journal = journalAt(dir);
    await journal.append(created("t1"));
    await journal.append({
      type: "status",
      at: "2026-01-01T00:01:00.000Z",
      id: "t1",
      provider: "apimart",
      status: "running",
      progress: 40,
      videoUrl: null,
      error: null,
    });
    await journal.append({
      type: "status",
      at: "2026-01-01T00:02:00.000Z",
      id: "t1",
      provider: "apimart",
      status: "succeeded",
      progress: 100,
      videoUrl: "https://x/v.mp4",
      error: null,
    });
    await journal.append({
      type: "downloaded",
      at: "2026-01-01T00:03:00.000Z",
      id: "t1",
      provider: "apimart",
      path: "v.mp4",
      bytes: 9,
      sha256: "ab",
      sourceUrl: "https://x/v.mp4",
    });
    expect(await journal.readJobs()).toEqual([
      expect.objectContaining({
        id: "t1",
        status: "succeeded",
        progress: 100,
        videoUrl: "https://x/v.mp4",
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:02:00.000Z",
        download: { path: "v.mp4", bytes: 9, sha256: "ab", at: "2026-01-01T00:03:00.000Z" },
      }),
    ]);
    expect(await journal.findJob("t1", "xcompute")).toBeUndefined();
    expect(await journal.findJob("t1")).toMatchObject({ provider: "apimart" });
  });

  // The file's own bytes: a shared journal's records are rows (test/integration/pg-journal.test.ts).
  it.skipIf(sharedJournalRun())(
    "folds its own lines as a fresh reader parses them, and reads a line changed on disk as it is there",
    async () => {
      const journal = new Journal(dir);
      await journal.append(created("t1"));
      await journal.append(created("t2"));
      const text = await readFile(journal.path, "utf8");
      await writeFile(journal.path, text.replace("prompt t2", "prompt t9"));
      const mine = await journal.readJobs();
      expect(mine).toEqual(await new Journal(dir).readJobs());
      expect(mine.map((j) => j.params.prompt)).toEqual(["prompt t1", "prompt t9"]);
    },
  );

  it.skipIf(sharedJournalRun())(
    "skips a torn last line with one warning, and the next record starts on a fresh line",
    async () => {
      const warnings: string[] = [];
      const journal = new Journal(dir, (w) => warnings.push(w));
      await journal.append(created("t1"));
      await appendFile(journal.path, '{"type":"created","id":"t2","prov');
      await journal.append(created("t3"));
      expect((await journal.readJobs()).map((j) => j.id)).toEqual(["t1", "t3"]);
      expect(warnings).toEqual([`skipped 1 damaged line in ${journal.path}`]);
      expect((await readFile(journal.path, "utf8")).split("\n")).toHaveLength(4);
    },
  );

  it("many appends at once lose nothing", async () => {
    const journal = journalAt(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => journal.append(created(`t${i}`))));
    expect(await journal.readJobs()).toHaveLength(200);
  });

  it("a missing journal is an empty one", async () => {
    expect(await journalAt(join(dir, "nowhere")).readJobs()).toEqual([]);
  });

  it("request hashes tell identical lines apart only by their occurrence", () => {
    const params = { prompt: "p", duration: 6, images: [] };
    expect(hashRequest("apimart", "m", params)).toBe(hashRequest("apimart", "m", { ...params }));
    expect(hashRequest("apimart", "m", params, 1)).not.toBe(hashRequest("apimart", "m", params, 0));
    expect(hashRequest("xcompute", "m", params)).not.toBe(hashRequest("apimart", "m", params));
  });
});

describe("batch helpers", () => {
  it("worstExitCode ranks interrupts, then bugs, then systemic failures, then per-job ones", () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 0])).toBe(0);
    expect(worstExitCode([7, 8, 6])).toBe(6);
    expect(worstExitCode([7, 2])).toBe(7);
    expect(worstExitCode([7, 4, 5])).toBe(4);
    expect(worstExitCode([3, 130])).toBe(130);
  });

  it("slugify keeps words of any script and stays short", () => {
    expect(slugify("A Red Fox: running through *snow*!")).toBe("a-red-fox-running-through-snow");
    expect(slugify("一只狗在海滩上奔跑")).toBe("一只狗在海滩上奔跑");
    expect(slugify("x".repeat(100)).length).toBe(40);
    expect(slugify("!!!")).toBe("video");
  });

  it("templates may use only known placeholders", () => {
    expect(unknownTemplateFields("{index}-{slug}-{id}.mp4")).toEqual([]);
    expect(unknownTemplateFields("{name}.mp4")).toEqual(["name"]);
  });

  it("runPool never runs more than the limit and stops starting work when asked", async () => {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    await runPool(
      [1, 2, 3, 4, 5, 6],
      2,
      async (n) => {
        started.push(n);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setImmediate(r));
        active--;
      },
      () => started.length >= 4,
    );
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4]);
  });

  it("a Limiter shrunk while in use lets fewer through", async () => {
    const limiter = new Limiter(2);
    await limiter.acquire();
    await limiter.acquire();
    limiter.resize(1);
    let third = false;
    const waiting = limiter.acquire().then(() => {
      third = true;
    });
    limiter.release();
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    limiter.release();
    await waiting;
    expect(third).toBe(true);
  });
});

describe("Journal.refresh and Claims", () => {
  it("concurrent refreshes in one process fold every line exactly once", async () => {
    const journal = journalAt(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => journal.append(created(`t${i}`))));
    const reader = journalAt(dir);
    await Promise.all(Array.from({ length: 8 }, () => reader.refresh()));
    await journal.append(created("late"));
    await Promise.all(Array.from({ length: 8 }, () => reader.refresh()));
    expect((await reader.readJobs()).map((j) => j.id).sort()).toEqual(
      [...Array.from({ length: 20 }, (_, i) => `t${i}`), "late"].sort(),
    );
  });

  // File claims; the database's leases are in test/integration/pg-journal.test.ts.
  it.skipIf(sharedJournalRun())(
    "a claim is exclusive while its owner lives and taken over once it is dead",
    async () => {
      const claims = new Claims(dir);
      const key = "ab".repeat(32);
      const first = await claims.take(key);
      expect("claim" in first).toBe(true);
      // A live owner (our parent stands in for another grokvid) keeps it.
      await writeFile(join(dir, "claims", key), String(process.ppid));
      expect(await claims.take(key)).toEqual({ heldBy: { pid: process.ppid } });
      // A dead owner's claim (a pid that cannot exist) is taken over, and so is a live pid that
      // started at another time than the owner did (the pid was reused).
      await writeFile(join(dir, "claims", key), `${process.ppid} 1`);
      const reused = await claims.take(key);
      expect("claim" in reused).toBe(true);
      if ("claim" in reused) await reused.claim.release();
      await writeFile(join(dir, "claims", key), "2147483646");
      const again = await claims.take(key);
      expect("claim" in again).toBe(true);
      if ("claim" in again) await again.claim.release();
      expect(await readdir(join(dir, "claims"))).toEqual([]);
    },
  );
});
