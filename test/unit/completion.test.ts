import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { completeWords, type CompletionSources } from "../../src/cli/completion/candidates.js";
import { FILE_NAMES } from "../../src/cli/completion/scripts.js";
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
    async configKeys() {
      asked.push("config keys");
      return ["defaultProvider", "poll.interval", "poll.timeout"];
    },
    async flagValues(flag, choice) {
      asked.push(`${flag} ${JSON.stringify(choice)}`);
      return flag === "ratio" ? ["16:9", "9:16"] : flag === "resolution" ? ["480p", "720p"] : ["6", "10"];
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
    expect(await complete(["jobs", "--status", "f"])).toEqual(["failed"]);
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

  it("completes a model's limits for the provider and model on the line, before or after the command", async () => {
    const s = sources();
    expect(await complete(["create", "--provider", "xai", "-m", "v2", "--ratio", ""], s)).toEqual([
      "16:9",
      "9:16",
    ]);
    expect(await complete(["--provider", "xai", "create", "--resolution", "7"], s)).toEqual(["720p"]);
    expect(await complete(["extend", "task_1", "--duration", ""], s)).toEqual(["6", "10"]);
    expect(await complete(["create", "--ratio=9"], s)).toEqual(["--ratio=9:16"]);
    // bash splits at a colon: the word is joined again, and only what follows the colon goes back.
    expect(await complete(["create", "--ratio", "9", ":", "1"], s)).toEqual(["16"]);
    expect(await complete(["create", "--ratio", "=", "16", ":"], s)).toEqual(["9"]);
    expect(s.asked).toEqual([
      'ratio {"provider":"xai","model":"v2"}',
      'resolution {"provider":"xai"}',
      'duration {"operation":"extend"}',
      "ratio {}",
      "ratio {}",
      "ratio {}",
    ]);
  });

  it("completes config keys, providers and status words where the declarations name them", async () => {
    expect(await complete(["config", "set", "poll."])).toEqual(["poll.interval", "poll.timeout"]);
    expect(await complete(["config", "get", ""])).toEqual([
      "defaultProvider",
      "poll.interval",
      "poll.timeout",
    ]);
    expect(await complete(["config", "set", "poll.interval", ""])).toEqual([]);
    expect(await complete(["keys", "set", "x"])).toEqual(["xai"]);
    expect(await complete(["gallery", "--status", "s"])).toEqual(["succeeded"]);
    expect(await complete(["cancel", "task_2", "task_"])).toEqual(["task_2", "task_1"]);
  });

  it("answers FILE_NAMES where a path goes, and nothing where no word is known", async () => {
    for (const words of [
      ["batch", ""],
      ["config", "trust", "./"],
      ["create", "-o", ""],
      ["create", "--output=v"],
      ["create", "--prompt-file", "p"],
      ["create", "--image", ""],
      ["create", "--config", ""],
      ["batch", "jobs.jsonl", "--out-dir", ""],
      ["gallery", "--batch", ""],
    ])
      expect(await complete(words), words.join(" ")).toEqual([FILE_NAMES]);
    for (const words of [
      ["create", ""],
      ["create", "--template", ""],
      ["jobs", "--limit", ""],
      ["wait", "--timeout", ""],
      ["status", "task_1", ""],
    ])
      expect(await complete(words), words.join(" ")).toEqual([]);
  });
});
