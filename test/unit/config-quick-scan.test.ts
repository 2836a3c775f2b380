import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getDefaultSearchPlaces, globalConfigSearchPlaces } from "cosmiconfig";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import {
  CONFIG_NAME,
  CONFIG_NAMES,
  couldFindConfig,
  GLOBAL_PLACES,
  SEARCH_PLACES,
} from "../../src/config/quick-scan.js";

let root: string;
let project: string;
let env: Record<string, string>;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "grokvid-scan-"));
  project = join(root, "home", "work", "project");
  await mkdir(project, { recursive: true });
  env = { HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "xdg") };
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("the quick config scan", () => {
  it("looks for every name cosmiconfig's default search and global folder look for", () => {
    for (const name of CONFIG_NAMES) {
      // package.json aside (read for its one key), cosmiconfig's own order for each name.
      const own = getDefaultSearchPlaces(name).filter((p) => p !== "package.json");
      expect(SEARCH_PLACES.filter((p) => own.includes(p))).toEqual(own);
    }
    expect(CONFIG_NAME).toBe("grokvid");
    expect(GLOBAL_PLACES).toEqual(expect.arrayContaining([...globalConfigSearchPlaces]));
  });

  it("says no for cosmiconfig's meta config names, which grokvid never reads", async () => {
    await mkdir(join(project, ".config"), { recursive: true });
    await writeFile(join(project, ".config", "config.json"), "{}");
    await writeFile(join(project, "package.json"), JSON.stringify({ cosmiconfig: { searchPlaces: ["x"] } }));
    expect(couldFindConfig(project, env)).toBe(false);
  });

  it("says no only when there is nothing to find, and loading then gives the empty config", async () => {
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "x", dependencies: { cosmiconfig: "9", grokvideo: "1" } }),
    );
    expect(couldFindConfig(project, env)).toBe(false);
    expect(await loadConfig(undefined, project, env)).toEqual({
      config: {},
      filepath: undefined,
      warnings: [],
    });
  });

  it.each([
    ["an rc file two folders up", ".grokvideorc.yaml", "home"],
    ["a .config rc file here", ".config/grokvideorc.json", "home/work/project"],
    ["a package.json with a grokvideo key", "package.json", "home/work"],
    ["a file in the global config folder", "config.json", "xdg/grokvideo"],
    ["a file in the grokvid config folder", "config.yaml", "xdg/grokvid"],
    ["a .grokvidrc file up", ".grokvidrc", "home/work"],
    ["a grokvid.config.mjs here", "grokvid.config.mjs", "home/work/project"],
  ])("says yes for %s", async (_what, name, where) => {
    const file = join(root, where, name);
    await mkdir(join(file, ".."), { recursive: true });
    const body =
      name === "package.json" ? JSON.stringify({ grokvideo: { defaultProvider: "apimart" } }) : "{}";
    await writeFile(file, body);
    expect(couldFindConfig(project, env)).toBe(true);
  });

  it("a config found after a yes is loaded as before", async () => {
    await writeFile(join(root, "home", ".grokvideorc.json"), JSON.stringify({ defaultProvider: "jimmyai" }));
    const loaded = await loadConfig(undefined, project, env);
    expect(loaded.config).toEqual({ defaultProvider: "jimmyai" });
  });

  it("finds the grokvid names too; in one folder .grokvidrc wins over .grokvideorc", async () => {
    await writeFile(join(project, ".grokvideorc.json"), JSON.stringify({ defaultProvider: "jimmyai" }));
    await writeFile(join(project, ".grokvidrc"), "defaultProvider: xai\n");
    const loaded = await loadConfig(undefined, project, env);
    expect(loaded.config).toEqual({ defaultProvider: "xai" });
    expect(loaded.filepath).toBe(join(project, ".grokvidrc"));
  });

  it("the user config folder ~/.config/grokvid wins over ~/.config/grokvideo, which still works alone", async () => {
    const xdg = join(root, "xdg");
    const prior = process.env.XDG_CONFIG_HOME;
    // cosmiconfig looks at the process's own config folder.
    process.env.XDG_CONFIG_HOME = xdg;
    try {
      await mkdir(join(xdg, "grokvideo"), { recursive: true });
      await writeFile(join(xdg, "grokvideo", "config.json"), JSON.stringify({ defaultProvider: "jimmyai" }));
      expect((await loadConfig(undefined, project, env)).config).toEqual({ defaultProvider: "jimmyai" });
      await mkdir(join(xdg, "grokvid"), { recursive: true });
      await writeFile(join(xdg, "grokvid", "config.json"), JSON.stringify({ defaultProvider: "xai" }));
      const loaded = await loadConfig(undefined, project, env);
      expect(loaded.config).toEqual({ defaultProvider: "xai" });
      expect(loaded.filepath).toBe(join(xdg, "grokvid", "config.json"));
    } finally {
      if (prior === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = prior;
    }
  });

  it.each([
    ["JSON", ".grokvidrc.json", '{\n  "defaultProvider": "xai",\n  "poll": {,\n}\n', 3],
    ["YAML", ".grokvidrc.yaml", "defaultProvider: xai\npoll:\n  interval: 5s\n   timeout: [\n", 4],
  ])("a %s syntax error names the file and its line, never the text", async (_kind, name, text, line) => {
    await writeFile(join(project, name), text);
    const err: unknown = await loadConfig(undefined, project, env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = err instanceof Error ? err.message : "";
    expect(message).toContain(join(project, name));
    expect(message).toContain(`(line ${line})`);
    expect(message).not.toContain("xai");
  });
});
