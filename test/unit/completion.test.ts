import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { completeWords, type CompletionSources } from "../../src/cli/completion/candidates.js";
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

/** Sources that record what was asked, so a test sees that nothing else was read. */
function sources(): CompletionSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async providers() {
      asked.push("providers");
      return ["apimart", "xai", "my-proxy"];
    },
    async models(provider) {
      asked.push(`models ${provider ?? "(default)"}`);
      return provider === "xai" ? ["grok-imagine-video", "grok-imagine-video-1.5"] : ["m1"];
    },
    async jobIds() {
      asked.push("ids");
      return ["task_2", "task_1", "bad id", "esc\u001b[2J"];
    },
  };
}

const complete = (words: string[], s = sources()) => completeWords(program, words, s);

describe("completeWords", () => {
  it("completes commands, subcommands and each command's own flags", async () => {
    expect(await complete(["cr"])).toEqual(["create"]);
    expect(await complete(["config", ""])).toEqual([
      "trust",
      "path",
      "get",
      "set",
      "unset",
      "list",
      "edit",
      "help",
    ]);
    expect(await complete(["jobs", "--"])).toContain("--limit");
    expect(await complete(["jobs", "--"])).not.toContain("--prompt");
    expect(await complete(["create", "--re"])).toEqual(["--resolution", "--reference-image"]);
  });

  it("completes a value flag's value, and the model of the provider on the line", async () => {
    const s = sources();
    expect(await complete(["create", "--provider", "m"], s)).toEqual(["my-proxy"]);
    expect(await complete(["create", "--provider", "xai", "--model", ""], s)).toEqual([
      "grok-imagine-video",
      "grok-imagine-video-1.5",
    ]);
    expect(await complete(["create", "-m", ""], s)).toEqual(["m1"]);
    expect(s.asked).toEqual(["providers", "models xai", "models (default)"]);
    expect(await complete(["jobs", "--status", "f"])).toEqual([]);
  });

  it("understands --flag=value as bash splits it and as zsh and fish pass it", async () => {
    expect(await complete(["create", "--provider", "=", "a"])).toEqual(["apimart"]);
    expect(await complete(["create", "--provider", "="])).toEqual(["apimart", "xai", "my-proxy"]);
    expect(await complete(["create", "--provider", "=", "xai", "--model", "grok-imagine-video-"])).toEqual([
      "grok-imagine-video-1.5",
    ]);
    expect(await complete(["create", "--provider=a"])).toEqual(["--provider=apimart"]);
    expect(await complete(["create", "--provider=xai", "--model=grok-imagine-video-"])).toEqual([
      "--model=grok-imagine-video-1.5",
    ]);
  });

  it("offers journal ids only where a job id goes, and only ids a shell can insert as they are", async () => {
    const s = sources();
    expect(await complete(["status", ""], s)).toEqual(["task_2", "task_1"]);
    expect(await complete(["wait", "--json", "task_1"], s)).toEqual(["task_1"]);
    expect(await complete(["status", "task_1", ""], s)).toEqual([]);
    expect(await complete(["create", ""], s)).toEqual([]);
    expect(s.asked).toEqual(["ids", "ids"]);
  });
});
