import { statSync } from "node:fs";
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
  // Node 20's realpathSync, which require() resolves packages with, reads the file type of the
  // process's last stat call when it meets a folder it has seen before, and stops resolving links
  // there if that was a pipe: the CLI's fstat of its piped stdout would leave the SDK found under a
  // linked node_modules (pnpm's, a workspace's) at its link, where its own dependencies are not.
  // One stat of a regular file first, and the SDK loads from its real folder.
  statSync(process.execPath);
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
