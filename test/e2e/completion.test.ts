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
          models: {
            "grok-json": { durations: [6] },
            "grok-upload": { durations: [10], ratios: ["21:9", "16:9"], resolutions: ["1080p"] },
          },
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

/** The words bash hands a completion function: split at blanks, and around `=` and `:` (COMP_WORDBREAKS). */
function compWords(line: string): string[] {
  const words = line
    .split(/\s+/)
    .filter((w) => w !== "")
    .flatMap((w) => w.split(/([=:])/).filter((part) => part !== ""));
  return line.endsWith(" ") ? [...words, ""] : words;
}

const quoted = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Drives bash's completion function non-interactively, as bash would on a TAB. */
function bashComplete(line: string, env: Record<string, string>): string[] {
  const script = `source <(grokvid completion bash)
COMP_LINE=${quoted(line)}; COMP_POINT=\${#COMP_LINE}
COMP_WORDS=(${compWords(line).map(quoted).join(" ")})
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

describe("values that are words, not files, sourced in bash", () => {
  /** Files whose names a shell that fell back to file names would offer for each of these. */
  function writeDecoys(): void {
    for (const name of ["16x9.txt", "480p.mp4", "queued.log", "poll.txt", "xai-notes.md", "jobs.jsonl"])
      writeFileSync(join(temp.dir, name), "");
  }

  it("config set and config get complete the config file's key paths", () => {
    const env = environment();
    writeDecoys();
    expect(bashComplete("grokvid config set poll.t", env)).toEqual(["poll.timeout"]);
    expect(bashComplete("grokvid config set providers.xai.defaults.", env)).toEqual([
      "providers.xai.defaults.duration",
      "providers.xai.defaults.ratio",
      "providers.xai.defaults.resolution",
    ]);
    const all = bashComplete("grokvid config set ", env);
    expect(all).toEqual(
      expect.arrayContaining([
        "defaultProvider",
        "poll.interval",
        "download.template",
        "providers.fal.model",
      ]),
    );
    // A key is never set from the command line (keys set stores it), so none is offered.
    expect(all.filter((k) => k.endsWith("apiKey"))).toEqual([]);
    expect(bashComplete("grokvid config get download.d", env)).toEqual(["download.dir"]);
    expect(bashComplete("grokvid config set poll.timeout ", env)).toEqual([]);
  });

  it("keys set completes provider names, configured gateways included", () => {
    const env = environment();
    writeFixtures();
    writeDecoys();
    expect(bashComplete("grokvid keys set ", env)).toEqual(
      expect.arrayContaining(["apimart", "xai", "fal", "my-proxy"]),
    );
    expect(bashComplete("grokvid keys set x", env)).toEqual(["xcompute", "xai"]);
  });

  it("--status completes the status words", () => {
    const env = environment();
    writeDecoys();
    const words = ["queued", "running", "succeeded", "failed", "cancelled", "expired"];
    expect(bashComplete("grokvid jobs --status ", env)).toEqual(words);
    expect(bashComplete("grokvid jobs --status q", env)).toEqual(["queued"]);
    expect(bashComplete("grokvid gallery --status ", env)).toEqual(words);
  });

  it("--ratio, --resolution and --duration complete what the chosen provider and model take", () => {
    const env = environment();
    writeFixtures();
    writeDecoys();
    expect(bashComplete("grokvid create --provider xai --ratio ", env)).toEqual([
      "1:1",
      "16:9",
      "9:16",
      "4:3",
      "3:4",
      "3:2",
      "2:3",
    ]);
    expect(bashComplete("grokvid create --provider xai --ratio 1", env)).toEqual(["1:1", "16:9"]);
    // bash hands over `9:1` as three words and replaces only what follows the colon.
    expect(bashComplete("grokvid create --provider xai --ratio 9:1", env)).toEqual(["16"]);
    expect(bashComplete("grokvid create --provider=xai --ratio=16:", env)).toEqual(["9"]);
    expect(bashComplete("grokvid create --provider xai --resolution ", env)).toEqual(["480p", "720p"]);
    expect(
      bashComplete("grokvid create --provider xai -m grok-imagine-video-1.5 --resolution ", env),
    ).toEqual(["480p", "720p", "1080p"]);
    expect(bashComplete("grokvid create --provider jimmyai --duration ", env)).toEqual(["10", "15"]);
    expect(bashComplete("grokvid --provider my-proxy create -m grok-upload --ratio ", env)).toEqual([
      "21:9",
      "16:9",
    ]);
    expect(bashComplete("grokvid create --provider=my-proxy --model=grok-upload --resolution ", env)).toEqual(
      ["1080p"],
    );
    // No provider on the line, in the environment or the config: every ratio some model takes.
    const any = bashComplete("grokvid create --ratio ", env);
    expect(any).toEqual(expect.arrayContaining(["16:9", "19.5:9", "auto", "21:9"]));
    expect(bashComplete("grokvid create --resolution 4", env)).toEqual(["480p"]);
  });

  it("file names only where a path goes", () => {
    const env = environment();
    writeDecoys();
    expect(bashComplete("grokvid batch j", env)).toEqual(["jobs.jsonl"]);
    expect(bashComplete("grokvid create --prompt-file po", env)).toEqual(["poll.txt"]);
    expect(bashComplete("grokvid create -o 48", env)).toEqual(["480p.mp4"]);
    expect(bashComplete("grokvid create --image x", env)).toEqual(["xai-notes.md"]);
    expect(bashComplete("grokvid create --template q", env)).toEqual([]);
    expect(bashComplete("grokvid jobs --limit q", env)).toEqual([]);
    expect(bashComplete("grokvid create x", env)).toEqual([]);
    // Nothing falls back to file names behind the script's back (`complete -o default` did).
    const registered = spawnSync("bash", ["-c", "source <(grokvid completion bash) && complete -p grokvid"], {
      cwd: temp.dir,
      env,
      encoding: "utf8",
    });
    expect(registered.stdout.trim()).toBe("complete -F _grokvid_completion grokvid");
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
