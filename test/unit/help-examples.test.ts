import { Writable } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { helpExamples, programExamples } from "../../src/cli/help-examples.js";
import { commandGroups } from "../../src/cli/help-groups.js";
import { buildProgram } from "../../src/cli/program.js";

const sink = Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false });
const program = buildProgram({
  stdout: sink,
  stderr: sink,
  env: {},
  cwd: "/",
  signal: new AbortController().signal,
  stdin: process.stdin,
});

/** Every command and subcommand with its path, `config trust` included. */
function commandPaths(parent: Command, prefix = ""): Array<[string, Command]> {
  return parent.commands.flatMap((cmd) => {
    const path = `${prefix}${cmd.name()}`;
    return [[path, cmd] as [string, Command], ...commandPaths(cmd, `${path} `)];
  });
}
const commands = commandPaths(program);

describe("help examples", () => {
  it("exist for every declared command, and only for declared commands", () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const [path] of commands) {
      const examples = helpExamples[path] ?? [];
      expect(examples.length, path).toBeGreaterThanOrEqual(2);
      expect(examples.length, path).toBeLessThanOrEqual(3);
    }
    const paths = commands.map(([path]) => path);
    for (const key of Object.keys(helpExamples)) expect(paths).toContain(key);
  });

  it.each(commands)("%s: each example runs that command with flags it declares", (path, cmd) => {
    for (const example of helpExamples[path] ?? []) expectRuns(example, path, cmd);
  });

  it("the top-level help's examples run declared commands with flags they declare", () => {
    expect(programExamples.length).toBeGreaterThanOrEqual(3);
    for (const example of programExamples) {
      const [path, cmd] = commands.findLast(([p]) => example.startsWith(`grokvid ${p} `)) ?? [];
      expect(cmd, example).toBeDefined();
      if (path && cmd) expectRuns(example, path, cmd);
    }
  });
});

describe("the top-level help's sections", () => {
  it("hold every command, once", () => {
    const grouped: string[] = Object.values(commandGroups).flat();
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const cmd of program.commands)
      expect(Object.keys(commandGroups), cmd.name()).toContain(cmd.helpGroup());
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...grouped].sort());
  });
});

function expectRuns(example: string, path: string, cmd: Command): void {
  const flags = new Set([...cmd.options.flatMap((o) => [o.long, o.short]), "--help"]);
  const own = path === "version" ? /grokvid (version|-v)\b/ : new RegExp(`grokvid ${path}\\b`);
  expect(example).toMatch(own);
  // Flags of the command line itself; a shell pipeline's other commands may follow a `|`.
  const line = example.slice(example.indexOf("grokvid")).split(" | ")[0] ?? "";
  const used = line.match(/(?<=\s)--?[a-z][\w-]*/g) ?? [];
  for (const flag of used) if (!(path === "version" && flag === "-v")) expect(flags, example).toContain(flag);
}
