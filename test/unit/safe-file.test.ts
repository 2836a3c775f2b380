import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sidecarPathFor } from "../../src/core/download/output-plan.js";
import { createExclusive, openRegular, writeFileAtomic } from "../../src/files/safe-file.js";
import { isVideoHead } from "../../src/core/download/video-sniff.js";
import { parseFaultSpec } from "../../src/sandbox/server.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-safe-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("safe-file", () => {
  it("createExclusive refuses a name held by a link, even a dangling one", async () => {
    await symlink(join(dir, "nowhere"), join(dir, "a"));
    await expect(createExclusive(join(dir, "a"))).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readdir(dir)).toEqual(["a"]);
  });

  it("openRegular never opens through a link", async () => {
    await writeFile(join(dir, "victim"), "precious");
    await symlink(join(dir, "victim"), join(dir, "a.part"));
    expect(await openRegular(join(dir, "a.part"), "append")).toBeUndefined();
  });

  it("writeFileAtomic without force keeps an existing file; with force replaces a link, not its target", async () => {
    const victim = join(dir, "victim");
    await writeFile(victim, "precious");
    await expect(writeFileAtomic(victim, "new", { force: false })).rejects.toThrow(/already exists/);
    await symlink(victim, join(dir, "out.json"));
    await writeFileAtomic(join(dir, "out.json"), "new", { force: true });
    expect(await readFile(victim, "utf8")).toBe("precious");
    expect(await readFile(join(dir, "out.json"), "utf8")).toBe("new");
    expect((await readdir(dir)).sort()).toEqual(["out.json", "victim"]);
  });
});

describe("sidecarPathFor", () => {
  it.each([
    ["out/clip.mp4", "out/clip.json"],
    ["clip", "clip.json"],
    ["clip.json", "clip.meta.json"],
    ["clip.JSON", "clip.meta.json"],
    ["a.b/clip", "a.b/clip.json"],
  ])("%s -> %s, never the video itself", (video, sidecar) => {
    expect(sidecarPathFor(video)).toBe(sidecar);
    expect(sidecarPathFor(video).toLowerCase()).not.toBe(video.toLowerCase());
  });
});

describe("video sniff", () => {
  it("knows MP4 and WebM starts, and nothing else", () => {
    expect(isVideoHead(Buffer.from("00000018667479706d703432", "hex"))).toBe(true);
    expect(isVideoHead(Buffer.from("1a45dfa3a3428681", "hex"))).toBe(true);
    expect(isVideoHead(Buffer.from("<!DOCTYPE html>"))).toBe(false);
    expect(isVideoHead(Buffer.from('{"error":1}'))).toBe(false);
    expect(isVideoHead(Buffer.from("0000", "hex"))).toBe(false);
  });
});

describe("new sandbox faults parse", () => {
  it.each(["no-content-type", "json-octet-stream", "oversized-range", "trickle"])("%s:download:2", (kind) => {
    expect(parseFaultSpec(`${kind}:download:2`)).toEqual({ kind, target: "download", times: 2 });
    expect(() => parseFaultSpec(`${kind}:query`)).toThrow(/applies only to download/);
  });
});
