import type { GalleryFlags } from "../commands/gallery.js";
import type { JobsFlags } from "../commands/jobs.js";
import { addCommon, option } from "./program-options.js";
import type { Declare } from "./program-core.js";

/** The commands that look back at what was made: the journal as a table, and as a page of videos. */
export const REVIEW_COMMANDS: Record<string, Declare> = {
  jobs(program, runtime) {
    addCommon(
      program
        .command("jobs")
        .description("list the jobs in the journal, newest first")
        .addOption(
          option(
            "--status <status>",
            "only jobs in this status (queued, running, succeeded, failed, ...)",
            "all",
          ),
        )
        .addOption(option("--provider <name>", "only jobs of this provider", "all"))
        .addOption(option("--limit <n>", "at most this many; 0 shows all", "20"))
        .addOption(
          option(
            "-q, --ids",
            "print only the job ids, one per line (for xargs); off a terminal the rows are tab-separated without a header",
            "off",
          ),
        )
        .addOption(
          option(
            "--wide",
            "on a terminal, print every column in full (whole ids and prompts, absolute paths) instead of fitting its width",
            "off",
          ),
        ),
      false,
      { quietShort: false },
    ).action(async (flags: JobsFlags) => (await import("../commands/jobs.js")).runJobs(flags, runtime));
  },
  gallery(program, runtime) {
    addCommon(
      program
        .command("gallery")
        .description(
          "write one self-contained HTML page of jobs: each video with its prompt, parameters, status and cost",
        )
        .addOption(option("--status <status>", "only jobs in this status (succeeded, failed, ...)", "all"))
        .addOption(option("--provider <name>", "only jobs of this provider", "all"))
        .addOption(
          option("--since <duration>", "only jobs created this long ago or less, e.g. 2h or 48h", "all"),
        )
        .addOption(option("--batch <manifest>", "only the jobs of a batch, from its --manifest file", "all"))
        .addOption(
          option(
            "-o, --output <file>",
            "where to write the page (an earlier gallery there is replaced)",
            "./gallery.html",
          ),
        )
        .addOption(option("-f, --force", "replace a file at --output that is not an earlier gallery", "off"))
        .addOption(
          option("--open", "open the page in the browser ($BROWSER, else the system's opener)", "off"),
        ),
      false,
    ).action(async (flags: GalleryFlags) =>
      (await import("../commands/gallery.js")).runGallery(flags, runtime),
    );
  },
};
