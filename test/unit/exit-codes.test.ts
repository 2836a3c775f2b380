import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { afterSending, runExitCode } from "../../src/core/jobs/outcome.js";
import { FileJournal as Journal } from "../../src/core/journal/file-journal.js";
import { ApiError, ConfigError, GrokvidError, UsageError } from "../../src/util/errors.js";
import { mapHttpError } from "../../src/http/map-error.js";

describe("runExitCode", () => {
  it("exit 2 only while nothing was sent", () => {
    expect(runExitCode([2, 0], false)).toBe(2);
    expect(runExitCode([2, 0], true)).toBe(6);
    expect(runExitCode([2, 7], true)).toBe(7);
    expect(runExitCode([0, 0], true)).toBe(0);
  });
});

describe("afterSending", () => {
  it("turns a usage error into 6 with its message and hint; leaves every other error alone", () => {
    const usage = new UsageError("out.mp4 already exists", { hint: "pass --force" });
    usage.resultPrinted = true;
    const sent = afterSending(usage);
    expect(sent).toBeInstanceOf(GrokvidError);
    expect(sent).toMatchObject({ exitCode: 6, message: "out.mp4 already exists", hint: "pass --force" });
    expect((sent as GrokvidError).resultPrinted).toBe(true);
    const failed = new ApiError("refused", 4);
    expect(afterSending(failed)).toBe(failed);
    const bug = new Error("bug");
    expect(afterSending(bug)).toBe(bug);
  });
});

describe("a task the gateway does not know", () => {
  const ctx = { provider: "p", keyVariable: "K", taskId: "t1" };
  it("is marked not found for a 404 and for new-api's 400 task_not_exist", () => {
    expect(mapHttpError(404, undefined, ctx).notFound).toBe(true);
    expect(mapHttpError(400, { message: "task_not_exist", notFound: true }, ctx).notFound).toBe(true);
    expect(mapHttpError(500, undefined, ctx).notFound).toBe(false);
    expect(new ApiError("x", 6).notFound).toBe(false);
  });
});

describe("a journal the file system refuses", () => {
  it("is a ConfigError naming the journal and the reason, for reading and for writing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grokvid-unit-"));
    try {
      await writeFile(join(dir, "file"), "x");
      const journal = new Journal(join(dir, "file", "home"));
      await expect(journal.readJobs()).rejects.toThrow(ConfigError);
      await expect(journal.readJobs()).rejects.toThrow(/cannot read the job journal .*ENOTDIR/);
      const event = {
        type: "abandoned" as const,
        at: "2026-01-01T00:00:00.000Z",
        provider: "p",
        requestHash: "h",
      };
      await expect(journal.append(event)).rejects.toThrow(/cannot write the job journal .*\(E[A-Z]+\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
