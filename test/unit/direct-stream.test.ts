import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync, readFileSync, writeFileSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DirectStream, writeFailure } from "../../src/ui/direct-stream.js";
import { makeTempDir } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

/** Both ends of a FIFO opened non-blocking, as an owner that shares its pipe with Node might. */
function nonBlockingPipe(): { read: number; write: number } {
  const path = join(temp.dir, "fifo");
  execFileSync("mkfifo", [path]);
  const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const write = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return { read, write };
}

const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${"x".repeat(40)}\n`);

describe("DirectStream: stdout and stderr written with write(2)", () => {
  it("a file gets every write, in order", () => {
    const path = join(temp.dir, "out.txt");
    writeFileSync(path, "");
    const fd = openSync(path, "a");
    const out = new DirectStream(fd, () => {
      throw new Error("a file never needs the stream");
    });
    for (const line of lines) out.write(line);
    closeSync(fd);
    expect(readFileSync(path, "utf8")).toBe(lines.join(""));
  });

  it("a non-blocking pipe that refuses bytes (EAGAIN): the rest and all later writes go through the stream, in order", async () => {
    const pipe = nonBlockingPipe();
    let opened: Socket | undefined;
    const out = new DirectStream(pipe.write, () => {
      opened = new Socket({ fd: pipe.write, readable: false, writable: true });
      return opened as unknown as NodeJS.WriteStream;
    });
    const reader = new Socket({ fd: pipe.read, readable: true, writable: false });
    const received: Buffer[] = [];
    reader.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => reader.on("end", resolve));
    for (const line of lines) out.write(line);
    // A pipe holds 64 KiB and this is 1 MiB written before the reader ran once.
    expect(opened).toBeDefined();
    expect(out.writableLength).toBeGreaterThan(0);
    await new Promise<void>((resolve) => out.write("", () => resolve()));
    expect(out.writableLength).toBe(0);
    opened?.end();
    await ended;
    expect(Buffer.concat(received).toString("utf8")).toBe(lines.join(""));
  });

  it("a reader that went away (EPIPE) is not an error: the text is dropped", async () => {
    const pipe = nonBlockingPipe();
    closeSync(pipe.read);
    const out = new DirectStream(pipe.write, () => {
      throw new Error("EPIPE never needs the stream");
    });
    expect(out.write("nobody reads this\n")).toBe(true);
    await new Promise<void>((resolve) => out.write("", () => resolve()));
    closeSync(pipe.write);
  });

  it("any other failure (a full disk, a bad descriptor) is recorded for the exit, and later text is dropped", async () => {
    const out = new DirectStream(987_654, () => {
      throw new Error("unreachable");
    });
    expect(writeFailure(out)).toBeUndefined();
    expect(out.write("x")).toBe(true);
    expect(writeFailure(out)).toEqual(expect.objectContaining({ code: "EBADF" }));
    const reported = await new Promise((resolve) => out.write("y", resolve));
    expect(reported).toBe(writeFailure(out));
  });
});
