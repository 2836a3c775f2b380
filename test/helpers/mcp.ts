import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { BIN, cliEnv, secretsIn } from "./run-cli.js";

/**
 * `grokvid mcp` driven the way an agent's host drives it: the SDK's own Client over the SDK's own
 * stdio transport, spawning the built binary. Nothing here writes JSON-RPC by hand.
 */
export interface McpSession {
  client: Client;
  /** Calls a tool; the result as the client received (and checked against the tool's output schema). */
  call(name: string, args?: Record<string, unknown>, onprogress?: (p: Progress) => void): Promise<ToolCall>;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Errors the client's transport or protocol reported (anything on stdout that is not JSON-RPC). */
  protocolErrors: Error[];
  /** Closes the client (the server's stdin ends) and resolves once the server process is gone. */
  close(): Promise<void>;
  pid: number;
}

export interface ToolCall extends CallToolResult {
  /** The result's text, joined. */
  text: string;
}

export interface McpOptions {
  cwd: string;
  env: Record<string, string>;
  /** The executable to run; default: this clone's bin/grokvid.cjs. */
  bin?: string;
}

export async function startMcp(args: readonly string[], opts: McpOptions): Promise<McpSession> {
  const env = cliEnv(opts);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [opts.bin ?? BIN, "mcp", ...args],
    env,
    cwd: opts.cwd,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const protocolErrors: Error[] = [];
  const client = new Client({ name: "grokvid-tests", version: "1.0.0" });
  client.onerror = (err) => void protocolErrors.push(err);
  // A server that could not start says why on stderr: the error carries it.
  await client.connect(transport).catch((err: unknown) => {
    throw new Error(`grokvid mcp did not start: ${String(err)}\n${stderr}`);
  });
  const pid = transport.pid ?? 0;
  const secrets = secretsIn(opts.env);
  const leaked = (text: string) => secrets.find((key) => text.includes(key));
  return {
    client,
    protocolErrors,
    pid,
    stderr: () => stderr,
    async call(name, callArgs = {}, onprogress) {
      const result = (await client.callTool(
        { name, arguments: callArgs },
        undefined,
        onprogress ? { onprogress } : {},
      )) as CallToolResult;
      // Every call of the suite doubles as a canary check: no key in any result, or on stderr.
      const seen = `${JSON.stringify(result)}\n${stderr}`;
      if (leaked(seen)) throw new Error(`an API key left the server in ${name}'s result or on stderr`);
      const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
      return { ...result, text };
    },
    async close() {
      await client.close();
      // The transport waits up to 2 s for the process to leave before it signals it.
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
