import { createClient, type GrokvidClient } from "../index.js";
import type { GatewayChoice, Runtime } from "../index.js";
import { registerEnvSecrets } from "../util/redact.js";
import { Output, type Streams } from "../ui/output.js";
import { trackClient } from "./open-clients.js";

/** The flags every command takes: the library's gateway choice, and how to print. */
export interface CommonFlags extends GatewayChoice {
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  json?: boolean;
}

/** What the process gives a command: the library's runtime plus the terminal's streams. */
export interface CommandRuntime extends Runtime, Streams {}

export type InputRuntime = CommandRuntime & { stdin: NodeJS.ReadableStream };

export function createOutput(flags: CommonFlags, runtime: CommandRuntime): Promise<Output> {
  // Before anything is printed: the journal or an error may quote a key no config load registered.
  registerEnvSecrets(runtime.env);
  return Output.open(runtime, {
    json: flags.json === true,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    color: flags.color !== false,
  });
}

/**
 * The library client a command calls, reporting through the command's output; `run()` closes it
 * when the command line ends.
 */
export function clientFor(flags: CommonFlags, runtime: CommandRuntime, out: Output): GrokvidClient {
  return trackClient(
    runtime,
    createClient({
      env: runtime.env,
      cwd: runtime.cwd,
      signal: runtime.signal,
      ...(runtime.clock ? { clock: runtime.clock } : {}),
      ...(runtime.collectGarbage ? { collectGarbage: runtime.collectGarbage } : {}),
      reporter: out,
      // Loaded only when a command actually runs a sandbox job.
      sandbox: async (env) => (await import("../sandbox/index.js")).launchSandbox(env),
      ...(flags.provider === undefined ? {} : { provider: flags.provider }),
      ...(flags.config === undefined ? {} : { config: flags.config }),
      ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
    }),
  );
}
