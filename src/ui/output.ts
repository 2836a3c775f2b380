import { Chalk, type ChalkInstance } from "chalk";
import { redact } from "../redact.js";
import { stripTerminalControls } from "../util/untrusted.js";
import { type ColorLevel, resolveColorLevel } from "./color.js";

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
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

/**
 * The only writer to the terminal. stdout gets results and nothing else; stderr gets the rest.
 * Every line passes through `safeText`, the last guard that keeps keys and escapes off the screen.
 */
export class Output {
  readonly chalk: ChalkInstance;
  readonly colorLevel: ColorLevel;

  constructor(
    readonly streams: Streams,
    readonly mode: OutputMode,
  ) {
    this.colorLevel = resolveColorLevel(streams.env, streams.stderr.isTTY === true, mode.color);
    this.chalk = new Chalk({ level: this.colorLevel });
  }

  /** A spinner only makes sense on a terminal that a human reads. */
  get interactive(): boolean {
    return this.streams.stderr.isTTY === true && !this.mode.json && !this.mode.quiet;
  }

  result(line: string): void {
    if (!this.mode.json) this.streams.stdout.write(`${safeText(line)}\n`);
  }

  resultJson(value: unknown): void {
    this.streams.stdout.write(`${safeText(JSON.stringify(value, null, 2))}\n`);
  }

  info(line: string): void {
    if (!this.mode.quiet) this.streams.stderr.write(`${safeText(line)}\n`);
  }

  debug(line: string): void {
    if (this.mode.verbose) this.streams.stderr.write(`${this.chalk.dim(safeText(line))}\n`);
  }

  warn(line: string): void {
    this.streams.stderr.write(`${this.chalk.yellow("warning:")} ${safeText(line)}\n`);
  }

  error(message: string, hint?: string): void {
    this.streams.stderr.write(`${this.chalk.red("error:")} ${safeText(message)}\n`);
    if (hint) this.streams.stderr.write(`${safeText(hint)}\n`);
  }
}
