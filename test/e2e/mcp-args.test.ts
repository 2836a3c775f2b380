import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { type McpSession, startMcp } from "../helpers/mcp.js";

// Issue 24, acceptance 4: malformed arguments are tool errors naming the field; the server keeps serving.
const e2e = useE2e();
let mcp: McpSession;

// One server for every case: each bad call must leave it serving the next.
beforeAll(async () => {
  const { dir, cleanup } = await import("../helpers/run-cli.js").then((m) => m.makeTempDir());
  const env = { ...e2e.envFor("fal"), ...e2e.envFor("xai"), GROKVID_HOME: join(dir, "home") };
  mcp = await startMcp(["--max-usd", "none", "--out-dir", dir], { cwd: dir, env });
  return async () => {
    await mcp.close();
    await cleanup();
  };
});
afterAll(() => expect(mcp.protocolErrors).toEqual([]));

describe("bad arguments: a tool error with one line naming the field, nothing sent, still serving", () => {
  it.each([
    ["create_video", { prompt: 5 }, "prompt must be text; got a number"],
    ["create_video", {}, "prompt is required"],
    [
      "create_video",
      { prompt: "p", provider: "fal", duration: true },
      'duration must be a whole number of seconds (or text such as "6s"); got true',
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", duration: 6.5 },
      "duration must be a whole number of seconds",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", image: 7 },
      "image must be a URL, a data: URI or a local path, or a list of them; got a number",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", reference_images: ["a", 3] },
      "reference_images.1 must be a list of URLs, data: URIs or local paths; got a number in the list",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", colour: "red" },
      "create_video has no field colour; its fields are: prompt, provider, model, duration, ratio, resolution, image, reference_images, wait_seconds",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", wait_seconds: 600 },
      "wait_seconds must be at most 50 (got 600)",
    ],
    [
      "create_video",
      { prompt: "p", provider: "nowhere" },
      "provider nowhere is not a known provider; accepted:",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", duration: 99 },
      "duration 99 is not accepted by fal model grok-imagine-video; accepted: 1-15 (whole seconds)",
    ],
    [
      "create_video",
      { prompt: "p", provider: "xai", duration: "0" },
      "duration 0 is not accepted by xai model grok-imagine-video; accepted: 1-15 (whole seconds)",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", ratio: "5:4" },
      "ratio 5:4 is not accepted by fal model grok-imagine-video; accepted:",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", resolution: "4k" },
      "resolution 4k is not accepted by fal model grok-imagine-video; accepted: 480p, 720p",
    ],
    [
      "create_video",
      { prompt: "p", provider: "fal", model: "grok-9" },
      "model grok-9 is not offered by fal; accepted:",
    ],
    ["create_video", { prompt: " ", provider: "fal" }, "prompt is empty; describe the video to generate"],
    [
      "estimate_cost",
      { prompt: "p", provider: "fal", duration: "long" },
      "duration long is not accepted by fal model grok-imagine-video",
    ],
    ["wait_job", { id: 12 }, "id must be text; got a number"],
    ["get_job", { id: "" }, "id must not be empty"],
    [
      "list_jobs",
      { status: "done" },
      "status must be one of queued, running, succeeded, failed, cancelled, expired; got a string",
    ],
    ["list_jobs", { limit: 0 }, "limit must be at least 1 (got 0)"],
    ["download_job", { id: "x", path: ["a"] }, "path must be text; got a list"],
    ["no_such_tool", {}, "there is no tool no_such_tool; tools/list names them"],
  ])("%s %j", async (tool, args, message) => {
    const r = await mcp.call(tool, args);
    expect(r.isError).toBe(true);
    expect(r.text.startsWith(message), r.text).toBe(true);
    expect(r.text).not.toContain("\n");
    expect(r.text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(e2e.sandbox.requests).toEqual([]);
    // Still serving.
    const alive = await mcp.call("list_providers");
    expect(alive.isError).toBeFalsy();
  });
});

describe("large arguments", () => {
  it("takes a message over the SDK's default 10 MB (an image inline as a data: URI)", async () => {
    const image = `data:image/png;base64,${Buffer.alloc(9 * 1024 * 1024, 1).toString("base64")}`;
    const r = await mcp.call("estimate_cost", { prompt: "a cat", provider: "fal", image });
    expect(r.isError, r.text.slice(0, 200)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ estimate: { usd: 0.42 } });
  });
});
