import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { type McpSession, startMcp } from "../helpers/mcp.js";
import { posts } from "../helpers/platform-e2e.js";

// Issue 24, acceptance 2: the spending limits the person starting the server sets, and the allow-list.
const e2e = useE2e();
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function serve(args: string[]): Promise<McpSession> {
  const env = { ...e2e.envFor("fal"), ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "home") };
  session = await startMcp(["--interval", "100ms", ...args], { cwd: e2e.dir, env });
  return session;
}

const creates = () => posts(e2e.sandbox.requests).length;

describe("--max-jobs and --max-usd, per server process", () => {
  it("--max-jobs 2: the third create is refused, saying why, and nothing is sent", async () => {
    const mcp = await serve(["--provider", "fal", "--max-jobs", "2", "--max-usd", "none"]);
    for (const prompt of ["one", "two"])
      expect((await mcp.call("create_video", { prompt })).isError).toBeFalsy();
    expect(creates()).toBe(2);
    const third = await mcp.call("create_video", { prompt: "three" });
    expect(third.isError).toBe(true);
    expect(third.text).toBe(
      "this server may create 2 jobs (--max-jobs 2) and has created 2; nothing was sent",
    );
    expect(creates()).toBe(2);
    // estimate_cost says so too, and the server goes on serving.
    const estimate = await mcp.call("estimate_cost", { prompt: "three" });
    expect(estimate.structuredContent).toMatchObject({
      allowed: false,
      budget: { jobs: { created: 2, limit: 2 } },
    });
  });

  it("--max-usd: a create whose estimate would pass the limit is refused before it is sent", async () => {
    const mcp = await serve(["--provider", "fal", "--max-usd", "0.80"]);
    // fal's list price: $0.07/s at 720p, 6 s by default = $0.42.
    const first = await mcp.call("create_video", { prompt: "one" });
    expect(first.structuredContent).toMatchObject({
      estimate: { usd: 0.42 },
      budget: { usd: { counted: 0.42 } },
    });
    const second = await mcp.call("create_video", { prompt: "two" });
    expect(second.isError).toBe(true);
    expect(second.text).toBe(
      "this job's estimate of $0.42 is more than the $0.38 left of this server's $0.80 (--max-usd 0.8); nothing was sent",
    );
    // A cheaper job still fits: 5 s at 480p is $0.25.
    const cheaper = await mcp.call("estimate_cost", { prompt: "two", duration: 5, resolution: "480p" });
    expect(cheaper.structuredContent).toMatchObject({
      estimate: { usd: 0.25 },
      allowed: true,
      refusal: null,
    });
    expect(
      (await mcp.call("create_video", { prompt: "two", duration: 5, resolution: "480p" })).isError,
    ).toBeFalsy();
    expect(posts(e2e.sandbox.requests).map(([, body]) => (body as { prompt: string }).prompt)).toEqual([
      "one",
      "two",
    ]);
  });

  it("while --max-usd is set, a job whose price is not known is refused, saying so; none allows it", async () => {
    const limited = await serve(["--provider", "apimart", "--max-usd", "10"]);
    const refused = await limited.call("create_video", { prompt: "a fox" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("the price of this job is not known before it runs");
    expect(refused.text).toContain("the cost on apimart is not known before the job runs");
    expect(creates()).toBe(0);
    await limited.close();
    const open = await serve(["--provider", "apimart", "--max-usd", "none"]);
    const created = await open.call("create_video", { prompt: "a fox" });
    expect(created.isError, created.text).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ estimate: { usd: null } });
    expect(creates()).toBe(1);
  });

  it("with no limits given, the README's defaults hold: 5 jobs and $5", async () => {
    const mcp = await serve(["--provider", "fal"]);
    const listed = await mcp.call("list_providers");
    expect(listed.structuredContent?.budget).toEqual({
      jobs: { created: 0, limit: 5 },
      usd: { counted: 0, limit: 5 },
    });
    expect(listed.structuredContent?.providers).toEqual([expect.objectContaining({ id: "fal" })]);
  });

  it("two creates at once cannot both take the last place", async () => {
    const mcp = await serve(["--provider", "fal", "--max-jobs", "1"]);
    const both = await Promise.all([
      mcp.call("create_video", { prompt: "a" }),
      mcp.call("create_video", { prompt: "b" }),
    ]);
    expect(both.map((r) => r.isError === true).sort()).toEqual([false, true]);
    expect(creates()).toBe(1);
  });

  it("a create refused before sending (a value the model does not take) gives its place back", async () => {
    const mcp = await serve(["--provider", "fal", "--max-jobs", "1"]);
    expect((await mcp.call("create_video", { prompt: "x", duration: 99 })).isError).toBe(true);
    const created = await mcp.call("create_video", { prompt: "x" });
    expect(created.isError, created.text).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ budget: { jobs: { created: 1, limit: 1 } } });
  });

  it("a gateway's failure after sending keeps the job counted: it may have been billed", async () => {
    const mcp = await serve(["--provider", "fal", "--max-jobs", "1"]);
    const failed = await mcp.call("create_video", { prompt: "x [error500]" });
    expect(failed.isError).toBe(true);
    expect((await mcp.call("create_video", { prompt: "y" })).text).toContain("--max-jobs 1");
  });
});

describe("--provider: the allow-list", () => {
  it("refuses a provider outside it before anything is sent, and names the allowed ones", async () => {
    const mcp = await serve(["--provider", "fal", "--max-usd", "none"]);
    for (const tool of ["create_video", "estimate_cost"]) {
      const r = await mcp.call(tool, { prompt: "a fox", provider: "apimart" });
      expect(r.isError).toBe(true);
      expect(r.text).toBe("provider apimart is not allowed by this server; allowed: fal");
    }
    const balance = await mcp.call("balance", { provider: "apimart" });
    expect(balance.text).toBe("provider apimart is not allowed by this server; allowed: fal");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("refuses to start on a provider grokvid does not know", async () => {
    await expect(serve(["--provider", "nowhere"])).rejects.toThrow();
  });
});
