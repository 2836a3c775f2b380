import type { CommonFlags } from "./cli-output.js";
import { displayPath } from "../util/paths.js";
import { plural } from "../util/format.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";

export interface GalleryFlags extends CommonFlags {
  status?: string;
  since?: string;
  batch?: string;
  output?: string;
  force?: boolean;
  open?: boolean;
}

/** Writes the page, prints its path on stdout (with or without --open), and opens it if asked. */
export async function runGallery(flags: GalleryFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const client = clientFor(flags, runtime, out);
  const { status, provider, since, batch, output } = flags;
  const { path, cards } = await client.gallery({
    ...(status === undefined ? {} : { status }),
    ...(provider === undefined ? {} : { provider }),
    ...(since === undefined ? {} : { since }),
    ...(batch === undefined ? {} : { batch }),
    ...(output === undefined ? {} : { output }),
    force: flags.force === true,
  });
  const shown = displayPath(path, runtime.cwd);
  const withVideo = cards.filter((card) => card.video).length;
  out.info(`wrote a gallery of ${plural(cards.length, "job")} (${withVideo} with a video) to ${shown}`);
  if (cards.length === 0) out.warn("no job matches: the page is empty");
  if (out.mode.json) out.resultJson({ path, jobs: cards.length, withVideo });
  else out.result(shown);
  if (flags.open) await openGallery(path, runtime, out);
}

/** Shared with `batch --gallery --open`: a failure to open is a warning, the page is written. */
export async function openGallery(
  path: string,
  runtime: CommandRuntime,
  out: { warn(message: string): void },
): Promise<void> {
  const { openPath } = await import("../ui/open-path.js");
  const problem = await openPath(path, runtime.env);
  if (problem) out.warn(`${problem}; open ${path} in a browser`);
}
