import { pollOptions } from "./poll-flags.js";
import type { JobSpec } from "../index.js";
import { clientFor, type CommonFlags, createOutput, type InputRuntime } from "./cli-output.js";
import { readPrompt } from "./prompt.js";

export interface CreateFlags extends CommonFlags {
  prompt?: string;
  promptFile?: string;
  model?: string;
  duration?: string;
  ratio?: string;
  resolution?: string;
  /** Repeatable flags: absent when not given. */
  image?: string[];
  referenceImage?: string[];
  wait?: boolean;
  download?: boolean;
  output?: string;
  force?: boolean;
  dryRun?: boolean;
  strict?: boolean;
  interval?: string;
  timeout?: string;
  cancelOnTimeout?: boolean;
}

/** Only what was typed: the config's defaults apply to the rest. */
function specOf(flags: CreateFlags, prompt: string): JobSpec {
  const { model, duration, ratio, resolution, referenceImage } = flags;
  return {
    prompt,
    images: flags.image ?? [],
    ...(referenceImage === undefined ? {} : { referenceImages: referenceImage }),
    ...(model === undefined ? {} : { model }),
    ...(duration === undefined ? {} : { duration }),
    ...(ratio === undefined ? {} : { ratio }),
    ...(resolution === undefined ? {} : { resolution }),
  };
}

export async function runCreate(flags: CreateFlags, runtime: InputRuntime): Promise<void> {
  await runJob(flags, runtime, (prompt) => specOf(flags, prompt));
}

/** What create, edit and extend share: a prompt, a job spec, then submit, wait and download. */
export type JobFlags = Omit<CreateFlags, "image" | "referenceImage" | "ratio" | "resolution">;

export async function runJob(
  flags: JobFlags,
  runtime: InputRuntime,
  specFor: (prompt: string) => JobSpec,
): Promise<void> {
  const out = await createOutput(flags, runtime);
  let id = "";
  // Loaded only for `-o -`: every other create (and every dry run) starts without it.
  const to =
    flags.output === "-"
      ? await import("../ui/stdout-video.js").then((m) =>
          m.videoToStdout(flags.output, runtime.stdout, out.mode.json, () => m.downloadHint(id)),
        )
      : undefined;
  const client = clientFor(flags, runtime, out);
  // The config is read (and refused, exit 3) before the prompt is, as before any other check.
  await client.loadConfig();
  const spec = specFor(await readPrompt(flags, runtime));
  // -o says where the video goes, so it asks for the download too.
  const download = flags.download === true || flags.output !== undefined;
  const wait = flags.wait === true || download;
  const timing = pollOptions(flags);
  if (flags.dryRun) {
    const request = await client.preview(spec, { ...timing, ...(wait ? { wait } : {}) });
    if (wait) out.warn("--dry-run sends nothing, so there is nothing to wait for or download");
    out.resultJson(request);
    return;
  }
  const { submitJob } = await import("./submit-job.js");
  await submitJob({
    client,
    out,
    spec,
    timing,
    wait,
    download,
    to,
    output: flags.output,
    force: flags.force === true,
    strict: flags.strict === true,
    cwd: runtime.cwd,
    onId: (submitted) => {
      id = submitted;
    },
  });
}
