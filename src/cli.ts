import { setMaxListeners } from "node:events";
import { Command, CommanderError, Option } from "commander";
import type { BatchFlags } from "./commands/batch.js";
import type { CreateFlags } from "./commands/create.js";
import type { DownloadFlags } from "./commands/download.js";
import type { JobsFlags } from "./commands/jobs.js";
import type { ResumeFlags } from "./commands/resume.js";
import type { CommonFlags, Runtime } from "./commands/session.js";
import type { WaitFlags } from "./commands/wait.js";
import { ExitCode, GrokvidError, InterruptedError } from "./errors.js";
import { redact } from "./redact.js";
import { resolveColorLevel } from "./ui/color.js";
import { VERSION } from "./version.js";

/** Every flag's help line ends with its default, so `--help` is the whole reference. */
function option(flags: string, description: string, defaultText?: string): Option {
  return new Option(
    flags,
    defaultText === undefined ? description : `${description} (default: ${defaultText})`,
  );
}

function addCommon(cmd: Command, withProvider = true): Command {
  if (withProvider) {
    cmd
      .addOption(
        option(
          "--provider <name>",
          "gateway: apimart, xcompute, jimmyai, duoyuanx, or sandbox (offline, in-process)",
          "$GROKVID_PROVIDER, else defaultProvider in the config file",
        ),
      )
      .addOption(
        option(
          "--base-url <url>",
          "override the provider's base URL",
          "$GROKVID_<PROVIDER>_BASE_URL, config, or the provider's own",
        ),
      );
  }
  return cmd
    .addOption(
      option(
        "--config <path>",
        "read this config file instead of searching",
        "$GROKVID_CONFIG, else search from the current folder",
      ),
    )
    .addOption(option("--json", "print one JSON document on stdout instead of text", "off"))
    .addOption(option("-q, --quiet", "print nothing on stderr but warnings and errors", "off"))
    .addOption(
      option("--verbose", "print requests, retries and stack traces on stderr (keys are never shown)", "off"),
    )
    .addOption(
      option(
        "--no-color",
        "disable colours (NO_COLOR and FORCE_COLOR are honoured too)",
        "colour on a terminal",
      ),
    );
}

function addPolling(cmd: Command): Command {
  return cmd
    .addOption(
      option(
        "--interval <duration>",
        "time between status checks: 250ms, 5s, 2m, 1h or seconds",
        "5s, or poll.interval in config",
      ),
    )
    .addOption(
      option(
        "--timeout <duration>",
        "stop waiting after this long; 0 checks once",
        "30m, or poll.timeout in config",
      ),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Commands are imported when they run, so `--help` and `--version` load almost nothing. */
export function buildProgram(runtime: Runtime & { stdin: NodeJS.ReadableStream }): Command {
  const program = new Command("grokvid")
    .description("Submit Grok Imagine video jobs to any gateway, wait for them, and download the mp4.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({ writeOut: (s) => runtime.stdout.write(s), writeErr: (s) => runtime.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)");

  addPolling(
    addCommon(
      program
        .command("create")
        .description("submit a video job; prints its id (or waits and downloads with --wait/--download)")
        .addOption(
          option("-p, --prompt <text>", "what the video shows", "none: this or --prompt-file is required"),
        )
        .addOption(
          option("--prompt-file <file>", "read the prompt from a file, or - for standard input", "none"),
        )
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
          )
            .argParser(collect)
            .default([], "none"),
        )
        .addOption(option("-w, --wait", "wait until the job finishes; print the final status", "off"))
        .addOption(option("--download", "wait, then download the video; print the saved path", "off"))
        .addOption(
          option(
            "-o, --output <path>",
            "where to save the video (implies --download): a file, or a folder for the default name",
            "download.dir/download.template in config, else ./{provider}-{id}.mp4",
          ),
        )
        .addOption(option("-f, --force", "overwrite an existing output file", "off"))
        .addOption(option("--dry-run", "print the exact request (key masked) and send nothing", "off")),
    ),
  ).action(async (flags: CreateFlags) => (await import("./commands/create.js")).runCreate(flags, runtime));

  addCommon(
    program.command("status").description("show a task's status once").argument("<id>", "task id"),
  ).action(async (id: string, flags: CommonFlags) =>
    (await import("./commands/status.js")).runStatus(id, flags, runtime),
  );

  addPolling(
    addCommon(
      program
        .command("wait")
        .description("wait until a task finishes; exit 7 if it failed")
        .argument("<id>", "task id"),
    ),
  ).action(async (id: string, flags: WaitFlags) =>
    (await import("./commands/wait.js")).runWait(id, flags, runtime),
  );

  addPolling(
    addCommon(
      program
        .command("download")
        .description("download a task's video (waiting first if it is still running); prints the path")
        .argument("<id>", "task id")
        .addOption(
          option(
            "-o, --output <path>",
            "a file, or a folder for the default name",
            "download.dir/download.template in config, else ./{provider}-{id}.mp4",
          ),
        )
        .addOption(option("-f, --force", "overwrite an existing file", "off")),
    ),
  ).action(async (id: string, flags: DownloadFlags) =>
    (await import("./commands/download.js")).runDownload(id, flags, runtime),
  );

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
        .addOption(option("--manifest <path>", "write a JSON manifest: one entry per input line", "none"))
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
        .addOption(option("-f, --force", "overwrite existing output files", "off")),
    ),
  ).action(async (file: string, flags: BatchFlags) =>
    (await import("./commands/batch.js")).runBatch(file, flags, runtime),
  );

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
      .addOption(option("--limit <n>", "at most this many; 0 shows all", "20")),
    false,
  ).action(async (flags: JobsFlags) => (await import("./commands/jobs.js")).runJobs(flags, runtime));

  addPolling(
    addCommon(
      program
        .command("resume")
        .description(
          "wait on every unfinished job in the journal (and download finished ones with --download)",
        )
        .addOption(option("--download", "also download finished jobs that were never downloaded", "off"))
        .addOption(option("-f, --force", "overwrite existing files when downloading", "off"))
        .addOption(option("--provider <name>", "only jobs of this provider", "all"))
        .addOption(option("--concurrency <n>", "jobs handled at once", "4")),
      false,
    ),
  ).action(async (flags: ResumeFlags) => (await import("./commands/resume.js")).runResume(flags, runtime));

  addCommon(
    program
      .command("sandbox")
      .description("run the offline gateway simulator in the foreground (Ctrl-C stops it)")
      .addOption(option("--port <n>", "port on 127.0.0.1; 0 picks a free one", "0"))
      .addOption(
        option(
          "--delay <duration>",
          "how long each job takes, from submit to done",
          "$GROKVID_SANDBOX_DELAY, else 3s",
        ),
      )
      .addOption(
        option(
          "--fault <spec>",
          "misbehave on purpose: kind[:target[:times]], e.g. rate-limit:query:2 or truncate:download; repeatable",
        )
          .argParser(collect)
          .default([], "none"),
      ),
    false,
  ).action(async (flags: { port?: string; delay?: string; fault?: string[] }) =>
    (await import("./commands/sandbox.js")).runSandbox(flags, runtime),
  );

  return program;
}

/**
 * Under --json a failure is a result too: one document `{error:{exitCode,message,hint},task?}` on
 * stdout, unless the command already printed its own (a failed task prints the task itself).
 */
function writeJsonError(
  runtime: Runtime,
  code: number,
  message: string,
  hint?: string,
  task?: unknown,
): void {
  const doc = { error: { exitCode: code, message, ...(hint ? { hint } : {}) }, ...(task ? { task } : {}) };
  runtime.stdout.write(`${redact(JSON.stringify(doc, null, 2))}\n`);
}

/** Ctrl-C surfaces from undici, timers or streams as one of these, wherever the command was. */
function isAbort(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = "code" in err ? err.code : undefined;
  return err.name === "AbortError" || code === "ABORT_ERR" || code === "UND_ERR_ABORTED";
}

/** The one place that turns errors into messages and exit codes. */
export function reportError(
  caught: unknown,
  runtime: Runtime,
  flags: { verbose: boolean; json: boolean; color: boolean },
): number {
  const err = isAbort(caught) ? new InterruptedError("interrupted") : caught;
  if (err instanceof CommanderError) {
    // Commander has printed its own one-line message (or the help/version text) already.
    if (err.exitCode === 0) return ExitCode.ok;
    if (flags.json) writeJsonError(runtime, ExitCode.usage, err.message.replace(/^error: /, ""));
    return ExitCode.usage;
  }
  const colored = resolveColorLevel(runtime.env, runtime.stderr.isTTY === true, flags.color) > 0;
  const red = (s: string) => (colored ? `\u001b[31m${s}\u001b[39m` : s);
  if (err instanceof GrokvidError) {
    runtime.stderr.write(`${red("error:")} ${redact(err.message)}\n`);
    if (err.hint) runtime.stderr.write(`${redact(err.hint)}\n`);
    if (flags.verbose && err.cause instanceof Error) {
      runtime.stderr.write(`${redact(err.cause.stack ?? err.cause.message)}\n`);
    }
    if (flags.json && !err.resultPrinted)
      writeJsonError(runtime, err.exitCode, err.message, err.hint, err.task);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  runtime.stderr.write(`${red("error:")} internal error: ${redact(message)}\n`);
  if (flags.verbose && err instanceof Error && err.stack) runtime.stderr.write(`${redact(err.stack)}\n`);
  else runtime.stderr.write("run again with --verbose for details, and please report it\n");
  if (flags.json) writeJsonError(runtime, ExitCode.internal, `internal error: ${message}`);
  return ExitCode.internal;
}

export type CliRuntime = Runtime & { stdin: NodeJS.ReadableStream };

/**
 * Runs one command line against the given runtime and returns its exit code; never exits and
 * never throws, so tests can run thousands of command lines in one process.
 */
export async function run(argv: readonly string[], runtime: CliRuntime): Promise<number> {
  try {
    await buildProgram(runtime).parseAsync(argv, { from: "user" });
    return ExitCode.ok;
  } catch (err) {
    return reportError(err, runtime, {
      verbose: argv.includes("--verbose"),
      json: argv.includes("--json"),
      color: !argv.includes("--no-color"),
    });
  }
}

/** The process's own runtime: real streams, and Ctrl-C wired to the cancel signal. */
export function processRuntime(): CliRuntime {
  const controller = new AbortController();
  // Every request of a batch listens to this one signal; dozens at once is by design, not a leak.
  setMaxListeners(0, controller.signal);
  // First Ctrl-C lets the command say how to resume; a second one leaves at once.
  process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  });
  process.on("SIGTERM", () => controller.abort());
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    get stdin(): NodeJS.ReadableStream {
      return process.stdin;
    },
  };
}
