import { MalformedBoxError, readTopLevelPayload, type ByteRequest } from "./iso-boxes.js";
import { headerFromMoov, MAX_MOOV_BYTES, type VideoHeaderResult } from "./mp4-header.js";

type Walk = Generator<ByteRequest, Uint8Array | undefined, Uint8Array>;

/**
 * Reads an mp4's header from its bytes as they stream past (`-o -`, or any writable a library user
 * passes), with the same box walker that reads a file. The walker asks for byte ranges at rising
 * offsets, so bytes before the range it waits for are dropped as they arrive: memory stays at one
 * chunk plus the moov box (capped as for a file), whether moov comes before or after a 1 GiB mdat.
 */
export class StreamHeaderReader {
  private readonly walk: Walk;
  private readonly sizeKnown: boolean;
  private request: ByteRequest | undefined;
  private result: VideoHeaderResult | undefined;
  /** Bytes pushed so far; the buffered ones are the last `bufferedBytes` of them. */
  private received = 0;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  /** `size`: the stream's length when declared (Content-Length); otherwise the walk ends where the bytes do. */
  constructor(size: number | undefined) {
    this.sizeKnown = size !== undefined;
    this.walk = readTopLevelPayload(size ?? Number.MAX_SAFE_INTEGER, "moov", MAX_MOOV_BYTES);
    this.advance(() => this.walk.next());
  }

  push(chunk: Uint8Array): void {
    const start = this.received;
    this.received += chunk.byteLength;
    if (this.result || !this.request) return;
    // Only what the walker may still ask for is kept: never the bytes before its next offset.
    const keepFrom = Math.max(0, this.request.offset - start);
    if (keepFrom >= chunk.byteLength) return;
    this.buffered.push(Buffer.from(chunk.buffer, chunk.byteOffset + keepFrom, chunk.byteLength - keepFrom));
    this.bufferedBytes += chunk.byteLength - keepFrom;
    this.answerWhileReady(false);
  }

  /** What the header says, once every byte has been pushed. Never throws for hostile bytes. */
  finish(): VideoHeaderResult {
    // Without a declared size the file ends where the bytes do: a walk waiting exactly there found no moov.
    if (!this.result && !this.sizeKnown && this.request?.offset === this.received) {
      this.settle(headerFromMoov(undefined));
    }
    this.answerWhileReady(true);
    return this.result ?? { ok: false, reason: "the video ended before its header" };
  }

  /** Answers each request the buffered bytes cover (short answers once the stream has ended). */
  private answerWhileReady(ended: boolean): void {
    while (!this.result && this.request) {
      const { offset, length } = this.request;
      this.dropBefore(offset);
      const available = Math.max(0, this.received - offset);
      if (available < length && !ended) return;
      const answer = this.take(offset, Math.min(length, available));
      this.advance(() => this.walk.next(answer));
    }
  }

  private advance(step: () => IteratorResult<ByteRequest, Uint8Array | undefined>): void {
    try {
      const next = step();
      if (next.done === true) this.settle(headerFromMoov(next.value));
      else this.request = next.value;
    } catch (error) {
      if (!(error instanceof MalformedBoxError)) throw error;
      this.settle({ ok: false, reason: error.message });
    }
  }

  private settle(result: VideoHeaderResult): void {
    this.result = result;
    this.request = undefined;
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  private dropBefore(offset: number): void {
    let start = this.received - this.bufferedBytes;
    while (start < offset && this.buffered.length > 0) {
      const first = this.buffered[0] as Buffer;
      const drop = Math.min(first.length, offset - start);
      if (drop === first.length) this.buffered.shift();
      else this.buffered[0] = first.subarray(drop);
      this.bufferedBytes -= drop;
      start += drop;
    }
  }

  /** [offset, offset + length) from the buffered bytes, which now start at `offset`. */
  private take(offset: number, length: number): Uint8Array {
    const joined = this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
    this.buffered = joined.length > 0 ? [joined] : [];
    const from = offset - (this.received - this.bufferedBytes);
    return joined.subarray(from, from + length);
  }
}
