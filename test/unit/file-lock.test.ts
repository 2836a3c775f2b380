import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withFileLock } from "../../src/files/file-lock.js";
import { ConfigError } from "../../src/util/errors.js";

/**
 * The lock around a read-change-rename of a small state file (keys.json, the trust store, the
 * user config file): one writer at a time, never a deadlock after kill -9, never an endless wait.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-file-lock-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const target = () => join(dir, "keys.json");

/** The parent's owner text as a claim writes it: its pid and start time (a live process). */
function liveOwner(): string {
  const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
  return `${process.ppid} ${stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]}`;
}

/** A read, a pause, a write: the window two unlocked writers lose an update in. */
async function increment(): Promise<void> {
  const n = Number(await readFile(target(), "utf8").catch(() => "0"));
  await new Promise((resolve) => setImmediate(resolve));
  await writeFile(target(), String(n + 1));
}

describe("withFileLock", () => {
  it("runs the callers of one process one at a time, and leaves nothing behind", async () => {
    await Promise.all(Array.from({ length: 20 }, () => withFileLock(target(), "the keys file", increment)));
    expect(await readFile(target(), "utf8")).toBe("20");
    expect(await readdir(dir)).toEqual(["keys.json"]);
  });

  it("a lock left by a process killed with -9 (its pid is gone) is taken over at once", async () => {
    await writeFile(`${target()}.lock`, "4999999 12345");
    const started = Date.now();
    await withFileLock(target(), "the keys file", increment, { waitMs: 5000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await readdir(dir)).toEqual(["keys.json"]);
  });

  it.skipIf(process.platform !== "linux")(
    "a live holder is waited for a bounded time, then refused with exit 3",
    async () => {
      await writeFile(`${target()}.lock`, liveOwner());
      const err = await withFileLock(target(), "the keys file", increment, { waitMs: 50 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toBe(
        `the keys file ${target()} is being changed by grokvid process ${process.ppid} (it holds ${target()}.lock); try again once it ends`,
      );
      // Its lock is left alone, and the file was not touched.
      expect(await readFile(`${target()}.lock`, "utf8")).toBe(liveOwner());
      expect(await readdir(dir)).toEqual(["keys.json.lock"]);
    },
  );

  it.skipIf(process.platform !== "linux")(
    "a lock older than any write takes is stale even if its pid lives (a reused pid)",
    async () => {
      await writeFile(`${target()}.lock`, liveOwner());
      const past = new Date(Date.now() - 60_000);
      await utimes(`${target()}.lock`, past, past);
      await withFileLock(target(), "the keys file", increment, { waitMs: 50 });
      expect(await readFile(target(), "utf8")).toBe("1");
    },
  );

  it("a FIFO at the lock's name is refused, naming it", async () => {
    execFileSync("mkfifo", [`${target()}.lock`]);
    await expect(withFileLock(target(), "the keys file", increment)).rejects.toThrow(
      `the lock of the keys file ${target()}.lock is a FIFO, not a regular file; move it away`,
    );
  });

  it("a failing writer lets go of the lock for the next one", async () => {
    const failing = withFileLock(target(), "the keys file", () => Promise.reject(new Error("disk full")));
    await expect(failing).rejects.toThrow("disk full");
    await withFileLock(target(), "the keys file", increment);
    expect(await readFile(target(), "utf8")).toBe("1");
  });
});
