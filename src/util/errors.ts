/** Exit codes are part of the public contract (design.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  auth: 4,
  quota: 5,
  provider: 6,
  taskFailed: 7,
  timeout: 8,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every expected failure is one of these. Layers below `cli.ts` throw them and never exit,
 * so the one exit point can map the error to its code and one-line message.
 */
export class GrokvidError extends Error {
  readonly exitCode: ExitCodeValue;
  /** A second line telling the user what to do next (resume command, accepted values...). */
  readonly hint: string | undefined;
  /** The last known state of the task concerned, reported with the error under --json. */
  readonly task: unknown;
  /** Set when the command already printed its result document, so --json never prints two. */
  resultPrinted = false;
  /** A paid request this error stopped was certainly not sent (a re-run may send it). */
  readonly nothingSent: boolean;

  constructor(
    message: string,
    exitCode: ExitCodeValue,
    options: { hint?: string; cause?: unknown; task?: unknown; nothingSent?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.task = options.task;
    this.nothingSent = options.nothingSent === true;
  }
}

/** Bad flag, argument or input file: nothing was sent. */
export class UsageError extends GrokvidError {
  /**
   * The option the message is about, as the library names it ("duration", "referenceImage",
   * "baseUrl"): the message names it so, and a shell words it as its own flag (`--duration`).
   */
  readonly option: string | undefined;

  constructor(message: string, options: { hint?: string; option?: string } = {}) {
    const { option, ...rest } = options;
    super(message, ExitCode.usage, rest);
    this.option = option;
  }
}

export class ConfigError extends GrokvidError {
  constructor(message: string, options: { hint?: string; cause?: unknown; nothingSent?: boolean } = {}) {
    super(message, ExitCode.config, options);
  }
}

/** An error answered by a gateway (or the network on the way to it). */
export class ApiError extends GrokvidError {
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  /** A create that may have reached the gateway (and been billed) though no answer says so. */
  readonly mayExist: boolean;
  /** The gateway says the task does not exist: nothing is running that a wait could pick up. */
  readonly notFound: boolean;
  /**
   * No answer came (a refused, reset or timed-out connection): the same request may work later.
   * Only these are worth a retry; a refusal grokvid decided itself (a file: redirect) never is.
   */
  readonly networkFailure: boolean;

  constructor(
    message: string,
    exitCode: ExitCodeValue,
    details: {
      status?: number;
      providerCode?: string;
      hint?: string;
      cause?: unknown;
      mayExist?: boolean;
      notFound?: boolean;
      networkFailure?: boolean;
    } = {},
  ) {
    super(message, exitCode, details);
    this.status = details.status;
    this.providerCode = details.providerCode;
    this.mayExist = details.mayExist === true;
    this.notFound = details.notFound === true;
    this.networkFailure = details.networkFailure === true;
  }
}

/** The provider says the task failed, was cancelled or expired. */
export class TaskFailedError extends GrokvidError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, ExitCode.taskFailed, options);
  }
}

export class WaitTimeoutError extends GrokvidError {
  constructor(message: string, options: { hint?: string; task?: unknown } = {}) {
    super(message, ExitCode.timeout, options);
  }
}

export class InterruptedError extends GrokvidError {
  constructor(message: string, options: { hint?: string; nothingSent?: boolean } = {}) {
    super(message, ExitCode.interrupted, options);
  }
}
