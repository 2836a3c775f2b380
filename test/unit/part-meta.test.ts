import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartMetaFile, readPartMeta } from "../../src/core/download/part-file.js";
import { makeTempDir } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

describe("PartMetaFile", () => {
  it("replaces a planted link instead of writing through it, and rewrites its record in place", async () => {
    const part = join(temp.dir, "v.mp4.part");
    const victim = join(temp.dir, "victim");
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
