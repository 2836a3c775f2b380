import { Readable } from "node:stream";
import type { McpFlags } from "../mcp/options.js";
import { registerEnvSecrets } from "../util/redact.js";
import type { InputRuntime } from "./cli-output.js";

export type { McpFlags } from "../mcp/options.js";

/**
 * `grokvid mcp`: the MCP server over stdio, a second shell over the library. Stdout is the
 * protocol's channel, so this command prints nothing there itself. The SDK is loaded here, for this
 * command only: no other command's start-up pays for it.
 */
export async function runMcp(flags: McpFlags, runtime: InputRuntime): Promise<void> {
  // Before anything can be said: a message quoting a key from the environment is masked.
  registerEnvSecrets(runtime.env);
  const { runMcpServer } = await import("../mcp/serve.js");
  // The process's own streams: the protocol needs a readable stdin and a writable stdout with backpressure.
  const stdin = runtime.stdin instanceof Readable ? runtime.stdin : process.stdin;
  await runMcpServer(flags, {
    stdin,
    stdout: process.stdout,
    stderr: runtime.stderr,
    env: runtime.env,
    cwd: runtime.cwd,
    signal: runtime.signal,
  });
}
