import { fstatSync, writeSync } from "node:fs";

/** What grokvid writes text to: a Node stream, or a DirectStream for a pipe, file or socket. */
export interface TextStream {
  write(text: string, done?: (err?: Error | null) => void): boolean;
  readonly isTTY?: boolean;
}

/** A standard stream the CLI can wait on before it exits (see exitWhenFlushed). */
export interface StandardStream extends TextStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
}

function ignoreClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
}

/**
 * Writes straight to a file descriptor with write(2). process.stdout for a pipe or socket is a
 * net.Socket, and creating it loads net and streams: ~3 ms of a start-up that prints one line.
 * A blocking descriptor (what a shell or Node gives a child) takes every byte; one set to
 * non-blocking by its owner may refuse some (EAGAIN), and then the rest, and everything after,
 * goes through the Node stream, in order. A reader that went away (EPIPE) is not a failure of
 * ours: what is left has nowhere to go, as with the stream.
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

  write(text: string, done?: (err?: Error | null) => void): boolean {
    if (this.stream) return this.stream.write(text, done);
    const bytes = Buffer.from(text);
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(this.fd, bytes, at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        this.stream = this.open();
        return this.stream.write(bytes.subarray(at), done);
      }
      if (code !== "EPIPE") throw err;
    }
    if (done) queueMicrotask(done);
    return true;
  }
}

/**
 * stdout (1) or stderr (2): direct for a pipe, a file or a socket; Node's own stream for a
 * terminal (colours, sizes, spinners) and anything else.
 */
export function standardStream(fd: 1 | 2): StandardStream {
  const open = (): NodeJS.WriteStream => {
    const stream = fd === 1 ? process.stdout : process.stderr;
    stream.on("error", ignoreClosedPipe);
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
