import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { getDefaultSearchPlaces, globalConfigSearchPlaces } from "cosmiconfig";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import {
  CONFIG_NAME,
  couldFindConfig,
  GLOBAL_PLACES,
  META_PLACES,
  SEARCH_PLACES,
} from "../../src/config/quick-scan.js";

// Not part of cosmiconfig's typed entry, but what its meta config search reads.
const { metaSearchPlaces } = createRequire(import.meta.url)("cosmiconfig/dist/defaults.js") as {
  metaSearchPlaces: string[];
};

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
  it("looks for every name cosmiconfig's default search, global folder and meta config look for", () => {
    expect(SEARCH_PLACES).toEqual(expect.arrayContaining(getDefaultSearchPlaces(CONFIG_NAME)));
    expect(GLOBAL_PLACES).toEqual(expect.arrayContaining([...globalConfigSearchPlaces]));
    expect(META_PLACES).toEqual(expect.arrayContaining([...metaSearchPlaces]));
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
    ["a cosmiconfig meta config", ".config/config.json", "home/work/project"],
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
});
