import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, makeTempDir, runCli } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

const hasShell = (shell: string): boolean => spawnSync(shell, ["-c", "exit 0"]).status === 0;

/** A `grokvid` on PATH that runs this worktree's build, as `npm link` would. */
function environment(): Record<string, string> {
  const bin = join(temp.dir, "bin");
  mkdirSync(bin);
  const shim = join(bin, "grokvid");
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(shim, 0o755);
  return {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    HOME: temp.dir,
    XDG_CONFIG_HOME: join(temp.dir, ".config"),
    GROKVID_HOME: join(temp.dir, "state"),
    NO_COLOR: "1",
  };
}

const created = (id: string, provider = "xai") =>
  JSON.stringify({ type: "created", at: "2026-12-01T10:00:00.000Z", id, provider, model: "m" });

function writeFixtures(): void {
  writeFileSync(
    join(temp.dir, ".grokvideorc.json"),
    JSON.stringify({
      gateways: {
        "my-proxy": {
          dialect: "openai-videos",
          baseUrl: "https://proxy.example.com",
          models: { "grok-json": { durations: [6] }, "grok-upload": { durations: [10] } },
        },
      },
    }),
  );
  mkdirSync(join(temp.dir, "state"));
  writeFileSync(
    join(temp.dir, "state", "journal.jsonl"),
    [
      created("task_old"),
      JSON.stringify({ type: "status", at: "x", id: "task_old", provider: "xai", status: "running" }),
      created("task_new"),
      // A gateway's id is untrusted: one with a space or a newline never reaches the shell's line.
      created("evil id;rm -rf"),
      created("evil\nid"),
      "",
    ].join("\n"),
  );
}

/** Drives bash's completion function non-interactively, as bash would on a TAB. */
function bashComplete(line: string, env: Record<string, string>): string[] {
  const script = `source <(grokvid completion bash)
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_grokvid_completion
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync("bash", ["-c", script], { cwd: temp.dir, env, encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout.split("\n").filter((l) => l !== "");
}

describe("grokvid completion bash, sourced in bash", () => {
  it("completes commands, flags, providers (a configured gateway too), models and job ids", () => {
    const env = environment();
    writeFixtures();
    expect(bashComplete("grokvid cr", env)).toEqual(["create"]);
    expect(bashComplete("grokvid create --provider ", env)).toEqual([
      "apimart",
      "xcompute",
      "jimmyai",
      "duoyuanx",
      "xai",
      "fal",
      "replicate",
      "openrouter",
      "aimlapi",
      "sandbox",
      "my-proxy",
    ]);
    expect(bashComplete("grokvid create --provider a", env)).toEqual(["apimart", "aimlapi"]);
    expect(bashComplete("grokvid create --provider xai --model ", env)).toEqual([
      "grok-imagine-video",
      "grok-imagine-video-1.5",
    ]);
    expect(bashComplete("grokvid create --provider my-proxy -m grok-u", env)).toEqual(["grok-upload"]);
    expect(bashComplete("grokvid create --dry", env)).toEqual(["--dry-run"]);
    expect(bashComplete("grokvid status --prov", env)).toEqual(["--provider"]);
    for (const command of ["status", "wait", "download", "edit", "extend"])
      expect(bashComplete(`grokvid ${command} `, env)).toEqual(["task_new", "task_old"]);
    expect(bashComplete("grokvid wait task_n", env)).toEqual(["task_new"]);
    expect(bashComplete("grokvid completion ", env)).toEqual(["bash", "zsh", "fish"]);
  });

  it("GROKVID_PROVIDER names the provider whose models complete when the line names none", () => {
    const env = { ...environment(), GROKVID_PROVIDER: "apimart" };
    expect(bashComplete("grokvid create --model ", env)).toEqual(["grok-imagine-1.5-video-apimart"]);
  });
});

describe("grokvid completion", () => {
  it("refuses an unknown shell with exit 2, naming the accepted ones", async () => {
    const r = await runCli(["completion", "tcsh"], { cwd: temp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bash, zsh, fish");
  });

  it.each(["bash", "zsh", "fish"])("prints a %s script that its shell parses", async (shell) => {
    const r = await runCli(["completion", shell], { cwd: temp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("grokvid __complete");
    if (!hasShell(shell)) return; // zsh and fish are not on every machine; bash is.
    const file = join(temp.dir, `script.${shell}`);
    writeFileSync(file, r.stdout);
    const check = spawnSync(shell, ["-n", file], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("__complete answers on stdout only, and never lists itself among the commands", async () => {
    const r = await runCli(["__complete", ""], { cwd: temp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const commands = r.stdout.trim().split("\n");
    expect(commands).toEqual(expect.arrayContaining(["create", "status", "completion", "jobs"]));
    expect(commands).not.toContain("__complete");
    const help = await runCli(["--help"], { cwd: temp.dir });
    expect(help.stdout).not.toContain("__complete");
  });
});
