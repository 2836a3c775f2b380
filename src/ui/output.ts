import type { ChalkInstance } from "chalk";
import { redact } from "../util/redact.js";
import { stripTerminalControls } from "../util/untrusted.js";
import { type ColorLevel, resolveColorLevel } from "./color.js";
import type { TextStream } from "./direct-stream.js";

export interface Streams {
  stdout: TextStream;
  stderr: TextStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** A block drawn below everything else (see LiveRegion). */
export interface LiveSurface {
  clear(): void;
  schedule(): void;
}

export interface OutputMode {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

/**
 * What every line we write goes through, last: no control sequence (whoever put it in the text)
 * and no key. Controls go first, so a key split by them is whole again when redaction looks.
 */
export function safeText(text: string): string {
  return redact(stripTerminalControls(text));
}

const plain = (text: string): string => text;
const PLAIN = { dim: plain, yellow: plain, red: plain } as unknown as Pick<
  ChalkInstance,
  "dim" | "yellow" | "red"
>;

/**
 * The only writer to the terminal. stdout gets results and nothing else; stderr gets the rest.
 * Every line passes through `safeText`, the last guard that keeps keys and escapes off the screen.
 */
export class Output {
  readonly colorLevel: ColorLevel;

  /** Use `Output.open`: chalk is loaded only when there is color to paint. */
  constructor(
    readonly streams: Streams,
    readonly mode: OutputMode,
    private readonly chalk: Pick<ChalkInstance, "dim" | "yellow" | "red"> = PLAIN,
  ) {
    this.colorLevel = resolveColorLevel(streams.env, streams.stderr, mode.color);
  }

  static async open(streams: Streams, mode: OutputMode): Promise<Output> {
    const level = resolveColorLevel(streams.env, streams.stderr, mode.color);
    if (level === 0) return new Output(streams, mode);
    const { Chalk } = await import("chalk");
    return new Output(streams, mode, new Chalk({ level }));
  }

  /**
   * A spinner only makes sense on a terminal that a human reads; TERM=dumb says the terminal
   * cannot move its cursor, so it gets plain lines like a log.
   */
  get interactive(): boolean {
    return (
      this.streams.stderr.isTTY === true &&
      this.streams.env.TERM !== "dumb" &&
      !this.mode.json &&
      !this.mode.quiet
    );
  }

  private live: LiveSurface | undefined;

  /** Lines printed while `live` is drawn go above it: it is erased first and redrawn after. */
  attachLive(live: LiveSurface | undefined): void {
    this.live = live;
  }

  result(line: string): void {
    if (!this.mode.json) this.streams.stdout.write(`${safeText(line)}\n`);
  }

  /** One compact document per line instead of one indented document (ids read from stdin). */
  jsonLines = false;

  resultJson(value: unknown): void {
    const text = this.jsonLines ? JSON.stringify(value) : JSON.stringify(value, null, 2);
    this.streams.stdout.write(`${safeText(text)}\n`);
  }

  info(line: string): void {
    if (!this.mode.quiet) this.toStderr(`${safeText(line)}\n`);
  }

  debug(line: string): void {
    if (this.mode.verbose) this.toStderr(`${this.chalk.dim(safeText(line))}\n`);
  }

  warn(line: string): void {
    this.toStderr(`${this.chalk.yellow("warning:")} ${safeText(line)}\n`);
  }

  error(message: string, hint?: string): void {
    this.toStderr(`${this.chalk.red("error:")} ${safeText(message)}\n`);
    if (hint) this.toStderr(`${safeText(hint)}\n`);
  }

  private held: { text: string; ms: number; timer: NodeJS.Timeout | undefined } | undefined;

  /**
   * Gathers stderr lines for up to `ms` and writes them together: a batch off a terminal prints
   * thousands of progress lines, one write each otherwise. Lines keep their order; `release`,
   * and the process exiting in any way (a second Ctrl-C included), write what is held.
   */
  hold(ms: number): void {
    if (this.held) return;
    this.held = { text: "", ms, timer: undefined };
    process.on("exit", this.flush);
  }

  release(): void {
    if (!this.held) return;
    this.flush();
    this.held = undefined;
    process.off("exit", this.flush);
  }

  private toStderr(text: string): void {
    const held = this.held;
    if (!held) {
      this.live?.clear();
      this.streams.stderr.write(text);
      this.live?.schedule();
      return;
    }
    held.text += text;
    held.timer ??= setTimeout(this.flush, held.ms).unref();
  }

  private readonly flush = (): void => {
    const held = this.held;
    if (!held) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = undefined;
    const text = held.text;
    held.text = "";
    if (text) this.streams.stderr.write(text);
  };
}
