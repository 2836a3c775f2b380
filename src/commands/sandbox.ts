import { once } from "node:events";
import { UsageError } from "../util/errors.js";
import { parseSize } from "../util/size.js";
import { providerIds } from "../index.js";
import { type CommandRuntime as Runtime, createOutput } from "./cli-output.js";

/** The key the export lines give: the sandbox takes any key but ones that script a refusal (auth.ts). */
const SANDBOX_KEY = "sandbox-any-key-works";

/** A port that is taken or reserved is the user's choice to change (exit 2), not a bug of ours. */
function portError(err: unknown, port: number): unknown {
  const code = err && typeof err === "object" && "code" in err ? err.code : undefined;
  if (code === "EADDRINUSE") {
    return new UsageError(
      `--port ${port}: 127.0.0.1:${port} is already in use; pick another port, or 0 for a free one`,
    );
  }
  if (code === "EACCES") {
    return new UsageError(
      `--port ${port}: not allowed to listen on 127.0.0.1:${port}; pick a port above 1023, or 0`,
    );
  }
  return err;
}

/** Runs the simulator in the foreground until Ctrl-C, for testing scripts offline. */
export async function runSandbox(
  flags: {
    port?: string;
    delay?: string;
    fault?: string[];
    videoSize?: string;
    quiet?: boolean;
    color?: boolean;
    json?: boolean;
  },
  runtime: Runtime,
): Promise<void> {
  const port = Number(flags.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${flags.port} must be a whole number from 0 to 65535`);
  }
  const { parseFaultSpec, startSandbox, sandboxTimeline } = await import("../sandbox/index.js");
  const timeline = sandboxTimeline(flags.delay, runtime.env);
  const videoBytes = flags.videoSize === undefined ? undefined : parseSize(flags.videoSize);
  // The padding is one mp4 `free` box: at least its 8-byte header beyond the real video, at most 4 GiB.
  if (
    flags.videoSize !== undefined &&
    (videoBytes === undefined || videoBytes < 1024 * 1024 || videoBytes > 0xffffffff)
  )
    throw new UsageError(
      `--video-size ${flags.videoSize} must be a size from 1MiB to 4GiB, e.g. 64MiB or 1GiB`,
    );
  const out = await createOutput(flags, runtime);
  const faults = (flags.fault ?? []).map((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (err) {
      throw new UsageError(`--fault: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const sandbox = await startSandbox({
    port,
    timeline,
    faults,
    ...(videoBytes === undefined ? {} : { videoBytes }),
  }).catch((err: unknown) => {
    throw portError(err, port);
  });
  try {
    out.info(`grokvid sandbox listening on ${sandbox.url} (any key works; Ctrl-C stops it)`);
    // One document, printed whole before any request is served, so a script can parse it and go on.
    if (out.mode.json)
      out.resultJson({
        url: sandbox.url,
        baseUrls: Object.fromEntries(providerIds.map((id) => [id, sandbox.baseUrl(id)])),
      });
    // Any key works, but a command refuses to send without one: the lines give one, so that what
    // is pasted into a shell works as it is.
    for (const id of providerIds) {
      out.result(`export GROKVID_${id.toUpperCase()}_BASE_URL=${sandbox.baseUrl(id)}`);
      out.result(`export GROKVID_${id.toUpperCase()}_API_KEY=${SANDBOX_KEY}`);
    }
    out.info(
      "prompt markers: [fail] fails the task, [never] never finishes, [ratelimit] answers 429; xai: [moderated], [expired]",
    );
    for (const f of faults)
      out.info(
        `fault armed: ${f.kind} on ${f.target} (${f.times === Infinity ? "always" : `${f.times ?? 1}x`})`,
      );
    if (!runtime.signal.aborted) await once(runtime.signal, "abort");
  } finally {
    await sandbox.close();
  }
}
