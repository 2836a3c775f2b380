import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { recentJobIds } from "../../src/core/journal/recent-ids.js";
import { makeTempDir } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

const line = (type: string, id: string) =>
  JSON.stringify({ type, at: "2026-12-01T10:00:00.000Z", id, provider: "xai", prompt: "p".repeat(60) });

describe("recentJobIds (shell completion's view of the journal)", () => {
  it("gives the newest ids first, each once, at most the limit", () => {
    const lines = ["a", "b", "c", "b"].map((id) => line("created", id));
    lines.push(line("status", "z"), line("downloaded", "y"));
    writeFileSync(join(temp.dir, "journal.jsonl"), `${lines.join("\n")}\n`);
    expect(recentJobIds(temp.dir, 10)).toEqual(["b", "c", "a"]);
    expect(recentJobIds(temp.dir, 2)).toEqual(["b", "c"]);
  });

  it("reads only the end of a long journal, and never half a line", () => {
    // ~1.5 MiB: far more than the tail it reads; the tail starts inside some line.
    const lines = Array.from({ length: 12_000 }, (_, i) => line("created", `task_${i}`));
    writeFileSync(join(temp.dir, "journal.jsonl"), `${lines.join("\n")}\n`);
    const ids = recentJobIds(temp.dir, 100_000);
    expect(ids[0]).toBe("task_11999");
    expect(ids.length).toBeGreaterThan(300);
    expect(ids.length).toBeLessThan(12_000);
    const oldest = Number(ids.at(-1)?.slice(5));
    expect(ids).toEqual(Array.from({ length: 12_000 - oldest }, (_, i) => `task_${11_999 - i}`));
    expect(recentJobIds(temp.dir, 300)).toHaveLength(300);
  });

  it("has no ids without a journal, and skips a torn last line", () => {
    expect(recentJobIds(join(temp.dir, "missing"), 10)).toEqual([]);
    writeFileSync(join(temp.dir, "journal.jsonl"), `${line("created", "a")}\n{"type":"created","id":"b`);
    expect(recentJobIds(temp.dir, 10)).toEqual(["a"]);
  });
});
