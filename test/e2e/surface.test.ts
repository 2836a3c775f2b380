import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PNG_1X1 } from "../fixtures/images.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { scriptedServer } from "../helpers/http-deps.js";
import { BIN, runCli } from "../helpers/run-cli.js";
import { helpExamples } from "../../src/cli/help-examples.js";

const e2e = useE2e();

describe("secrets", () => {
  const ENV_KEY = "sk-canary-env-7f3a9c1e5b";
  const FILE_KEY = "sk-canary-file-2d8e6a4c0f";

  it("a key from the environment or the config file appears in no output of any command", async () => {
    await writeFile(join(e2e.dir, "ref.png"), PNG_1X1);
    await writeFile(
      join(e2e.dir, ".grokvideorc.json"),
      JSON.stringify({
        providers: { duoyuanx: { apiKey: FILE_KEY, baseUrl: e2e.sandbox.baseUrl("duoyuanx") } },
      }),
    );
    const env = {
      GROKVID_APIMART_API_KEY: ENV_KEY,
      GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart"),
    };
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await runCli([...args, "--verbose"], { cwd: e2e.dir, env });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await run(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"]);
    await run(["create", "--provider", "duoyuanx", "--prompt", "p", "--image", "ref.png", "--dry-run"]);
    const created = await run([
      "create",
      "--provider",
      "apimart",
      "--prompt",
      "p",
      "--download",
      "--interval",
      "100ms",
    ]);
    expect(created.code).toBe(0);
    const id = (
      await run(["create", "--provider", "duoyuanx", "--model", "grok-video-1.5", "--prompt", "p"])
    ).stdout.trim();
    await run(["status", id, "--provider", "duoyuanx", "--json"]);
    await run(["download", id, "--provider", "duoyuanx", "--interval", "100ms", "-o", "d.mp4"]);
    await run(["status", "video_unknown", "--provider", "duoyuanx"]);
    await run(["create", "--provider", "apimart", "--prompt", "p [error500]"]);
    await run(["create", "--provider", "apimart", "--prompt", "p", "--duration", "99"]);
    // The key really was used: the gateway saw authenticated requests and answered them.
    expect(e2e.sandbox.requests.some((q) => q.dialect === "duoyuanx" && q.status === 200)).toBe(true);
    expect((await readFile(join(e2e.dir, "d.mp4"))).equals(generateTaskVideo(id))).toBe(true);
    const all = outputs.join("\n");
    expect(all).toContain("Bearer ");
    expect(all).not.toContain(ENV_KEY);
    expect(all).not.toContain(FILE_KEY);
    expect(JSON.stringify(e2e.sandbox.requests)).not.toContain(ENV_KEY);
  });
});

describe("redaction", () => {
  it("a gateway that echoes the key back in its error never gets it onto the screen", async () => {
    const key = "sk-canary-echo-5e1b7d3a9f";
    const echo = await scriptedServer((req, res) => {
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: `bad token ${req.headers.authorization}`, type: "auth" } }));
    });
    try {
      const r = await runCli(["status", "task_1", "--provider", "apimart", "--verbose", "--json"], {
        cwd: e2e.dir,
        env: { GROKVID_APIMART_API_KEY: key, GROKVID_APIMART_BASE_URL: echo.url },
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("bad token Bearer ***");
      expect(r.stdout + r.stderr).not.toContain(key);
    } finally {
      await echo.close();
    }
  });
});

describe("--dry-run", () => {
  it("prints the exact request with the key masked and sends nothing", async () => {
    const r = await runCli(
      [
        "create",
        "--provider",
        "apimart",
        "--prompt",
        "dog",
        "--duration",
        "6",
        "--ratio",
        "9:16",
        "--resolution",
        "720p",
        "--dry-run",
      ],
      {
        cwd: e2e.dir,
        env: {
          GROKVID_APIMART_API_KEY: "sk-dryrun-secret-1234",
          GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart"),
        },
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      method: "POST",
      url: `${e2e.sandbox.baseUrl("apimart")}/v1/videos/generations`,
      headers: { Authorization: "Bearer sk-***34", "Content-Type": "application/json" },
      body: {
        model: "grok-imagine-1.5-video-apimart",
        prompt: "dog",
        size: "9:16",
        duration: 6,
        quality: "720p",
      },
    });
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe("--provider sandbox", () => {
  it("needs no key and no network, and downloads a real mp4", async () => {
    const env = { GROKVID_SANDBOX_DELAY: "0" };
    const r = await runCli(
      ["create", "--provider", "sandbox", "--prompt", "fox", "--download", "-o", "fox.mp4"],
      {
        cwd: e2e.dir,
        env,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("fox.mp4\n");
    const bytes = await readFile(join(e2e.dir, "fox.mp4"));
    expect(bytes.subarray(4, 8).toString()).toBe("ftyp");
    // A later process answers about the same task: the sandbox's ids carry their own state.
    const id = /submitted task (\S+)/.exec(r.stderr)?.[1] ?? "";
    const status = await runCli(["status", id, "--provider", "sandbox", "--json"], { cwd: e2e.dir, env });
    expect(JSON.parse(status.stdout)).toMatchObject({ id, provider: "sandbox", status: "succeeded" });
  });
});

/** An option's entries in a command's help: each starts with "  -" and may wrap onto more lines. */
function optionEntries(help: string): string[] {
  return help
    .slice(help.indexOf("Options:"))
    .split(/\n(?= {2}-)/)
    .slice(1)
    .map((e) => e.replace(/\s+/g, " ").trim());
}

describe("help", () => {
  const commands = ["create", "status", "wait", "download", "sandbox"];
  // Every command and subcommand: a unit test holds helpExamples' keys to the declared commands.
  const everyCommand = Object.keys(helpExamples);

  it.each(everyCommand)(
    "grokvid %s --help says nothing of a default, or a default that means something",
    async (path) => {
      const r = await runCli([...path.split(" "), "--help"], { cwd: e2e.dir, env: { COLUMNS: "400" } });
      expect(r.code).toBe(0);
      for (const entry of optionEntries(r.stdout)) {
        const defaults = entry.split("(default: ").slice(1);
        expect(defaults.length, entry).toBeLessThanOrEqual(1);
        // "(default: none)" says nothing a flag without a default would not; what is absent is told plainly.
        for (const text of defaults) expect(text, entry).toMatch(/^(?!none\b|\)|\[\])\S/);
      }
    },
  );

  it("a flag with a real default names it", async () => {
    const r = await runCli(["create", "--help"], { cwd: e2e.dir, env: { COLUMNS: "400" } });
    const entries = optionEntries(r.stdout);
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.find((e) => e.includes("--timeout"))).toContain(
      "(default: 30m, or poll.timeout in config)",
    );
    expect(entries.find((e) => e.startsWith("-p, --prompt"))).toContain("this or --prompt-file is required");
  });

  it("grokvid --help and --version exit 0", async () => {
    const help = await runCli(["--help"], { cwd: e2e.dir });
    expect(help.code).toBe(0);
    for (const command of commands) expect(help.stdout).toContain(command);
    const version = await runCli(["--version"], { cwd: e2e.dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("grokvid sandbox", () => {
  it("serves every dialect until interrupted, then exits 0", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0"], {
      cwd: e2e.dir,
      env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1" },
    });
    let stdout = "";
    const ready = new Promise<void>((resolve) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes("DUOYUANX")) resolve();
      });
    });
    await ready;
    const base = /GROKVID_APIMART_BASE_URL=(\S+)/.exec(stdout)?.[1] ?? "";
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apimart$/);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: { GROKVID_APIMART_API_KEY: "any-key-works", GROKVID_APIMART_BASE_URL: base },
    });
    expect(r.stdout).toMatch(/^task_\w+\n$/);
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
