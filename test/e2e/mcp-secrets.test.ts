import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { scriptedServer } from "../helpers/http-deps.js";
import { type McpSession, startMcp } from "../helpers/mcp.js";

// Issue 24, acceptance 5: no key in any tool result, on stderr or in a file the server writes.
const e2e = useE2e();
const ENV_KEY = "sk-canary-mcp-env-4c2e8a1f6b";
const FILE_KEY = "sk-canary-mcp-file-9d3b7f5a0e";
const ECHO_KEY = "sk-canary-mcp-echo-1a6c3e9b7d";
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function filesHolding(dir: string, key: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(key)) found.push(path);
  }
  return found;
}

describe("a canary key never leaves the server", () => {
  it("from the environment, the config file or a gateway's echo: not in results, stderr or files", async () => {
    // A gateway that quotes the Authorization header it was sent in its error message.
    const echo = await scriptedServer((req, res) => {
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: `bad token ${req.headers.authorization}`, type: "auth" } }));
    });
    try {
      // HOME is the test folder, so this is the user's own config file, trusted as it is.
      await writeFile(
        join(e2e.dir, ".grokvideorc.json"),
        JSON.stringify({ providers: { xai: { apiKey: FILE_KEY, baseUrl: e2e.sandbox.baseUrl("xai") } } }),
        { mode: 0o600 },
      );
      const env = {
        GROKVID_FAL_API_KEY: ENV_KEY,
        GROKVID_FAL_BASE_URL: e2e.sandbox.baseUrl("fal"),
        GROKVID_APIMART_API_KEY: ECHO_KEY,
        GROKVID_APIMART_BASE_URL: echo.url,
        GROKVID_HOME: join(e2e.dir, "home"),
      };
      session = await startMcp(
        ["--verbose", "--max-usd", "none", "--interval", "100ms", "--out-dir", "out"],
        {
          cwd: e2e.dir,
          env,
        },
      );
      const results: unknown[] = [];
      const call = async (tool: string, args: Record<string, unknown> = {}) => {
        const r = await (session as McpSession).call(tool, args);
        results.push(r);
        return r;
      };
      const fal = await call("create_video", { prompt: "a fox", provider: "fal", wait_seconds: 20 });
      const falId = (fal.structuredContent?.task as { id: string }).id;
      await call("download_job", { id: falId });
      await call("get_job", { id: falId });
      // xAI's one request a second holds polls back: one create and one status check are enough here.
      const xai = await call("create_video", { prompt: "a cat", provider: "xai" });
      expect(xai.isError, xai.text).toBeFalsy();
      await call("get_job", { id: (xai.structuredContent?.task as { id: string }).id });
      await call("create_video", { prompt: "a fox [error500]", provider: "fal" });
      await call("create_video", { prompt: "a fox", provider: "fal", duration: 99 });
      const echoed = await call("get_job", { id: "task_1", provider: "apimart" });
      expect(echoed.isError).toBe(true);
      expect(echoed.text).toContain("bad token Bearer ***");
      await call("balance", { provider: "apimart" });
      await call("list_jobs");
      await call("list_providers");
      await call("estimate_cost", { prompt: "a cat", provider: "xai" });
      // The keys really were used: the gateways saw authenticated requests.
      expect(echo.hits.length).toBeGreaterThan(0);
      expect(e2e.sandbox.requests.some((q) => q.dialect === "xai" && q.status === 200)).toBe(true);
      const everything = `${JSON.stringify(results)}\n${session.stderr()}`;
      expect(session.stderr()).toContain("GET ");
      for (const key of [ENV_KEY, FILE_KEY, ECHO_KEY]) {
        expect(everything).not.toContain(key);
        expect(await filesHolding(join(e2e.dir, "home"), key)).toEqual([]);
        expect(await filesHolding(join(e2e.dir, "out"), key)).toEqual([]);
      }
    } finally {
      await echo.close();
    }
  });
});
