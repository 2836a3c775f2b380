import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkJournal } from "../../src/core/setup/doctor-checks.js";

/**
 * `doctor` counts the journal lines every other command skips as damaged: a torn line, and also
 * valid JSON that is not a journal event (issue 20, finding 12f), which it used to call fine.
 */
let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "grokvid-doctor-"));
});
afterEach(() => rm(home, { recursive: true, force: true }));

const created = JSON.stringify({
  type: "created",
  at: "2026-01-01T00:00:00.000Z",
  id: "task_1",
  provider: "apimart",
  baseUrl: "https://api.apimart.ai",
  model: "grok-imagine-1.5-video-apimart",
  params: { prompt: "p", images: [] },
  requestHash: "hash-1",
});

describe("checkJournal", () => {
  it("counts torn lines and wrong-shape lines alike; good lines and blank lines are not damaged", async () => {
    const lines = [
      created,
      '{"torn',
      '{"type":"x"}',
      "42",
      "[]",
      '{"type":"created","id":"no other field"}',
      "",
      created,
    ];
    await writeFile(join(home, "journal.jsonl"), `${lines.join("\n")}\n`);
    const check = await checkJournal(home);
    expect(check.ok).toBe(true);
    expect(check.detail).toContain("7 lines");
    expect(check.detail).toContain("5 damaged lines skipped");
  });

  it("a journal of good lines has no damage to report", async () => {
    await writeFile(join(home, "journal.jsonl"), `${created}\n${created}\n`);
    const check = await checkJournal(home);
    expect(check.detail).toContain("2 lines");
    expect(check.detail).not.toContain("damaged");
  });
});
