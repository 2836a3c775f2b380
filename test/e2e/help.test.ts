import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess } from "../helpers/in-process.js";
import { makeTempDir, runCli } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

const ENVIRONMENT = [
  "GROKVID_PROVIDER",
  "GROKVID_<PROVIDER>_API_KEY",
  "XAI_API_KEY",
  "GROKVID_<PROVIDER>_BASE_URL",
  "GROKVID_CONFIG",
  "GROKVID_HOME",
  "NO_COLOR",
  "FORCE_COLOR",
];

describe("help that teaches", () => {
  it("bare grokvid prints the help on stdout and exits 0", async () => {
    const r = await runCli([], { cwd: temp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Usage: grokvid /);
    expect(r.stdout).toContain("completion <shell>");
  });

  it("the top-level help lists the environment variables and every exit code", async () => {
    const r = await runCli(["--help"], { cwd: temp.dir });
    expect(r.code).toBe(0);
    const environment = r.stdout.slice(r.stdout.indexOf("\nEnvironment:\n"));
    for (const name of ENVIRONMENT)
      expect(environment).toMatch(new RegExp(`\\n {2}${name.replace(/[<>]/g, ".")} `));
    const codes = r.stdout.slice(r.stdout.indexOf("\nExit codes:\n"));
    const listed = [...codes.matchAll(/^ {2}\s*(\d+) {2}\S/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 130]);
    expect(codes).toMatch(/ {3}2 {2}invalid usage or input; nothing was sent\n/);
  });

  it.each(["create", "status", "batch", "completion"])(
    "grokvid %s --help ends with examples",
    async (command) => {
      const r = await runCli([command, "--help"], { cwd: temp.dir });
      expect(r.code).toBe(0);
      const tail = r.stdout
        .slice(r.stdout.lastIndexOf("\nExamples:\n") + 1)
        .trimEnd()
        .split("\n");
      expect(tail[0]).toBe("Examples:");
      expect(tail.length).toBeGreaterThanOrEqual(3);
      expect(tail.length).toBeLessThanOrEqual(4);
      for (const line of tail.slice(1)) expect(line).toMatch(new RegExp(`^ {2}\\$ .*grokvid ${command} `));
      // Examples belong to their command: the top-level help shows none.
      expect((await runCli(["--help"], { cwd: temp.dir })).stdout).not.toContain("Examples:");
    },
  );

  it("grokvid version, -v, -V and --version print the same version, on stdout", async () => {
    for (const args of [["version"], ["-v"], ["-V"], ["--version"]]) {
      const r = await runCli(args, { cwd: temp.dir });
      expect(r.code, args[0]).toBe(0);
      expect(r.stdout, args[0]).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect(r.stderr).toBe("");
      // The same answer from the CLI itself, not only from bin/grokvid.cjs's shortcut.
      const inside = await runInProcess(args, { cwd: temp.dir, env: {} });
      expect(inside.code, args[0]).toBe(0);
      expect(inside.stdout).toBe(r.stdout);
    }
  });
});
