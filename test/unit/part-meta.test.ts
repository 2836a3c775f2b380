import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartMetaFile, readPartMeta } from "../../src/core/part-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-part-meta-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("PartMetaFile", () => {
  it("replaces a planted link instead of writing through it, and rewrites its record in place", async () => {
    const part = join(dir, "v.mp4.part");
    const victim = join(dir, "victim");
    await writeFile(victim, "keep me");
    await symlink(victim, `${part}.json`);
    const final = { bytes: 9, sha256: "ab", sourceUrl: "https://x/v.mp4" };
    const meta = await PartMetaFile.create(part, { taskId: "t1", etag: null, final });
    await meta.seal({ taskId: "t1", etag: null });
    meta.close();
    expect(await readFile(victim, "utf8")).toBe("keep me");
    // The shorter second record leaves nothing of the first behind it.
    expect(await readPartMeta(part)).toEqual({ taskId: "t1", etag: null });
  });
});
