import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Claims } from "../../src/files/claims.js";
import { ConfigError } from "../../src/util/errors.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "grokvid-claims-unit-"));
});
afterEach(() => rm(home, { recursive: true, force: true }));

const key = (i: number) => i.toString(16).padStart(2, "0").repeat(32);

async function takeAll(claims: Claims, n: number) {
  const got = await Promise.all(Array.from({ length: n }, (_, i) => claims.take(key(i))));
  return got.map((g) => {
    if (!("claim" in g)) throw new Error("not taken");
    return g.claim;
  });
}

describe("Claims", () => {
  it("each claim names its owner, and a process that let go of all of them leaves nothing behind", async () => {
    const claims = new Claims(home);
    const held = await takeAll(claims, 20);
    const text = await readFile(join(home, "claims", key(3)), "utf8");
    expect(Number(text.split(" ")[0])).toBe(process.pid);
    await Promise.all(held.map((c) => c.release()));
    expect(await readdir(join(home, "claims"))).toEqual([]);
    expect((await readdir(home)).sort()).toEqual(["claims"]);
    // Taken again after everything was let go: a fresh start works the same.
    const again = await takeAll(claims, 2);
    await Promise.all(again.map((c) => c.release()));
    expect(await readdir(home)).toEqual(["claims"]);
  });

  it("the owner files of processes that died (kill -9) are swept when a process first claims; a live one's stay", async () => {
    // A pid above Linux's pid_max (4194304) is never alive.
    const dead = join(home, ".claim-owner-4999999-0a1b2c");
    const alive = join(home, `.claim-owner-${process.ppid}-3d4e5f`);
    const empty = join(home, ".claim-owner-4999998-6a7b8c");
    await writeFile(dead, "4999999 123");
    await writeFile(alive, String(process.ppid));
    await writeFile(empty, "");
    const claims = new Claims(home);
    const [claim] = await takeAll(claims, 1);
    await claim?.release();
    // The empty one (killed between creating and writing it) is judged by the pid in its name.
    expect((await readdir(home)).sort()).toEqual([`.claim-owner-${process.ppid}-3d4e5f`, "claims"].sort());
  });

  it("release leaves alone a claim file that another process put in its place, even with the same text", async () => {
    const claims = new Claims(home);
    const [claim] = await takeAll(claims, 1);
    const path = join(home, "claims", key(0));
    const text = await readFile(path, "utf8");
    // Another process took it over (it judged us dead) and wrote the same owner text: not ours.
    await writeFile(join(home, "theirs"), text);
    await rename(join(home, "theirs"), path);
    await claim?.release();
    expect(await readFile(path, "utf8")).toBe(text);
  });

  it("a claims folder removed underneath is made again", async () => {
    const claims = new Claims(home);
    const [first] = await takeAll(claims, 1);
    await rm(join(home, "claims"), { recursive: true });
    const second = await claims.take(key(5));
    expect("claim" in second).toBe(true);
    if ("claim" in second) await second.claim.release();
    await first?.release();
    expect(await readdir(home)).toEqual(["claims"]);
  });

  it("a FIFO, a folder or a link at a claim, its break lock or an owner file is refused at once (exit 3), never waited on", async () => {
    const claims = new Claims(home);
    const plants: [string, () => Promise<unknown>][] = [
      [join(home, "claims", key(1)), async () => execFileSync("mkfifo", [join(home, "claims", key(1))])],
      [join(home, "claims", key(2)), () => mkdir(join(home, "claims", key(2)))],
      [join(home, "claims", key(3)), () => symlink("/dev/zero", join(home, "claims", key(3)))],
    ];
    await mkdir(join(home, "claims"));
    for (const [path, plant] of plants) {
      await plant();
      const err = await claims.take(path.slice(-64)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(
        new RegExp(
          `^the claim ${path} is a (FIFO|directory|symbolic link), not a regular file; move it away$`,
        ),
      );
    }
    // A dead owner's claim with a folder at its break lock: the folder is never removed as "stale".
    await writeFile(join(home, "claims", key(4)), "4999999 1");
    await mkdir(join(home, "claims", `${key(4)}.break`));
    await expect(claims.take(key(4))).rejects.toThrow(/break lock .* is a directory/);
    // An owner file of another process that is a FIFO: the sweep refuses it rather than hang.
    const other = new Claims(await mkdtemp(join(tmpdir(), "grokvid-claims-other-")));
    execFileSync("mkfifo", [join(other.dir, "..", ".claim-owner-4999999-abcdef")]);
    await expect(other.take(key(5))).rejects.toThrow(/the claim owner file .* is a FIFO/);
    await rm(join(other.dir, ".."), { recursive: true, force: true });
  });
});
