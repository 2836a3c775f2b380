/**
 * The simulator's own entry (`import { startSandbox } from "grokvid/sandbox"`): a local HTTP server
 * on 127.0.0.1 that speaks every gateway's dialect. The library never imports it; a shell that wants
 * `provider: "sandbox"` hands the library `launchSandbox`, as the CLI does. The server and its mp4
 * generator load when a sandbox starts, so a shell can import this entry for its help texts.
 */
import type { Env } from "../util/env.js";
import { sandboxTimeline } from "./timeline.js";
import type { Sandbox, SandboxOptions } from "./types.js";

export { parseFaultSpec } from "./faults.js";
export { describeDialects, describeFaultKinds } from "./fault-help.js";
export { sandboxTimeline, DEFAULT_SANDBOX_DELAY } from "./timeline.js";
export { faultKinds, PLATFORM_DIALECTS, SANDBOX_DIALECTS } from "./types.js";
export type * from "./types.js";

/** Starts a simulator on 127.0.0.1 (port 0 unless given) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return (await import("./server.js")).startSandbox(options);
}

/**
 * A sandbox for one client's `provider: "sandbox"` jobs, its jobs as long as GROKVID_SANDBOX_DELAY
 * says (default 3s): what `createClient({ sandbox: launchSandbox })` starts when first needed.
 */
export function launchSandbox(env: Env): Promise<Sandbox> {
  return startSandbox({ timeline: sandboxTimeline(undefined, env) });
}
