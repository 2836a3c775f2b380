import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import type { SandboxDialect } from "../../src/sandbox/server.js";
import { PNG_1X1 } from "../fixtures/images.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
beforeEach(() => writeFile(join(e2e.dir, "ref.png"), PNG_1X1));

const cases: Array<{ name: string; dialect: SandboxDialect; flags: string[] }> = [
  {
    name: "apimart",
    dialect: "apimart",
    flags: ["--duration", "6", "--ratio", "16:9", "--resolution", "720p"],
  },
  { name: "xcompute", dialect: "xcompute", flags: ["--duration", "10", "--resolution", "480p"] },
  {
    name: "jimmyai",
    dialect: "jimmyai",
    flags: ["--duration", "15", "--image", "https://example.com/cup.jpg"],
  },
  {
    name: "duoyuanx preview",
    dialect: "duoyuanx",
    flags: ["--duration", "8", "--ratio", "21:9", "--resolution", "720p", "--image", "ref.png"],
  },
  {
    name: "duoyuanx grok-video-1.5-pro",
    dialect: "duoyuanx",
    flags: [
      "--model",
      "grok-video-1.5-pro",
      "--duration",
      "10",
      "--resolution",
      "1080p",
      "--image",
      "ref.png",
    ],
  },
];

describe.each(cases)("$name: create, status, wait, download", ({ dialect, flags }) => {
  it("prints only the id, then completes every step with byte-exact video", async () => {
    const env = e2e.envFor(dialect);
    const common = ["--provider", dialect];
    const created = await runCli(["create", ...common, "--prompt", "a dog on a beach", ...flags], {
      cwd: e2e.dir,
      env,
    });
    expect(created.stderr).not.toContain("error");
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(created.stdout).toBe(`${id}\n`);
    expect(id).toMatch(/^[\w-]+$/);
    expect(created.stderr).toContain(`submitted task ${id}`);

    const status = await runCli(["status", id, ...common], { cwd: e2e.dir, env });
    expect(status.code).toBe(0);
    expect(status.stdout.split("\t")[0]).toBe(id);
    expect(status.stdout.split("\t")[1]).toMatch(/^(queued|running)/);

    const waited = await runCli(["wait", id, ...common, "--interval", "100ms"], { cwd: e2e.dir, env });
    expect(waited.code).toBe(0);
    expect(waited.stdout.trim().split("\t").slice(0, 2)).toEqual([id, "succeeded"]);

    const downloaded = await runCli(["download", id, ...common, "-o", "out.mp4"], { cwd: e2e.dir, env });
    expect(downloaded.code).toBe(0);
    expect(downloaded.stdout).toBe("out.mp4\n");
    const bytes = await readFile(join(e2e.dir, "out.mp4"));
    expect(bytes.equals(generateTaskVideo(id))).toBe(true);
  });
});

describe("create --wait --download in one command", () => {
  it("saves the video under the default template name and prints the path", async () => {
    const env = e2e.envFor("apimart");
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "waves", "--download", "--interval", "100ms"],
      { cwd: e2e.dir, env },
    );
    expect(r.code).toBe(0);
    const path = r.stdout.trim();
    expect(path).toMatch(/^apimart-task_\w+\.mp4$/);
    const id = path.slice("apimart-".length, -".mp4".length);
    expect((await readFile(join(e2e.dir, path))).equals(generateTaskVideo(id))).toBe(true);
  });

  it("--json prints exactly one JSON document with the normalized task and the path", async () => {
    const env = e2e.envFor("jimmyai");
    const r = await runCli(
      [
        "create",
        "--provider",
        "jimmyai",
        "--prompt",
        "tea",
        "--image",
        "https://example.com/cup.jpg",
        "--download",
        "-o",
        "tea.mp4",
        "--json",
        "--interval",
        "100ms",
      ],
      { cwd: e2e.dir, env },
    );
    expect(r.code).toBe(0);
    const doc: unknown = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      provider: "jimmyai",
      model: "grok-imagine-video-1.5",
      status: "succeeded",
      progress: 100,
      error: null,
      path: "tea.mp4",
    });
    expect(Object.keys(doc ?? {}).sort()).toEqual(
      [
        "createdAt",
        // What the saved file's own header says it is.
        "delivered",
        "error",
        "id",
        "model",
        "path",
        "progress",
        "provider",
        "raw",
        "status",
        "updatedAt",
        "videoUrl",
      ].sort(),
    );
  });

  it("reads the prompt from standard input with --prompt-file -", async () => {
    const env = e2e.envFor("apimart");
    const r = await runCli(["create", "--provider", "apimart", "--prompt-file", "-", "--dry-run"], {
      cwd: e2e.dir,
      env,
      input: "a prompt from stdin\n",
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ body: { prompt: "a prompt from stdin" } });
  });
});
