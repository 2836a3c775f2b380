import { fstatSync, writeSync } from "node:fs";

/**
 * What grokvid writes text (and, for `-o -`, a video's bytes) to: a Node stream, or a DirectStream
 * for a pipe, file or socket. `done` gets the error when the write failed, a reader gone included.
 */
export interface TextStream {
  write(text: string | Uint8Array, done?: (err?: Error | null) => void): boolean;
  readonly isTTY?: boolean;
}

/** A standard stream the CLI can wait on before it exits (see exitWhenFlushed). */
export interface StandardStream extends TextStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
}

/** The first write each stream could not do (other than to a reader that went away). */
const failures = new WeakMap<object, NodeJS.ErrnoException>();

/**
 * Why `stream` lost output, if it did: a full disk (ENOSPC), a file size limit (EFBIG), /dev/full.
 * The CLI checks stdout's before it exits, so a result that was never written is never a success.
 */
export function writeFailure(stream: object): NodeJS.ErrnoException | undefined {
  return failures.get(stream);
}

function isClosedPipe(err: NodeJS.ErrnoException): boolean {
  return err.code === "EPIPE" || err.code === "ECONNRESET" || err.code === "ERR_STREAM_DESTROYED";
}

/**
 * Writes straight to a file descriptor with write(2). process.stdout for a pipe or socket is a
 * net.Socket, and creating it loads net and streams: ~3 ms of a start-up that prints one line.
 * A blocking descriptor (what a shell or Node gives a child) takes every byte; one set to
 * non-blocking by its owner may refuse some (EAGAIN), and then the rest, and everything after,
 * goes through the Node stream, in order. A reader that went away (EPIPE) is not a failure of
 * ours: what is left has nowhere to go, as with the stream. Any other refusal (a full disk) is
 * recorded for writeFailure, and later text is dropped rather than written after a hole.
 */
export class DirectStream implements StandardStream {
  private stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd: number,
    private readonly open: () => NodeJS.WriteStream,
  ) {}

  get writableLength(): number {
    return this.stream?.writableLength ?? 0;
  }

  get destroyed(): boolean {
    return this.stream?.destroyed ?? false;
  }

  write(text: string | Uint8Array, done?: (err?: Error | null) => void): boolean {
    if (this.stream) return this.stream.write(text, done);
    let failure = failures.get(this);
    // Dropping text for a reader that went away is fine, but a caller that asks (a video being
    // piped) is told, so it can stop and say the output is cut short.
    let gone: NodeJS.ErrnoException | undefined;
    if (!failure) {
      const bytes = typeof text === "string" ? Buffer.from(text) : text;
      let at = 0;
      try {
        while (at < bytes.length) at += writeSync(this.fd, bytes, at);
      } catch (err) {
        const refused = err as NodeJS.ErrnoException;
        if (refused.code === "EAGAIN") {
          this.stream = this.open();
          return this.stream.write(bytes.subarray(at), done);
        }
        if (!isClosedPipe(refused)) failures.set(this, (failure = refused));
        else gone = refused;
      }
    }
    if (done) queueMicrotask(() => done(failure ?? gone));
    return true;
  }
}

/**
 * stdout (1) or stderr (2): direct for a pipe, a file or a socket; Node's own stream for a
 * terminal (colours, sizes, spinners) and anything else, such as /dev/null (telling a device
 * from a terminal takes node:tty, which loads net: the cost DirectStream avoids).
 */
export function standardStream(fd: 1 | 2): StandardStream {
  const open = (): NodeJS.WriteStream => {
    const stream = fd === 1 ? process.stdout : process.stderr;
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (!isClosedPipe(err) && !failures.has(stream)) failures.set(stream, err);
    });
    return stream;
  };
  try {
    const stat = fstatSync(fd);
    if (stat.isFIFO() || stat.isFile() || stat.isSocket()) return new DirectStream(fd, open);
  } catch {
    // No such descriptor (closed by the parent): Node's stream decides what that means.
  }
  return open();
}
