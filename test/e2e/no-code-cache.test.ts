import { spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/run-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHUNKS = join(ROOT, "dist", "bundle");
const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

/** Overwrites bytes in the middle of a file in place, as a bad disk or a hostile user would. */
function damageInPlace(file: string): void {
  const fd = openSync(file, "r+");
  try {
    const size = fstatSync(fd).size;
    const at = Math.floor(size / 2);
    const length = Math.min(64, size - at);
    writeSync(fd, Buffer.alloc(length, 0xab), 0, length, at);
  } finally {
    closeSync(fd);
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A copy of the built package (bin, dist/bundle, package.json) that a test may spoil. */
function copyPackage(): string {
  const pkg = join(temp.dir, "pkg");
  mkdirSync(pkg);
  cpSync(join(ROOT, "bin"), join(pkg, "bin"), { recursive: true });
  cpSync(CHUNKS, join(pkg, "dist", "bundle"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
  return pkg;
}

function dryRun(pkg: string, cacheHome: string) {
  const cwd = join(temp.dir, "work");
  mkdirSync(cwd, { recursive: true });
  return spawnSync(
    process.execPath,
    [join(pkg, "bin", "grokvid.cjs"), "create", "--provider", "sandbox", "--prompt", "hi", "--dry-run"],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: cwd,
        XDG_CONFIG_HOME: join(cwd, ".config"),
        XDG_CACHE_HOME: cacheHome,
        NO_COLOR: "1",
      },
      encoding: "utf8",
    },
  );
}

describe("no cache file grokvid reads can crash it", () => {
  it("the build leaves no code cache beside the chunks", () => {
    expect(readdirSync(CHUNKS).filter((f) => !/\.cjs(\.map)?$/.test(f))).toEqual([]);
  });

  it("a damaged V8 code cache where one used to be kept is never read", () => {
    const pkg = copyPackage();
    const chunks = join(pkg, "dist", "bundle");
    const later = new Date(Date.now() + 3_600_000);
    // What the old build kept beside each chunk and loaded through a patched loader: V8's code
    // cache of that very chunk, newer than it, damaged in place. Read, it crashed V8 (exit 133).
    for (const name of readdirSync(chunks).filter((f) => f.endsWith(".cjs"))) {
      const chunk = join(chunks, name);
      const script = new vm.Script(Module.wrap(readFileSync(chunk, "utf8")), { filename: chunk });
      const cache = `${chunk}.v8-cache`;
      writeFileSync(cache, script.createCachedData());
      damageInPlace(cache);
      utimesSync(cache, later, later);
    }
    const run = dryRun(pkg, join(temp.dir, "cache"));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"method": "POST"');
  });

  it("Node's compile cache, where this Node has one, survives its files being damaged", () => {
    const pkg = copyPackage();
    const cacheHome = join(temp.dir, "cache");
    expect(dryRun(pkg, cacheHome).status).toBe(0);
    const cached = filesUnder(join(cacheHome, "grokvid"));
    // Node 20 has no compile cache: nothing is written, so nothing can be read back.
    if (!("enableCompileCache" in Module)) expect(cached).toEqual([]);
    for (const file of cached) damageInPlace(file);
    const run = dryRun(pkg, cacheHome);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"method": "POST"');
  });
});
