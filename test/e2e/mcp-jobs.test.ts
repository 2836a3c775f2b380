import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { type McpSession, startMcp, type ToolCall } from "../helpers/mcp.js";
import { posts } from "../helpers/platform-e2e.js";
import { runCli } from "../helpers/run-cli.js";

// Issue 24, acceptance 1: an agent's whole round trip through `grokvid mcp`, with the SDK's own client.
const e2e = useE2e();
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const env = () => ({ ...e2e.envFor("fal"), GROKVID_HOME: join(e2e.dir, "home") });

async function serve(extra: string[] = []): Promise<McpSession> {
  session = await startMcp(["--provider", "fal", "--out-dir", "videos", "--interval", "100ms", ...extra], {
    cwd: e2e.dir,
    env: env(),
  });
  return session;
}

interface Task {
  id: string;
  provider: string;
  status: string;
}

const taskOf = (result: ToolCall): Task => result.structuredContent?.task as Task;

describe("grokvid mcp, driven by the SDK's client over stdio", () => {
  it("lists its nine tools, each with a description, an input schema and an output schema", async () => {
    const mcp = await serve();
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "balance",
      "cancel_job",
      "create_video",
      "download_job",
      "estimate_cost",
      "get_job",
      "list_jobs",
      "list_providers",
      "wait_job",
    ]);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.description, tool.name).not.toContain("\n");
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
    }
    const create = tools.find((t) => t.name === "create_video");
    expect(create?.inputSchema.required).toEqual(["prompt"]);
    // The allow-list is in the schema, so an agent picks an allowed provider the first time.
    expect(create?.inputSchema.properties?.provider).toMatchObject({ enum: ["fal"] });
    expect(create?.inputSchema.properties?.wait_seconds).toMatchObject({ maximum: 50 });
    expect(mcp.client.getInstructions()).toContain("at most 5 jobs");
  });

  it("creates (the id at once), waits, downloads the exact bytes, lists, and grokvid jobs shows the job", async () => {
    const mcp = await serve();
    const created = await mcp.call("create_video", { prompt: "a red fox in fresh snow", duration: 5 });
    expect(created.isError, created.text).toBeFalsy();
    const task = taskOf(created);
    expect(task.provider).toBe("fal");
    expect(["queued", "running"]).toContain(task.status);
    expect(created.structuredContent?.estimate).toMatchObject({ usd: 0.35, seconds: 5, resolution: "720p" });
    expect(created.text).toContain(`submitted ${task.id} on fal`);
    // One create went out, with exactly the values given.
    expect(posts(e2e.sandbox.requests)).toEqual([
      ["/fal/xai/grok-imagine-video/text-to-video", { prompt: "a red fox in fresh snow", duration: 5 }],
    ]);

    const progress: Progress[] = [];
    const waited = await mcp.call("wait_job", { id: task.id }, (p) => void progress.push(p));
    expect(taskOf(waited).status, waited.text).toBe("succeeded");
    expect(waited.structuredContent?.timedOut).toBe(false);
    expect(progress.length).toBeGreaterThan(0);

    const got = await mcp.call("get_job", { id: task.id });
    expect(taskOf(got)).toMatchObject({ id: task.id, status: "succeeded" });

    const saved = await mcp.call("download_job", { id: task.id });
    expect(saved.isError, saved.text).toBeFalsy();
    const path = join(e2e.dir, "videos", `fal-${task.id}.mp4`);
    expect(saved.structuredContent).toMatchObject({ downloaded: true, path, reason: null });
    const bytes = await readFile(path);
    expect(bytes.equals(generateTaskVideo(task.id))).toBe(true);
    expect(saved.structuredContent?.bytes).toBe(bytes.length);
    expect(saved.structuredContent?.delivered).toMatchObject({ durationSec: expect.any(Number) });

    const listed = await mcp.call("list_jobs", {});
    expect(listed.structuredContent?.jobs).toEqual([
      expect.objectContaining({ id: task.id, provider: "fal", status: "succeeded", savedTo: path }),
    ]);

    // The same journal as the command line's: `grokvid jobs` sees what the agent did.
    const jobs = await runCli(["jobs"], { cwd: e2e.dir, env: env() });
    expect(jobs.code, jobs.stderr).toBe(0);
    const row = jobs.stdout.split("\n").find((l) => l.startsWith(`${task.id}\t`));
    expect(row?.split("\t").slice(0, 3)).toEqual([task.id, "fal", "succeeded"]);
    expect(mcp.protocolErrors).toEqual([]);
  });

  it("waits within create_video when asked, and a wait that runs out is a result, not an error", async () => {
    const mcp = await serve();
    const done = await mcp.call("create_video", { prompt: "a lighthouse at dusk", wait_seconds: 20 });
    expect(taskOf(done).status, done.text).toBe("succeeded");
    expect(done.structuredContent?.timedOut).toBe(false);
    const endless = await mcp.call("create_video", { prompt: "a fox [never]" });
    const id = taskOf(endless).id;
    // 0 s: one status check, then the job as it is.
    const waited = await mcp.call("wait_job", { id, wait_seconds: 0 });
    expect(waited.isError, waited.text).toBeFalsy();
    expect(waited.structuredContent?.timedOut).toBe(true);
    expect(["queued", "running"]).toContain(taskOf(waited).status);
    expect(waited.text).toContain("call wait_job again");
    const early = await mcp.call("download_job", { id, wait_seconds: 0 });
    expect(early.structuredContent).toMatchObject({ downloaded: false, path: null });
    expect(early.text).toContain("not downloaded: still unfinished");
    expect(await readdir(join(e2e.dir, "videos"))).toEqual([]);
  });

  it("cancels a job where the platform can, and grokvid jobs shows it cancelled", async () => {
    const mcp = await serve();
    const id = taskOf(await mcp.call("create_video", { prompt: "a fox [never]" })).id;
    const cancelled = await mcp.call("cancel_job", { id });
    expect(cancelled.isError, cancelled.text).toBeFalsy();
    expect(cancelled.structuredContent).toMatchObject({ id, provider: "fal", outcome: "requested" });
    const jobs = await runCli(["jobs"], { cwd: e2e.dir, env: env() });
    const row = jobs.stdout.split("\n").find((l) => l.startsWith(`${id}\t`));
    expect(row?.split("\t").slice(0, 3)).toEqual([id, "fal", "cancelled"]);
  });

  it("leaves when the client closes its input, without being signalled", async () => {
    const mcp = await serve();
    const started = Date.now();
    await mcp.close();
    session = undefined;
    // The transport signals a server still there after 2 s; this one left on its own.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
