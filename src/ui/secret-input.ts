import { ReadStream } from "node:tty";
import { InterruptedError } from "../util/errors.js";
import type { TextStream } from "./direct-stream.js";

/** Far more than any API key; a larger input is not a key pasted by hand. */
const MAX_BYTES = 64 * 1024;

/** The first line of a pipe or file: `echo "$KEY" | grokvid keys set apimart`. */
async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk);
    if (text.includes("\n") || text.length > MAX_BYTES) break;
  }
  return (text.split(/\r?\n/)[0] ?? "").trim();
}

/**
 * Reads a line with echo off (raw mode), so the key is never on the screen nor in the
 * terminal's scrollback; Ctrl-C ends it with exit 130 and nothing stored.
 */
function readHidden(stdin: ReadStream, stderr: TextStream, question: string): Promise<string> {
  // Echo goes off before the question shows, so a key typed (or pasted) at once is never echoed.
  stdin.setRawMode(true);
  stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
      if (error) reject(error);
      else resolve(typed.trim());
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of Buffer.isBuffer(chunk) ? chunk.toString("utf8") : chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new InterruptedError("interrupted; no key was stored"));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else if (ch >= " ") typed += ch;
      }
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}

/** A secret from a hidden prompt when standard input is a terminal, else the first line of it. */
export function readSecret(
  stdin: NodeJS.ReadableStream,
  stderr: TextStream,
  question: string,
): Promise<string> {
  if (stdin instanceof ReadStream && stdin.isTTY) return readHidden(stdin, stderr, question);
  return readFirstLine(stdin);
}
