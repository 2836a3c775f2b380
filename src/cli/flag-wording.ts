import type { GrokvidError } from "../index.js";
import { UsageError } from "../index.js";

/** `referenceImage` -> `--reference-image`: the flag of a library option. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * An error's message as the command line words it: the library names the option a usage error is
 * about as it calls it ("duration 7 is not accepted"), and carries that name as data; here it
 * becomes the flag the user typed ("--duration 7 is not accepted").
 */
export function cliMessage(err: GrokvidError): string {
  if (!(err instanceof UsageError) || err.option === undefined) return err.message;
  const at = err.message.search(new RegExp(`(?<![\\w-])${err.option}(?![\\w-])`));
  if (at === -1) return err.message;
  return `${err.message.slice(0, at)}${flagOf(err.option)}${err.message.slice(at + err.option.length)}`;
}
