import { execFileSync } from "node:child_process";
import { closeSync, readFileSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkLinkedFile,
  checkStateName,
  openStateFile,
  openStateHandle,
  readStateFile,
} from "../../src/files/state-file.js";
import { ConfigError } from "../../src/util/errors.js";
import { thrownAs } from "./support.js";

/**
 * The one door to grokvid's state files: a name that is not a regular file is refused with one
 * line naming it and what it is (exit 3), without blocking on it and without following a link.
 * Each obstacle is real: a FIFO from mkfifo, a folder, a socket, links to /dev/zero and to a file.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-state-file-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const at = (name: string) => join(dir, name);

async function obstacles(): Promise<[string, string][]> {
  execFileSync("mkfifo", [at("fifo")]);
  await mkdir(at("folder"));
  await symlink("/dev/zero", at("zero"));
  await writeFile(at("real"), "{}");
  await symlink(at("real"), at("link"));
  return [
    ["fifo", "is a FIFO"],
    ["folder", "is a directory"],
    ["zero", "is a symbolic link"],
    ["link", "is a symbolic link"],
  ];
}

describe("readStateFile", () => {
  it("refuses a FIFO, a folder and links, naming the role, the path and the kind in one line", async () => {
    for (const [name, words] of await obstacles()) {
      const err = thrownAs(ConfigError, () => readStateFile(at(name), "the trust store", 1024));
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe(`the trust store ${at(name)} ${words}, not a regular file; move it away`);
      expect(err.message).not.toContain("\n");
      expect(err.hint).toBeUndefined();
    }
  });

  it("refuses a socket", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(at("sock"), resolve));
    try {
      expect(thrownAs(ConfigError, () => readStateFile(at("sock"), "the claim", 64)).message).toContain(
        "is a socket",
      );
    } finally {
      server.close();
    }
  });

  it("reads a regular file; a missing one is undefined", async () => {
    await writeFile(at("keys.json"), '{"a":"b"}');
    expect(readStateFile(at("keys.json"), "the keys file", 1024)).toBe('{"a":"b"}');
    expect(readStateFile(at("missing"), "the keys file", 1024)).toBeUndefined();
  });

  it("refuses a file larger than the bound instead of cutting it", async () => {
    await writeFile(at("big"), "x".repeat(65));
    expect(readStateFile(at("big"), "the claim", 65)).toHaveLength(65);
    const err = thrownAs(ConfigError, () => readStateFile(at("big"), "the claim", 64));
    expect(err.message).toBe(
      `the claim ${at("big")} is larger than grokvid ever writes (64 bytes); move it away`,
    );
  });

  it("other failures keep their own code (a file where a folder should be)", async () => {
    await writeFile(at("file"), "");
    expect(() => readStateFile(join(at("file"), "journal.jsonl"), "the journal", 64)).toThrow(
      expect.objectContaining({ code: "ENOTDIR" }),
    );
  });
});

describe("openStateFile and openStateHandle for appending", () => {
  it("refuse what is not a regular file, the target of a link untouched", async () => {
    for (const [name, words] of await obstacles()) {
      expect(() => openStateFile(at(name), "the journal", "append")).toThrow(words);
      await expect(openStateHandle(at(name), "the journal", "append")).rejects.toThrow(words);
    }
    expect(readFileSync(at("real"), "utf8")).toBe("{}");
  });

  it("create a missing file 0600 and append to it", async () => {
    const fd = openStateFile(at("journal.jsonl"), "the journal", "append");
    if (fd === undefined) throw new Error("no descriptor");
    writeSync(fd, "a\n");
    closeSync(fd);
    const handle = await openStateHandle(at("journal.jsonl"), "the journal", "append");
    await handle.write("b\n");
    expect((await handle.stat()).mode & 0o777).toBe(0o600);
    await handle.close();
    expect(readFileSync(at("journal.jsonl"), "utf8")).toBe("a\nb\n");
  });
});

describe("checkStateName", () => {
  it("passes a regular file or nothing, refuses anything else", async () => {
    await obstacles();
    expect(() => checkStateName(at("real"), "the claim lock")).not.toThrow();
    expect(() => checkStateName(at("missing"), "the claim lock")).not.toThrow();
    expect(() => checkStateName(at("fifo"), "the claim lock")).toThrow("the claim lock");
    expect(() => checkStateName(at("link"), "the claim lock")).toThrow("is a symbolic link");
  });
});

describe("checkLinkedFile", () => {
  it("follows a link to a regular file (dotfiles), refuses what it leads to when that is not one", async () => {
    await obstacles();
    expect(() => checkLinkedFile(at("link"), "the config file", 64)).not.toThrow();
    expect(() => checkLinkedFile(at("missing"), "the config file", 64)).not.toThrow();
    expect(() => checkLinkedFile(at("zero"), "the config file", 64)).toThrow(
      `the config file ${at("zero")} is a character device, not a regular file; move it away`,
    );
    expect(() => checkLinkedFile(at("fifo"), "the config file", 64)).toThrow("is a FIFO");
    expect(() => checkLinkedFile(at("folder"), "the config file", 64)).toThrow("is a directory");
    expect(() => checkLinkedFile(at("real"), "the config file", 1)).toThrow("is larger than 1 bytes");
  });
});
