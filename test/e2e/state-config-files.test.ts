import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { KIND_WORDS, type Obstacle, OBSTACLES, plant, runBounded } from "../helpers/obstacles.js";

/**
 * The other files grokvid reads from its state and the user config folder (issue 20): keys.json,
 * the trust store and the user's config file. A FIFO, a folder or a link to /dev/zero at any of
 * them is one line naming it, exit 3, within seconds, and nothing is sent.
 */
const e2e = useE2e();

const configDir = () => join(e2e.dir, ".config", "grokvid");
const state = () => join(e2e.dir, "state");

interface Case {
  path: () => string;
  /** What the line says of a link to /dev/zero: a link refused, or (followed) a device. */
  linkWords: string;
  runs: () => Promise<{ args: string[]; env: Record<string, string>; cwd?: string; input?: string }[]>;
}

/** A project whose config file sends keys elsewhere: loading it reads the trust store. */
async function project(): Promise<string> {
  const dir = join(e2e.dir, "repo");
  await mkdir(dir, { recursive: true });
  const config = { providers: { apimart: { baseUrl: e2e.sandbox.baseUrl("apimart") } } };
  await writeFile(join(dir, ".grokvideorc.json"), JSON.stringify(config));
  return dir;
}

const CASES: Record<string, Case> = {
  "keys.json": {
    path: () => join(configDir(), "keys.json"),
    linkWords: KIND_WORDS.symlink,
    runs: async () => [
      { args: ["keys", "set", "xai"], env: {}, input: "sk-some-key-0123456789\n" },
      { args: ["keys", "list"], env: {} },
      // No key in the environment: the stored ones are looked up.
      {
        args: ["create", "--provider", "apimart", "--prompt", "p"],
        env: { GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart") },
      },
    ],
  },
  "trusted-configs.json": {
    path: () => join(state(), "trusted-configs.json"),
    linkWords: KIND_WORDS.symlink,
    runs: async () => {
      const cwd = await project();
      // HOME above the project, so its file is not the user's own (which needs no trust).
      const home = { HOME: e2e.dir, XDG_CONFIG_HOME: join(e2e.dir, ".config") };
      return [
        {
          args: ["create", "--provider", "apimart", "--prompt", "p"],
          env: { ...home, GROKVID_APIMART_API_KEY: E2E_KEY },
          cwd,
        },
        { args: ["config", "trust"], env: home, cwd },
      ];
    },
  },
  "config.json": {
    path: () => join(configDir(), "config.json"),
    // `config set` rewrites it and refuses a link; the search follows one (dotfiles) to a device.
    linkWords: "is a",
    runs: async () => [
      { args: ["config", "set", "poll.interval", "5s"], env: {} },
      { args: ["config", "get", "poll.interval"], env: {} },
      { args: ["status", "task_1", "--provider", "apimart"], env: e2e.envFor("apimart") },
    ],
  },
};

function words(kind: Obstacle, c: Case): string {
  return kind === "symlink" ? c.linkWords : KIND_WORDS[kind];
}

describe.each(OBSTACLES)("a state or user config file that is a %s", (kind) => {
  it.each(Object.keys(CASES))(
    "%s: every command that reads it ends at once, exit 3, one line",
    async (name) => {
      const c = CASES[name];
      if (!c) throw new Error(name);
      await plant(c.path(), kind);
      for (const run of await c.runs()) {
        const r = await runBounded(run.args, {
          cwd: run.cwd ?? e2e.dir,
          env: { GROKVID_HOME: state(), ...run.env },
          ...(run.input === undefined ? {} : { input: run.input }),
        });
        const what = `grokvid ${run.args.join(" ")}`;
        expect(r.timedOut, `hung: ${what}`).toBe(false);
        expect(r.code, `${what}: ${r.stderr}`).toBe(3);
        const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
        expect(lines, what).toHaveLength(1);
        expect(lines[0]).toContain(`${c.path()} ${words(kind, c)}`);
        expect(lines[0]).toContain("not a regular file; move it away");
      }
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );
});
