import { once } from "node:events";
import { UsageError } from "../errors.js";
import { providerIds } from "../providers/types.js";
import { sandboxTimeline } from "./sandbox-timeline.js";
import type { Runtime } from "./session.js";
import { createOutput } from "./session.js";

/** Runs the simulator in the foreground until Ctrl-C, for testing scripts offline. */
export async function runSandbox(
  flags: { port?: string; delay?: string; fault?: string[]; quiet?: boolean; color?: boolean },
  runtime: Runtime,
): Promise<void> {
  const port = Number(flags.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${flags.port} must be a whole number from 0 to 65535`);
  }
  const timeline = sandboxTimeline(flags.delay, runtime.env);
  const out = createOutput(flags, runtime);
  const { parseFaultSpec, startSandbox } = await import("../sandbox/server.js");
  const faults = (flags.fault ?? []).map((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (err) {
      throw new UsageError(`--fault: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const sandbox = await startSandbox({ port, timeline, faults });
  try {
    out.info(`grokvid sandbox listening on ${sandbox.url} (any key works; Ctrl-C stops it)`);
    for (const id of providerIds)
      out.result(`export GROKVID_${id.toUpperCase()}_BASE_URL=${sandbox.baseUrl(id)}`);
    out.info("prompt markers: [fail] fails the task, [never] never finishes, [ratelimit] answers 429");
    for (const f of faults)
      out.info(
        `fault armed: ${f.kind} on ${f.target} (${f.times === Infinity ? "always" : `${f.times ?? 1}x`})`,
      );
    if (!runtime.signal.aborted) await once(runtime.signal, "abort");
  } finally {
    await sandbox.close();
  }
}
