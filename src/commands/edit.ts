import type { VideoOperation } from "../index.js";
import type { InputRuntime } from "./cli-output.js";
import { type JobFlags, runJob } from "./create.js";

export interface EditFlags extends JobFlags {
  /** `extend` only: the seconds to add. */
  duration?: string;
}

/**
 * `grokvid edit SOURCE` and `grokvid extend SOURCE`: like create, from a video instead of nothing.
 * SOURCE is a journaled job id (its video URL, asked for again if old) or a public video URL.
 */
export async function runEdit(
  operation: VideoOperation,
  from: string,
  flags: EditFlags,
  runtime: InputRuntime,
): Promise<void> {
  await runJob(flags, runtime, (prompt) => ({
    prompt,
    source: { operation, from },
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.duration === undefined ? {} : { duration: flags.duration }),
  }));
}
