import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { type InstalledPackage, installPackedTarball, manifest } from "../helpers/installed-package.js";
import { startMcp } from "../helpers/mcp.js";

let work: InstalledPackage;
/** node_modules/grokvid of a fresh project, as npm lays out an installed tarball. */
let installed: string;

beforeAll(async () => {
  work = await installPackedTarball();
  installed = work.installed;
}, 60_000);
afterAll(() => work.cleanup());

function shipped(dir = installed): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((p) => join(dir, p));
}

describe("the published package", () => {
  it("ships the licence (matching package.json), the README and the config example", async () => {
    expect(await readFile(join(installed, "LICENSE"), "utf8")).toMatch(
      new RegExp(`^${manifest.license} License`),
    );
    expect(existsSync(join(installed, "README.md"))).toBe(true);
    expect(existsSync(join(installed, ".grokvideorc.example"))).toBe(true);
    // Nothing of the repository's own: no tests, no sources outside the maps, no CI scripts.
    const names = shipped().map((p) => relative(installed, p));
    expect(names.filter((n) => /^(test|src|bench|\.ci)\//.test(n))).toEqual([]);
  });

  it("every source map carries its sources or points at shipped files", () => {
    const mapSchema = z.object({
      sources: z.array(z.string()),
      sourcesContent: z.array(z.string().nullable()).optional(),
    });
    const maps = shipped().filter((p) => p.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const map of maps) {
      const { sources, sourcesContent } = mapSchema.parse(JSON.parse(readFileSync(map, "utf8")));
      sources.forEach((source, i) => {
        const inline = typeof sourcesContent?.[i] === "string";
        if (!inline && !existsSync(resolve(dirname(map), source)))
          broken.push(`${relative(installed, map)}: ${source}`);
      });
    }
    expect(broken).toEqual([]);
  });

  it("gives a working grokvid: its version, and a job end to end in the sandbox, saved as a real mp4", async () => {
    const bin = join(installed, "bin", "grokvid.cjs");
    const cwd = join(work.dir, "app");
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: cwd,
      GROKVID_HOME: join(cwd, "home"),
      GROKVID_SANDBOX_DELAY: "300ms",
    };
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8", env }).trim()).toBe(
      manifest.version,
    );
    const saved = execFileSync(
      process.execPath,
      [
        bin,
        "create",
        "--provider",
        "sandbox",
        "--prompt",
        "a fox",
        "--download",
        "-o",
        "fox.mp4",
        "--interval",
        "100ms",
      ],
      { cwd, encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] },
    );
    expect(saved.trim()).toBe("fox.mp4");
    const head = (await readFile(join(cwd, "fox.mp4"))).subarray(4, 8).toString("latin1");
    expect(head).toBe("ftyp");
  });

  it("serves grokvid mcp, its SDK found through the linked node_modules (as pnpm lays them out)", async () => {
    const cwd = join(work.dir, "app");
    const mcp = await startMcp(["--provider", "sandbox", "--out-dir", "videos", "--interval", "100ms"], {
      cwd,
      env: { GROKVID_HOME: join(cwd, "home"), GROKVID_SANDBOX_DELAY: "0s" },
      bin: join(installed, "bin", "grokvid.cjs"),
    });
    try {
      expect((await mcp.client.listTools()).tools.length).toBe(9);
      const created = await mcp.call("create_video", { prompt: "a fox", wait_seconds: 20 });
      const id = (created.structuredContent?.task as { id: string }).id;
      const saved = await mcp.call("download_job", { id });
      expect(saved.structuredContent).toMatchObject({
        downloaded: true,
        path: join(cwd, "videos", `sandbox-${id}.mp4`),
      });
    } finally {
      await mcp.close();
    }
  });

  it("imports as a library by its name, with types", () => {
    const cwd = join(work.dir, "app");
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { createClient, ExitCode } from "grokvid"; console.log(typeof createClient, ExitCode.usage)',
      ],
      { cwd, encoding: "utf8" },
    );
    expect(out.trim()).toBe("function 2");
    expect(existsSync(join(installed, "dist", "index.d.ts"))).toBe(true);
    // The simulator is its own entry, with its own types.
    const sandbox = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { startSandbox } from "grokvid/sandbox"; console.log(typeof startSandbox)',
      ],
      { cwd, encoding: "utf8" },
    );
    expect(sandbox.trim()).toBe("function");
    expect(existsSync(join(installed, "dist", "sandbox", "index.d.ts"))).toBe(true);
  });
});
