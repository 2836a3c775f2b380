import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry.js";
import { providerIds } from "../../src/providers/types.js";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/types.js";
import { ROOT } from "../helpers/installed-package.js";
import { BIN } from "../helpers/run-cli.js";
import { freshDatabase } from "../helpers/postgres.js";

/**
 * Every ```sh block of the README, in order, run with bash as a user would paste it: in a fresh
 * folder, `grokvid` on the PATH, every provider pointed at the sandbox. A README that drifts from the
 * code fails here, under the heading of the block that drifted.
 *
 * A block that cannot run in a test says so just before its fence, with its reason:
 * `<!-- readme-test: skip (reason) -->`; one that shows a documented failure names its exit code:
 * `<!-- readme-test: exit N -->`.
 */

const README = readFileSync(join(ROOT, "README.md"), "utf8");

interface ShellBlock {
  heading: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
  script: string;
  skip?: string;
  exit?: number;
}

interface ReadmeScan {
  blocks: ShellBlock[];
  /** Fences of other languages, with their heading and text. */
  others: { lang: string; heading: string; line: number; text: string }[];
  /** Directives that cannot be obeyed: a skip without a reason, an unknown word, one before no sh fence. */
  problems: string[];
}

const DIRECTIVE = /^<!--\s*readme-test:\s*(.*?)\s*-->$/;

function scanReadme(text: string): ReadmeScan {
  const lines = text.split("\n");
  const scan: ReadmeScan = { blocks: [], others: [], problems: [] };
  let heading = "(top)";
  let directive: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence) {
      const lang = fence[1] ?? "";
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
      const block: ShellBlock = { heading, line: start + 1, script: body.join("\n") + "\n" };
      if (directive) {
        const skip = /^skip\b\s*(?:\((.*)\))?$/.exec(directive.text);
        const exit = /^exit (\d+)$/.exec(directive.text);
        if (skip && skip[1]?.trim()) block.skip = skip[1].trim();
        else if (skip) scan.problems.push(`README.md:${directive.line}: a skip needs its reason: skip (why)`);
        else if (exit) block.exit = Number(exit[1]);
        else
          scan.problems.push(
            `README.md:${directive.line}: unknown readme-test directive "${directive.text}"`,
          );
        if (lang !== "sh")
          scan.problems.push(
            `README.md:${directive.line}: a readme-test directive before a ${lang || "plain"} fence`,
          );
        directive = undefined;
      }
      if (lang === "sh") scan.blocks.push(block);
      else scan.others.push({ lang, heading, line: start + 1, text: block.script });
      continue;
    }
    const marker = DIRECTIVE.exec(line.trim());
    if (marker) {
      directive = { text: marker[1] ?? "", line: i + 1 };
      continue;
    }
    if (line.trim() === "") continue;
    if (directive) {
      scan.problems.push(
        `README.md:${directive.line}: a readme-test directive must stand just before a sh fence`,
      );
      directive = undefined;
    }
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title) heading = title[1] ?? heading;
  }
  return scan;
}

/** The text of the first fence of `lang` under `heading`: an example file the README shows. */
function readmeFile(lang: string, heading: string): string {
  const found = scanReadme(README).others.find((o) => o.lang === lang && o.heading === heading);
  if (!found) throw new Error(`no ${lang} block under "${heading}" in README.md`);
  return found.text;
}

/** A 1x1 PNG: the smallest image every dialect's checks accept as one. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const SANDBOX_KEY = "sk-readme-sandbox-0123456789";
const PASS_KEY = "sk-readme-pass-store-0123456789";
const TYPED_KEY = "sk-readme-typed-0123456789";

/**
 * What a block takes for granted that a user already has: files in the folder it runs in (its
 * HOME), links to this clone's own files, commands beside `grokvid` on the PATH, and what is typed
 * at a prompt. `under` limits an entry to the blocks of one heading; without it every block gets it.
 */
type Fixture = { under?: string } & (
  | { file: string; content: string | Buffer }
  | { env: () => Promise<{ vars: Record<string, string>; done: () => Promise<void> }> }
  | { file: string; linkTo: string }
  | { command: string; script: string }
  | { stdin: string }
);

const fixtures: Fixture[] = [
  // `npm run demo` runs in a clone: its package.json, and bin/ (which finds dist/ beside itself).
  { under: "Quick start", file: "package.json", linkTo: join(ROOT, "package.json") },
  { under: "Quick start", file: "bin", linkTo: join(ROOT, "bin") },
  { file: "ref.png", content: PNG },
  { file: "cat.png", content: PNG },
  { file: "a.png", content: PNG },
  { file: "prompts.txt", content: "a red fox in snow\nneon street at night\n" },
  // The batch file the README shows under "Batch jobs", under both names the README gives it.
  { file: "jobs.jsonl", content: readmeFile("json", "Batch jobs") },
  { file: "shots.jsonl", content: readmeFile("json", "Batch jobs") },
  // The gateway the README describes, in the user's own config file (its baseUrl is overridden by
  // GROKVID_MY_PROXY_BASE_URL below); only for its block, since `config set` writes JSON files only.
  {
    under: "Your own gateway",
    file: ".config/grokvid/config.yaml",
    content: readmeFile("yaml", "Your own gateway"),
  },
  // The shared journal's database: a fresh one of the test server's.
  {
    under: "A journal many machines share: PostgreSQL",
    env: async () => {
      const db = await freshDatabase();
      return { vars: { GROKVID_JOURNAL_URL: db.url }, done: () => db.drop() };
    },
  },
  // The password store of `pass show apimart | grokvid keys set apimart`, and the typed key.
  { under: "Keys", command: "pass", script: `#!/bin/sh\necho ${PASS_KEY}\n` },
  { under: "Keys", stdin: `${TYPED_KEY}\n` },
];

let sandbox: Sandbox;

beforeAll(async () => {
  // Jobs finish at once, so no poll of any block sleeps.
  sandbox = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 } });
});
afterAll(() => sandbox.close());

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The machine's system PATH only, after `grokvid` (a shim to the built bin) and this node. */
function blockEnv(root: string, home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: `${join(root, "bin")}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    GROKVID_HOME: join(root, "state"),
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    // The user's editor and browser: `config edit` and `gallery --open` come back at once.
    VISUAL: "true",
    BROWSER: "true",
    // `--provider sandbox` (npm run demo) finishes its jobs at once too; npm asks no registry.
    GROKVID_SANDBOX_DELAY: "0s",
    npm_config_update_notifier: "false",
    // The gateway of "Your own gateway" speaks openai-videos, the dialect duoyuanx's prefix serves.
    GROKVID_MY_PROXY_BASE_URL: sandbox.baseUrl("duoyuanx"),
  };
  for (const id of providerIds) {
    const upper = id.toUpperCase();
    env[`GROKVID_${upper}_BASE_URL`] = sandbox.baseUrl(id);
    env[`GROKVID_${upper}_API_KEY`] = SANDBOX_KEY;
  }
  return env;
}

/**
 * A variable a block sets must not take a provider off the sandbox: a base URL never, and a key
 * variable only where grokvid reads the harness's GROKVID_<P>_API_KEY first (a platform's own
 * variable), or where any key works (GROKVID_<P>_API_KEY itself, a gateway's keyEnv).
 */
function variableProblems(script: string, env: Record<string, string>): string[] {
  const shadowed = new Map<string, string>();
  for (const id of providerIds) {
    const own = providers[id].ecosystemKeyVariable;
    if (own) shadowed.set(own, `GROKVID_${id.toUpperCase()}_API_KEY`);
  }
  const problems: string[] = [];
  for (const [, name] of script.matchAll(/(?:^|[\s;&|(])(?:export\s+)?([A-Z][A-Z0-9_]*)=/g)) {
    if (!name) continue;
    if (name.endsWith("_BASE_URL")) problems.push(`${name} would move a provider off the sandbox`);
    const wins = shadowed.get(name);
    if (wins && !env[wins]) problems.push(`${name} is read, since ${wins} is not set`);
  }
  return problems;
}

interface BlockRun {
  status: number | null;
  output: string;
}

function runBash(script: string, cwd: string, env: Record<string, string>, stdin: string): Promise<BlockRun> {
  return new Promise((resolve, reject) => {
    // Spawned, never spawnSync: the sandbox answers from this process's event loop.
    const child = spawn("/bin/bash", ["-c", `set -euo pipefail\n${script}`], {
      cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
    // A command that exits before reading its input closes the pipe: that EPIPE is no failure.
    child.stdin.on("error", () => {});
    child.stdin.end(stdin);
  });
}

async function runBlock(block: ShellBlock): Promise<BlockRun> {
  const root = await mkdtemp(join(tmpdir(), "grokvid-readme-sh-"));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const home = join(root, "home");
    await mkdir(join(root, "bin"), { recursive: true });
    await mkdir(home);
    await writeFile(
      join(root, "bin", "grokvid"),
      `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(BIN)} "$@"\n`,
      { mode: 0o755 },
    );
    let stdin = "";
    let vars: Record<string, string> = {};
    for (const fixture of fixtures) {
      if (fixture.under !== undefined && fixture.under !== block.heading) continue;
      if ("env" in fixture) {
        const made = await fixture.env();
        vars = { ...vars, ...made.vars };
        cleanups.push(made.done);
      } else if ("file" in fixture) {
        await mkdir(dirname(join(home, fixture.file)), { recursive: true });
        if ("linkTo" in fixture) await symlink(fixture.linkTo, join(home, fixture.file));
        else await writeFile(join(home, fixture.file), fixture.content);
      } else if ("command" in fixture) {
        await writeFile(join(root, "bin", fixture.command), fixture.script);
        await chmod(join(root, "bin", fixture.command), 0o755);
      } else stdin += fixture.stdin;
    }
    const env = { ...blockEnv(root, home), ...vars };
    expect(variableProblems(block.script, env), "a variable the block sets").toEqual([]);
    sandbox.requests.length = 0;
    return await runBash(block.script, home, env, stdin);
  } finally {
    for (const done of cleanups) await done();
    await rm(root, { recursive: true, force: true });
  }
}

/** Every example.com URL a block (or a file it names) hands grokvid reaches the gateway as it is. */
function exampleUrls(block: ShellBlock): string[] {
  let text = block.script;
  for (const f of fixtures)
    if ("content" in f && typeof f.content === "string" && block.script.includes(f.file)) text += f.content;
  return [...new Set(text.match(/https?:\/\/example\.com\/[\w./-]+/g) ?? [])];
}

const scan = scanReadme(README);
const label = (b: ShellBlock) => `${b.heading} (README.md:${b.line})`;

describe("the README's shell examples", () => {
  it("every readme-test directive can be obeyed; every skip says why", () => {
    expect(scan.problems).toEqual([]);
    expect(scan.blocks.length).toBeGreaterThan(10);
    // A fixture for a heading that was renamed would silently stop applying.
    const headings = new Set(scan.blocks.map((b) => b.heading));
    expect(
      fixtures.flatMap((f) => (f.under === undefined || headings.has(f.under) ? [] : [f.under])),
    ).toEqual([]);
    const skipped = scan.blocks.filter((b) => b.skip !== undefined);
    // Listed in the output, so a skip is never silent.
    process.stdout.write(
      `README sh blocks not run (${skipped.length} of ${scan.blocks.length}):\n` +
        skipped.map((b) => `  ${label(b)}: ${b.skip}\n`).join(""),
    );
  });

  it("no shell commands hide in a fence of another language", () => {
    const hidden = scan.others.filter((o) => /^(\$ )?(grokvid|npm|npx) /m.test(o.text));
    expect(hidden.map((o) => `${o.heading} (README.md:${o.line}, ${o.lang || "plain"})`)).toEqual([]);
  });

  for (const block of scan.blocks) {
    if (block.skip !== undefined) {
      it.skip(`${label(block)}: skipped (${block.skip})`, () => {});
      continue;
    }
    const expected = block.exit ?? 0;
    it(`${label(block)} runs${expected ? `, exit ${expected}` : ""}`, async () => {
      const run = await runBlock(block);
      const shown = `${label(block)}:\n${block.script}\n--- output:\n${run.output}`;
      expect(run.status, shown).toBe(expected);
      expect(run.output, `a stack trace in ${shown}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      // A command that failed where bash cannot see it (`cmd &` ... `wait`) still printed its error.
      if (expected === 0) expect(run.output, `an error line in ${shown}`).not.toMatch(/^error:/m);
      for (const key of [SANDBOX_KEY, PASS_KEY, TYPED_KEY]) expect(run.output).not.toContain(key);
      // grokvid only passes public URLs on: each one is in a request the sandbox got.
      const bodies = sandbox.requests.map((r) => JSON.stringify(r.body ?? null)).join("\n");
      for (const url of exampleUrls(block)) expect(bodies, `${url} sent to the gateway`).toContain(url);
    }, 120_000);
  }
});
