import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess } from "../helpers/in-process.js";
import { makeTempDir, runCli } from "../helpers/run-cli.js";
import { batchFields } from "../../src/core/batch/batch-file.js";

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
    },
  );

  it("the top-level help groups the commands by what they are for, as gh does", async () => {
    const r = await runCli(["--help"], { cwd: temp.dir, env: { COLUMNS: "200" } });
    expect(r.code).toBe(0);
    const sections = new Map<string, string[]>();
    let heading = "";
    for (const line of r.stdout.split("\n")) {
      if (/^\S.*:$/.test(line)) sections.set((heading = line), []);
      const name = /^ {2}([a-z][\w-]*)\b/.exec(line)?.[1];
      if (name) sections.get(heading)?.push(name);
    }
    const headings = [...sections.keys()];
    expect(headings.slice(0, 6)).toEqual([
      "Options:",
      "Common options (before or after the command):",
      "Jobs:",
      "Review:",
      "Setup:",
      "Environment:",
    ]);
    expect(headings).not.toContain("Commands:");
    expect(sections.get("Jobs:")).toEqual(
      expect.arrayContaining(["create", "status", "wait", "download", "cancel", "batch", "resume"]),
    );
    expect(sections.get("Review:")).toEqual(
      expect.arrayContaining(["jobs", "gallery", "balance", "providers"]),
    );
    expect(sections.get("Setup:")).toEqual(
      expect.arrayContaining(["keys", "config", "doctor", "completion", "sandbox", "version", "help"]),
    );
    const listed = [...sections.get("Jobs:")!, ...sections.get("Review:")!, ...sections.get("Setup:")!];
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("the top-level help ends with examples and where to read more", async () => {
    const r = await runCli(["--help"], { cwd: temp.dir, env: { COLUMNS: "200" } });
    const lines = r.stdout.trimEnd().split("\n");
    const at = lines.lastIndexOf("Examples:");
    expect(at).toBeGreaterThan(lines.indexOf("Exit codes:"));
    const examples = lines.slice(at + 1, lines.indexOf("", at));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples) expect(line).toMatch(/^ {2}\$ grokvid [a-z]+ /);
    expect(lines.at(-1)).toMatch(/grokvid <command> --help/);
  });

  it("grokvid batch --help lists every field a line may have", async () => {
    const r = await runCli(["batch", "--help"], { cwd: temp.dir, env: { COLUMNS: "200" } });
    expect(r.code).toBe(0);
    const start = r.stdout.indexOf("\nFields of a line");
    expect(start).toBeGreaterThan(r.stdout.indexOf("Options:"));
    const section = r.stdout.slice(start + 1, r.stdout.indexOf("\n\n", start + 1)).split("\n");
    const listed = section.slice(1).map((line) => /^ {2}(\S+) {2,}\S/.exec(line)?.[1]);
    expect(listed).toEqual([...batchFields]);
    expect(section.find((line) => line.startsWith("  prompt "))).toContain("required");
  });

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
