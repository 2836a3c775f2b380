import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { MCP_DEFAULTS } from "../../src/mcp/options.js";
import { useE2e } from "../helpers/e2e.js";
import { ROOT } from "../helpers/installed-package.js";
import { startMcp } from "../helpers/mcp.js";
import { runCli } from "../helpers/run-cli.js";

// The README's "Use it from an agent": its client configs start a working server, and its tables
// name every flag and tool there is, with the defaults the code has.
const e2e = useE2e();

async function section(): Promise<string> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Use it from an agent");
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

const server = z.object({ command: z.literal("grokvid"), args: z.array(z.string()) });
const configs = z.union([
  z.object({ mcpServers: z.object({ grokvid: server }) }).transform((c) => c.mcpServers.grokvid),
  z
    .object({ servers: z.object({ grokvid: server.extend({ type: z.literal("stdio") }) }) })
    .transform((c) => c.servers.grokvid),
]);

describe("the README's agent section", () => {
  it("has client configs that start grokvid mcp as written (paths moved into a temp folder)", async () => {
    const blocks = [...(await section()).matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks.length).toBe(2);
    for (const block of blocks) {
      const { args } = configs.parse(JSON.parse(block));
      expect(args[0]).toBe("mcp");
      const local = args
        .slice(1)
        .map((a) => a.replace("${workspaceFolder}", e2e.dir).replace("/Users/me/Movies", e2e.dir));
      // --allow-read must name a folder that exists.
      await mkdir(join(e2e.dir, "images"), { recursive: true });
      const mcp = await startMcp(local, { cwd: e2e.dir, env: { GROKVID_HOME: join(e2e.dir, "home") } });
      try {
        expect((await mcp.client.listTools()).tools.length).toBe(9);
      } finally {
        await mcp.close();
      }
    }
  });

  it("names every flag of grokvid mcp and every tool, with the code's defaults", async () => {
    const text = await section();
    const help = await runCli(["mcp", "--help"], { cwd: e2e.dir, env: { COLUMNS: "400" } });
    const flags = [...help.stdout.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1] ?? "");
    const guards = [
      "--max-jobs",
      "--max-usd",
      "--provider",
      "--out-dir",
      "--allow-read",
      "--max-wait",
      "--interval",
    ];
    expect(flags).toEqual(expect.arrayContaining(guards));
    for (const flag of guards) expect(text, flag).toMatch(new RegExp(`\\| \`${flag}[ \`]`));
    expect(text).toContain(`| \`--max-jobs N\` | ${MCP_DEFAULTS.maxJobs} |`);
    expect(text).toContain(`| \`--max-usd X\` | ${MCP_DEFAULTS.maxUsd} |`);
    expect(text).toContain(`| \`--max-wait D\` | ${MCP_DEFAULTS.maxWait} |`);
    const mcp = await startMcp([], { cwd: e2e.dir, env: { GROKVID_HOME: join(e2e.dir, "home") } });
    try {
      for (const tool of (await mcp.client.listTools()).tools) expect(text).toContain(`| \`${tool.name}\` |`);
    } finally {
      await mcp.close();
    }
  });
});
