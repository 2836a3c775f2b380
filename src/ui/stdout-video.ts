import { Writable } from "node:stream";
import { ExitCode, GrokvidError, UsageError } from "../util/errors.js";
import { shellQuote } from "../util/format.js";
import type { TextStream } from "./direct-stream.js";

/** `-o -`, as curl, wget and yt-dlp spell it. */
const STDOUT_PATH = "-";

/**
 * The sink for `-o -` (refused on a terminal or with --json, before anything is sent), or
 * undefined for any other output. `hint` says how to get the video again (the job is journaled).
 */
export function videoToStdout(
  output: string | undefined,
  stdout: TextStream,
  json: boolean,
  hint: () => string,
): Writable | undefined {
  if (output !== STDOUT_PATH) return undefined;
  checkVideoToStdout(stdout, json);
  return stdoutVideoSink(stdout, hint);
}

/**
 * Where `-o -` may write, checked before anything is sent: a terminal would get megabytes of
 * binary (curl refuses too), and `--json` is a second document on the same stdout.
 */
function checkVideoToStdout(stdout: TextStream, json: boolean): void {
  if (stdout.isTTY === true)
    throw new UsageError("refusing to write a video to a terminal; redirect it or pass -o FILE");
  if (json) throw new UsageError("-o - writes the video to stdout, where --json would go too; pick one");
}

/**
 * A writable over the command's stdout for the video's bytes. Each chunk waits for the one before
 * (highWaterMark 0), so a slow reader slows the download instead of filling memory, and a reader
 * that went away (EPIPE) fails the next write: the video is cut short, which is an error, unlike
 * text nobody reads any more.
 */
function stdoutVideoSink(stdout: TextStream, hint: () => string): Writable {
  let written = 0;
  const sink = new Writable({
    highWaterMark: 0,
    write(chunk: Buffer, _encoding, done) {
      stdout.write(chunk, (err) => {
        if (!err) {
          written += chunk.length;
          return done();
        }
        const reason = "code" in err && typeof err.code === "string" ? err.code : err.message;
        done(
          new GrokvidError(
            `cannot write the video to stdout (${reason}) after ${written} bytes: what the reader got is cut short`,
            ExitCode.internal,
            { hint: hint(), cause: err },
          ),
        );
      });
    },
  });
  // The writer (stream-video) sees the error as the rejection of its write; this keeps an error
  // between two writes from being an unhandled 'error' event.
  sink.on("error", () => {});
  return sink;
}

export function downloadHint(id: string): string {
  return `the job is in the journal; get the whole video with: grokvid download ${shellQuote(id)} -o FILE`;
}
