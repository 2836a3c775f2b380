import type { Command } from "commander";
import type { BatchFlags } from "../commands/batch.js";
import type { CreateFlags } from "../commands/create.js";
import type { DownloadFlags } from "../commands/download.js";
import type { EditFlags } from "../commands/edit.js";
import type { ProvidersFlags } from "../commands/providers.js";
import type { ResumeFlags } from "../commands/resume.js";
import type { InputRuntime } from "../commands/cli-output.js";
import type { CommonFlags } from "../commands/cli-output.js";
import type { WaitFlags } from "../commands/wait.js";
import { addCommon, addJobResults, addPolling, collect, option, strictOption } from "./program-options.js";
import { formatBatchFields } from "./batch-fields.js";
import type { Declare } from "./program-core.js";

const IDS_HELP =
  "task id, or - to read ids from standard input, one per line; with --json, one JSON document per id, one per line (JSON lines)";

/** `edit` and `extend`: create's flags that make sense for a video made from a video. */
function declareSourced(program: Command, runtime: InputRuntime, operation: "edit" | "extend"): void {
  const what =
    operation === "edit"
      ? "edit a video as the prompt says (xai, fal, replicate); the result keeps the source's length and size"
      : "continue a video as the prompt says (xai, fal, replicate); the result is the whole video, source and extension";
  const cmd = program
    .command(operation)
    .description(`${what}; prints the new job's id`)
    .argument("<source>", "a job id from `grokvid jobs`, or a public video URL")
    .addOption(option("-p, --prompt <text>", `what the ${operation} does; this or --prompt-file is required`))
    .addOption(option("--prompt-file <file>", "read the prompt from a file, or - for standard input"))
    .addOption(
      option(
        "-m, --model <model>",
        "model id or alias",
        "the provider's model, or providers.<name>.model in config",
      ),
    );
  if (operation === "extend")
    cmd.addOption(
      option("-d, --duration <seconds>", "seconds to add, 2-10 on xai", "the provider's (6 on xai)"),
    );
  addPolling(addCommon(addJobResults(cmd))).action(async (source: string, flags: EditFlags) =>
    (await import("../commands/edit.js")).runEdit(operation, source, flags, runtime),
  );
}

/** The commands that make videos, each with its options, in the order `--help` lists them. */
export const JOB_COMMANDS: Record<string, Declare> = {
  create(program, runtime) {
    addPolling(
      addCommon(
        addJobResults(
          program
            .command("create")
            .description("submit a video job; prints its id (or waits and downloads with --wait/--download)")
            .addOption(
              option("-p, --prompt <text>", "what the video shows; this or --prompt-file is required"),
            )
            .addOption(option("--prompt-file <file>", "read the prompt from a file, or - for standard input"))
            .addOption(
              option(
                "-m, --model <model>",
                "model id or alias",
                "the provider's model, or providers.<name>.model in config",
              ),
            )
            .addOption(
              option(
                "-d, --duration <seconds>",
                "length in whole seconds",
                "the provider's, or defaults.duration in config",
              ),
            )
            .addOption(
              option(
                "-r, --ratio <w:h>",
                "aspect ratio such as 16:9",
                "the provider's, or defaults.ratio in config",
              ),
            )
            .addOption(
              option(
                "--resolution <res>",
                "480p, 540p, 720p or 1080p as the model allows",
                "the provider's, or defaults.resolution in config",
              ),
            )
            .addOption(
              option(
                "-i, --image <path-or-url>",
                "reference image: public URL, local file or data: URI; repeatable",
              ).argParser(collect),
            )
            .addOption(
              option(
                "--reference-image <path-or-url>",
                "reference-to-video (xai, fal, replicate, openrouter, aimlapi): an image the prompt may name as <IMAGE_1>...; repeatable, never with --image",
              ).argParser(collect),
            ),
        ),
      ),
    ).action(async (flags: CreateFlags) => (await import("../commands/create.js")).runCreate(flags, runtime));
  },
  edit(program, runtime) {
    declareSourced(program, runtime, "edit");
  },
  extend(program, runtime) {
    declareSourced(program, runtime, "extend");
  },
  status(program, runtime) {
    addCommon(
      program.command("status").description("show a task's status once").argument("<id>", IDS_HELP),
    ).action(async (id: string, flags: CommonFlags) =>
      (await import("../commands/status.js")).runStatus(id, flags, runtime),
    );
  },
  cancel(program, runtime) {
    addCommon(
      program
        .command("cancel")
        .description("cancel jobs where the platform can (fal, replicate); the journal marks them cancelled")
        .argument("<ids...>", "task ids, or - to read ids from standard input, one per line"),
    ).action(async (ids: string[], flags: CommonFlags) =>
      (await import("../commands/cancel.js")).runCancel(ids, flags, runtime),
    );
  },
  wait(program, runtime) {
    addPolling(
      addCommon(
        program
          .command("wait")
          .description("wait until a task finishes; exit 7 if it failed")
          .argument("<id>", IDS_HELP),
      ),
    ).action(async (id: string, flags: WaitFlags) =>
      (await import("../commands/wait.js")).runWait(id, flags, runtime),
    );
  },
  download(program, runtime) {
    addPolling(
      addCommon(
        program
          .command("download")
          .description("download a task's video (waiting first if it is still running); prints the path")
          .argument("<id>", IDS_HELP)
          .addOption(
            option(
              "-o, --output <path>",
              "a file, a folder for the default name (missing folders are created), or - for stdout",
              "download.dir/download.template in config, else ./{provider}-{id}.mp4",
            ),
          )
          .addOption(option("-f, --force", "overwrite an existing file", "off"))
          .addOption(strictOption()),
      ),
    ).action(async (id: string, flags: DownloadFlags) =>
      (await import("../commands/download.js")).runDownload(id, flags, runtime),
    );
  },
  batch(program, runtime) {
    addPolling(
      addCommon(
        program
          .command("batch")
          .description(
            "run every job of a JSON-lines or CSV file: submit, wait, download (re-runs are idempotent)",
          )
          .argument("<file>", "JSON lines or CSV with a header; - reads standard input")
          .addOption(
            option("--concurrency <n>", "jobs in flight at once (and per provider, lowered on 429)", "4"),
          )
          .addOption(
            option("--skip-invalid", "run the valid lines even if some are invalid", "off: send nothing"),
          )
          .addOption(
            option("--retry-failed", "submit again the lines whose earlier job failed", "off: report them"),
          )
          .addOption(
            option(
              "--resubmit-uncertain",
              "send again the lines whose earlier create may have reached the gateway (check first: it may pay twice)",
              "off: report them",
            ),
          )
          .addOption(option("--fail-fast", "stop submitting after the first failure", "off"))
          .addOption(option("--manifest <path>", "write a JSON manifest: one entry per input line"))
          .addOption(
            option(
              "--out-dir <dir>",
              "folder for the videos and their .json sidecars",
              "download.dir in config, else .",
            ),
          )
          .addOption(
            option(
              "--template <name>",
              "file name: {provider} {id} {date} {index} {slug}",
              "download.template in config, else {provider}-{id}.mp4",
            ),
          )
          .addOption(option("-f, --force", "overwrite existing output files", "off"))
          .addOption(strictOption())
          .addOption(
            option(
              "--gallery [file]",
              "when the batch ends, write an HTML gallery of its jobs and print its path last (see grokvid gallery)",
              "off; with no file: beside --manifest (run.json -> run.html), else gallery.html in --out-dir",
            ),
          )
          .addOption(option("--open", "open the --gallery page in the browser when it is written", "off"))
          .addHelpText("after", formatBatchFields),
      ),
    ).action(async (file: string, flags: BatchFlags) =>
      (await import("../commands/batch.js")).runBatch(file, flags, runtime),
    );
  },
  balance(program, runtime) {
    addCommon(
      program
        .command("balance")
        .description(
          "show what is left on the provider's key (apimart, xcompute, duoyuanx, openrouter); sends one query",
        ),
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/balance.js")).runBalance(flags, runtime),
    );
  },
  providers(program, runtime) {
    addCommon(
      program
        .command("providers")
        .description(
          "list every provider and model with the limits each flag is checked against; sends nothing",
        )
        .addOption(
          option("--wide", "on a terminal, print every column in full instead of fitting its width", "off"),
        ),
      false,
    ).action(async (flags: ProvidersFlags) =>
      (await import("../commands/providers.js")).runProviders(flags, runtime),
    );
  },
  resume(program, runtime) {
    addPolling(
      addCommon(
        program
          .command("resume")
          .description(
            "wait on every unfinished job in the journal (and download finished ones with --download)",
          )
          .addOption(option("--download", "also download finished jobs that were never downloaded", "off"))
          .addOption(option("-f, --force", "overwrite existing files when downloading", "off"))
          .addOption(strictOption())
          .addOption(option("--provider <name>", "only jobs of this provider", "all"))
          .addOption(option("--concurrency <n>", "jobs handled at once", "4")),
        false,
      ),
    ).action(async (flags: ResumeFlags) => (await import("../commands/resume.js")).runResume(flags, runtime));
  },
};
