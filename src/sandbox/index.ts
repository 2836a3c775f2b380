/**
 * The simulator's own entry (`import { startSandbox } from "grokvid/sandbox"`): a local HTTP server
 * on 127.0.0.1 that speaks every gateway's dialect. The library never imports it; a shell that wants
 * `provider: "sandbox"` hands the library `launchSandbox`, as the CLI does.
 */
import type { Env } from "../util/env.js";
import { startSandbox } from "./server.js";
import { sandboxTimeline } from "./timeline.js";
import type { Sandbox } from "./types.js";

export { startSandbox, parseFaultSpec, faultKinds, DEFAULT_TIMELINE } from "./server.js";
export type * from "./server.js";
export { describeFaultKinds } from "./fault-help.js";
export { sandboxTimeline, DEFAULT_SANDBOX_DELAY } from "./timeline.js";
export { SANDBOX_DIALECTS } from "./types.js";

/**
 * A sandbox for one client's `provider: "sandbox"` jobs, its jobs as long as GROKVID_SANDBOX_DELAY
 * says (default 3s): what `createClient({ sandbox: launchSandbox })` starts when first needed.
 */
export function launchSandbox(env: Env): Promise<Sandbox> {
  return startSandbox({ timeline: sandboxTimeline(undefined, env) });
}
