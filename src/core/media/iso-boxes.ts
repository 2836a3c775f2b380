/**
 * Walking ISO/IEC 14496-12 boxes in untrusted bytes. Every size and offset is checked before use and
 * a malformed box is reported as a MalformedBoxError naming it, so a caller converts one exception
 * type into its answer and anything else is a bug that tests should see.
 */

/** A box's place in the bytes holding it: [start, end) with its payload from payloadStart. */
export interface Box {
  readonly type: string;
  readonly start: number;
  readonly payloadStart: number;
  readonly end: number;
}

/** The bytes [offset, offset + length) of the file; a shorter answer means the file ended first. */
export interface ByteRequest {
  readonly offset: number;
  readonly length: number;
}

/** A walk over a file that asks for the bytes it needs, so one walker serves in-memory bytes and a file. */
export type ByteWalk<T> = Generator<ByteRequest, T, Uint8Array>;

export class MalformedBoxError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "MalformedBoxError";
  }
}

/** size + type, then an optional 64-bit largesize and a 16-byte uuid user type. */
const MAX_HEADER_BYTES = 32;
/** A hostile file of millions of empty boxes would otherwise cost one read each. */
export const MAX_TOP_LEVEL_BOXES = 10_000;

/** A box type fit to print: its four characters, or their hex when they are not printable ASCII. */
export function describeBoxType(type: string): string {
  if (/^[\x20-\x7e]{4}$/.test(type)) return type;
  const hex = Array.from(type, (char) => char.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  return `0x${hex}`;
}

function decodeFourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function viewBytes(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses the header of the box at `start`, whose container ends at `limit`; `head` holds the bytes
 * from `start` on (up to 32 are needed). `container` names the container for messages.
 */
export function parseBoxHeader(head: Uint8Array, start: number, limit: number, container: string): Box {
  if (head.length < 8) throw new MalformedBoxError(`box header at offset ${start} is truncated`);
  const view = viewBytes(head);
  const type = decodeFourcc(head, 4);
  const name = describeBoxType(type);
  const declared = view.getUint32(0);
  let headerSize = 8;
  let size: number;
  if (declared === 1) {
    if (head.length < 16) throw new MalformedBoxError(`${name} box header is truncated`);
    const large = view.getBigUint64(8);
    // Anything past the container is refused below; clamping first keeps the number exact.
    size = large > BigInt(limit - start) ? limit - start + 1 : Number(large);
    headerSize = 16;
  } else if (declared === 0) {
    size = limit - start;
  } else {
    size = declared;
  }
  if (type === "uuid") {
    headerSize += 16;
    if (head.length < headerSize) throw new MalformedBoxError(`${name} box header is truncated`);
  }
  if (size < headerSize) {
    throw new MalformedBoxError(`${name} box size ${size} is smaller than its header`);
  }
  if (size > limit - start) throw new MalformedBoxError(`${name} box runs past ${container}`);
  return { type, start, payloadStart: start + headerSize, end: start + size };
}

/**
 * Walks the top-level boxes of a file of `fileSize` bytes, reading only their headers, and answers
 * the whole payload of the first box of type `wanted`, or undefined when there is none.
 */
export function* readTopLevelPayload(
  fileSize: number,
  wanted: string,
  maxPayloadBytes: number,
): ByteWalk<Uint8Array | undefined> {
  let offset = 0;
  for (let count = 0; offset < fileSize; count++) {
    if (count >= MAX_TOP_LEVEL_BOXES) {
      throw new MalformedBoxError(`no ${wanted} box in the first ${MAX_TOP_LEVEL_BOXES} boxes`);
    }
    const head = yield { offset, length: Math.min(MAX_HEADER_BYTES, fileSize - offset) };
    const box = parseBoxHeader(head, offset, fileSize, "the end of the file");
    if (box.type === wanted) {
      const length = box.end - box.payloadStart;
      if (length > maxPayloadBytes) {
        throw new MalformedBoxError(`${wanted} box is larger than ${maxPayloadBytes / 2 ** 20} MiB`);
      }
      const payload = yield { offset: box.payloadStart, length };
      // The size was checked against the file's size, so a short read means the file shrank.
      if (payload.length < length) throw new MalformedBoxError(`${wanted} box is truncated`);
      return payload;
    }
    offset = box.end;
  }
  return undefined;
}

/** Runs a walk over bytes already in memory. */
export function runByteWalk<T>(walk: ByteWalk<T>, bytes: Uint8Array): T {
  let step = walk.next();
  while (step.done !== true) {
    const { offset, length } = step.value;
    step = walk.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}

/**
 * The children of `parent`, in order. Fewer than 8 bytes left at the end are ignored: QuickTime
 * ends some containers with a 32-bit zero.
 */
export function* listChildBoxes(bytes: Uint8Array, parent: Box): Generator<Box, void, undefined> {
  const container = `the end of its ${describeBoxType(parent.type)} box`;
  for (let offset = parent.payloadStart; parent.end - offset >= 8;) {
    const head = bytes.subarray(offset, Math.min(offset + MAX_HEADER_BYTES, parent.end));
    const box = parseBoxHeader(head, offset, parent.end, container);
    yield box;
    offset = box.end;
  }
}

export function findChildBox(bytes: Uint8Array, parent: Box, type: string): Box | undefined {
  for (const child of listChildBoxes(bytes, parent)) if (child.type === type) return child;
  return undefined;
}

/** Follows a path of box types down from `parent`, taking the first child of each type. */
export function findBoxPath(bytes: Uint8Array, parent: Box, path: readonly string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of path) {
    if (box === undefined) return undefined;
    box = findChildBox(bytes, box, type);
  }
  return box;
}

/** Bounds-checked big-endian reads of a box's payload; `at` counts from the payload's start. */
export class PayloadReader {
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    private readonly box: Box,
  ) {
    this.view = viewBytes(bytes);
  }

  get length(): number {
    return this.box.end - this.box.payloadStart;
  }

  u8(at: number): number {
    return this.view.getUint8(this.locate(at, 1));
  }

  u16(at: number): number {
    return this.view.getUint16(this.locate(at, 2));
  }

  u32(at: number): number {
    return this.view.getUint32(this.locate(at, 4));
  }

  i32(at: number): number {
    return this.view.getInt32(this.locate(at, 4));
  }

  u64(at: number): bigint {
    return this.view.getBigUint64(this.locate(at, 8));
  }

  fourcc(at: number): string {
    const from = this.locate(at, 4);
    return String.fromCharCode(
      this.view.getUint8(from),
      this.view.getUint8(from + 1),
      this.view.getUint8(from + 2),
      this.view.getUint8(from + 3),
    );
  }

  /** Throws unless the payload holds `size` bytes at `at`. */
  private locate(at: number, size: number): number {
    if (at < 0 || at + size > this.length) {
      throw new MalformedBoxError(`${describeBoxType(this.box.type)} box is truncated`);
    }
    return this.box.payloadStart + at;
  }
}
