import { setMaxListeners } from "node:events";
import { CommanderError } from "commander";
import type { CommandRuntime as Runtime } from "../commands/cli-output.js";
import { ExitCode, GrokvidError, InterruptedError } from "../util/errors.js";
import { closeClients } from "../commands/open-clients.js";
import { registerKnownSecrets } from "../index.js";
import { safeCommanderText } from "./commander-text.js";
import { cliMessage } from "./flag-wording.js";
import { startProgram } from "./start-program.js";
import { safeText } from "../ui/output.js";
import { resolveColorLevel } from "../ui/color.js";
import { type StandardStream, standardStream, writeFailure } from "../ui/direct-stream.js";

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
  runtime.stdout.write(`${safeText(JSON.stringify(doc, null, 2))}\n`);
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
  registerKnownSecrets(runtime.env);
  if (err instanceof CommanderError) {
    // Commander has printed its own one-line message (or the help/version text) already.
    if (err.exitCode === 0) return ExitCode.ok;
    const message = safeCommanderText(err.message, runtime.env).replace(/^error: /, "");
    if (flags.json) writeJsonError(runtime, ExitCode.usage, message);
    return ExitCode.usage;
  }
  const colored = resolveColorLevel(runtime.env, runtime.stderr, flags.color) > 0;
  const red = (s: string) => (colored ? `\u001b[31m${s}\u001b[39m` : s);
  if (err instanceof GrokvidError) {
    const message = cliMessage(err);
    runtime.stderr.write(`${red("error:")} ${safeText(message)}\n`);
    if (err.hint) runtime.stderr.write(`${safeText(err.hint)}\n`);
    if (flags.verbose && err.cause instanceof Error) {
      runtime.stderr.write(`${safeText(err.cause.stack ?? err.cause.message)}\n`);
    }
    if (flags.json && !err.resultPrinted) writeJsonError(runtime, err.exitCode, message, err.hint, err.task);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  runtime.stderr.write(`${red("error:")} internal error: ${safeText(message)}\n`);
  if (flags.verbose && err instanceof Error && err.stack) runtime.stderr.write(`${safeText(err.stack)}\n`);
  else runtime.stderr.write("run again with --verbose for details, and please report it\n");
  if (flags.json) writeJsonError(runtime, ExitCode.internal, `internal error: ${message}`);
  return ExitCode.internal;
}

export type CliRuntime = Runtime & { stdin: NodeJS.ReadableStream };

/**
 * A command that did its work but could not write its result (stdout on a full disk, /dev/full)
 * has not succeeded: a script would go on with an empty or cut file. Whatever it did is kept
 * (a created job is in the journal); the message says where the output went missing.
 */
function lostOutput(runtime: CliRuntime): number | undefined {
  const failure = writeFailure(runtime.stdout);
  if (!failure) return undefined;
  const reason = failure.code ?? failure.message;
  runtime.stderr.write(
    `error: cannot write the output to stdout (${safeText(reason)}): it is missing or cut short; any job it created is in the journal (grokvid jobs)\n`,
  );
  return ExitCode.internal;
}

/**
 * Runs one command line against the given runtime and returns its exit code; never exits and
 * never throws, so tests can run thousands of command lines in one process.
 */
export async function run(given: readonly string[], runtime: CliRuntime): Promise<number> {
  // Bare `grokvid` asks what it can do: the help, as a result (stdout, exit 0), not a usage error.
  // `-v` is the version as in most tools; commander takes one short flag for it, -V.
  const argv =
    given.length === 0 ? ["--help"] : given.length === 1 && given[0] === "-v" ? ["--version"] : given;
  try {
    if (argv[0] === "__complete") {
      // The completion scripts' helper: not a command a user types, so not declared (nor in --help);
      // commander would read the words on the line as its own flags.
      const [{ runComplete }, { buildProgram }] = await Promise.all([
        import("../commands/complete.js"),
        import("./program.js"),
      ]);
      await runComplete(argv.slice(1), buildProgram(runtime), runtime);
      return lostOutput(runtime) ?? ExitCode.ok;
    }
    await (await startProgram(runtime, argv)).parseAsync(argv, { from: "user" });
    // A Node stream reports a failed write a tick later (SyncWriteStream on /dev/full).
    await new Promise((resolve) => setImmediate(resolve));
    return lostOutput(runtime) ?? ExitCode.ok;
  } catch (err) {
    return reportError(err, runtime, {
      verbose: argv.includes("--verbose"),
      json: argv.includes("--json"),
      color: !argv.includes("--no-color"),
    });
  } finally {
    await closeClients(runtime);
  }
}

/**
 * What a shell reports for a process a signal stopped (128 + its number): Ctrl-C is 130, and a
 * command ended by SIGTERM or a closed terminal (SIGHUP) says so too, after the same clean-up.
 */
const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/** The exit code of a command that ended `code` after `signal` (if one came) asked it to stop. */
export function exitCodeAfter(code: number, signal: StopSignal | undefined): number {
  return code === ExitCode.interrupted && signal ? SIGNAL_EXIT[signal] : code;
}

/**
 * The process's own runtime: its standard streams, and SIGINT, SIGTERM and SIGHUP wired to the
 * cancel signal; `stoppedBy` tells which one came, for the exit code.
 */
export function processRuntime(): CliRuntime & {
  stdout: StandardStream;
  stderr: StandardStream;
  stoppedBy: () => StopSignal | undefined;
} {
  const controller = new AbortController();
  // Every request of a batch listens to this one signal; dozens at once is by design, not a leak.
  setMaxListeners(0, controller.signal);
  let stoppedBy: StopSignal | undefined;
  // The first signal lets the command finish its report (a batch's manifest and summary) and say
  // how to resume; a second one leaves at once.
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT[name]);
      stoppedBy = name;
      controller.abort();
    });
  }
  // A reader that went away (`grokvid jobs | head -1`) is not a failure of ours: what is left to
  // print has nowhere to go and is dropped, and the command ends as it would have (see standardStream).
  return {
    stdout: standardStream(1),
    stderr: standardStream(2),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    stoppedBy: () => stoppedBy,
    get stdin(): NodeJS.ReadableStream {
      return process.stdin;
    },
  };
}
