import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalEvent } from "../../src/core/journal/journal.js";
import { FileJournal as Journal } from "../../src/core/journal/file-journal.js";
import { JournalWriter } from "../../src/core/journal/writer.js";
import { ConfigError } from "../../src/util/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-writer-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const abandoned = (n: number): JournalEvent => ({
  type: "abandoned",
  at: "2026-01-01T00:00:00.000Z",
  provider: "apimart",
  requestHash: `h${n}`,
});

describe("the journal's append handle", () => {
  it("keeps one handle: appends in a row and at once all land whole, in order per caller", async () => {
    const journal = new Journal(join(dir, "home"));
    for (let i = 0; i < 5; i++) await journal.append(abandoned(i));
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append(abandoned(100 + i))));
    const lines = (await readFile(journal.path, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(55);
    expect(lines.slice(0, 5).map((l) => (JSON.parse(l) as { requestHash: string }).requestHash)).toEqual([
      "h0",
      "h1",
      "h2",
      "h3",
      "h4",
    ]);
    await journal.close();
  });

  it("a line appended by a caller the moment its previous line is answered is written too", async () => {
    const writer = new JournalWriter(join(dir, "direct.jsonl"));
    let second: Promise<void> | undefined;
    // No hop between the answer and the next append: it lands while the drain is finishing.
    await writer.append("one\n").then(() => {
      second = writer.append("two\n");
    });
    const stuck = new Promise((resolve) => setTimeout(() => resolve("stuck"), 2000));
    expect(await Promise.race([second, stuck])).toBeUndefined();
    expect(await readFile(join(dir, "direct.jsonl"), "utf8")).toBe("one\ntwo\n");
    await writer.close();
  });

  it("a journal removed underneath is made again, not written into a file nobody can read", async () => {
    const journal = new Journal(dir);
    await journal.append(abandoned(1));
    await rm(journal.path);
    await journal.append(abandoned(2));
    expect((await readFile(journal.path, "utf8")).trim().split("\n")).toEqual([JSON.stringify(abandoned(2))]);
    await journal.close();
  });

  it.skipIf(process.platform !== "linux")(
    "every caller of a failed write learns of it (exit 3), and the next write tries again",
    async () => {
      const journal = new Journal(dir);
      // A link at the journal's name (here to /dev/full, which once stood in for a full disk) is
      // refused before anything is written: the journal is only ever a regular file.
      await symlink("/dev/full", journal.path);
      const results = await Promise.allSettled([journal.append(abandoned(1)), journal.append(abandoned(2))]);
      for (const r of results) {
        expect(r.status).toBe("rejected");
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConfigError);
        expect(((r as PromiseRejectedResult).reason as ConfigError).message).toBe(
          `the journal ${journal.path} is a symbolic link, not a regular file; move it away`,
        );
      }
      await rm(journal.path);
      await journal.append(abandoned(3));
      expect(await readFile(journal.path, "utf8")).toBe(`${JSON.stringify(abandoned(3))}\n`);
      await journal.close();
    },
  );
});
