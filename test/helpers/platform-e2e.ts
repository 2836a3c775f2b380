import { readFile, writeFile } from "node:fs/promises";
import { readJournalText } from "./journal-text.js";
import { join } from "node:path";
import { expect } from "vitest";
import type { PlatformDialect, SandboxRequest } from "../../src/sandbox/types.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { PNG_1X1 } from "../fixtures/images.js";
import type { E2eContext } from "./e2e.js";
import { type CliResult, runCli } from "./run-cli.js";

/**
 * What the e2e tests of the hosted platforms (issue 22: fal, replicate, openrouter, aimlapi) share:
 * the CLI pointed at one platform of the file's sandbox, small real images on disk, and readers of
 * the sandbox's request log.
 */

/** One JPEG marker segment: FF, the marker, a big-endian length that counts itself, the body. */
function jpegSegment(marker: number, body: readonly number[]): Buffer {
  const length = body.length + 2;
  return Buffer.from([0xff, marker, length >> 8, length & 0xff, ...body]);
}

/** A Huffman table (class and id in `tableClass`) with one 1-bit code, "0", for the symbol 0. */
const oneCodeTable = (tableClass: number): number[] => [tableClass, 1, ...Array<number>(15).fill(0), 0];

/**
 * A real baseline JPEG: one 8x8 mid-grey block, grey scale. Its only block codes DC difference 0
 * ("0") and end of block ("0"), padded with 1 bits.
 */
export const JPEG_8X8 = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  jpegSegment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
  jpegSegment(0xdb, [0, ...Array<number>(64).fill(1)]),
  jpegSegment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
  jpegSegment(0xc4, oneCodeTable(0x00)),
  jpegSegment(0xc4, oneCodeTable(0x10)),
  jpegSegment(0xda, [1, 1, 0x00, 0, 63, 0]),
  Buffer.from([0x3f, 0xff, 0xd9]),
]);

export const PNG_DATA_URI = `data:image/png;base64,${PNG_1X1.toString("base64")}`;
export const JPEG_DATA_URI = `data:image/jpeg;base64,${JPEG_8X8.toString("base64")}`;

/** Polls every 100 ms: the sandbox's stepping clock ends a task after a fixed number of requests. */
export const FAST = ["--interval", "100ms"] as const;

/** Writes cat.png and dog.jpg into the test's folder (also the CLI's cwd). */
export async function writeImages(dir: string): Promise<void> {
  await writeFile(join(dir, "cat.png"), PNG_1X1);
  await writeFile(join(dir, "dog.jpg"), JPEG_8X8);
}

export type Cli = (args: readonly string[], extra?: Record<string, string>) => Promise<CliResult>;

/** The CLI with the platform's key and base URL pointing at the sandbox, and a journal in the test folder. */
export function platformCli(e2e: E2eContext, dialect: PlatformDialect): Cli {
  return (args, extra = {}) =>
    runCli(args, {
      cwd: e2e.dir,
      env: { ...e2e.envFor(dialect), GROKVID_HOME: join(e2e.dir, "home"), ...extra },
    });
}

/** The journal's records, parsed. */
export async function readJournal(dir: string): Promise<Array<Record<string, unknown>>> {
  const text = await readJournalText(join(dir, "home", "journal.jsonl"));
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface Saved {
  id: string;
  status: string;
  path: string;
  cost?: { usd: number; estimate?: boolean };
  [field: string]: unknown;
}

/**
 * The `--json` document of a `--download` that succeeded, after checking that the saved file holds
 * exactly the bytes the sandbox serves for that task (a pure function of the task id).
 */
export async function expectSaved(r: CliResult, dir: string, file: string): Promise<Saved> {
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as Saved;
  expect(doc.status).toBe("succeeded");
  expect(doc.path).toBe(file);
  const bytes = await readFile(join(dir, file));
  expect(bytes.equals(generateTaskVideo(doc.id)), `${file} holds the bytes served for ${doc.id}`).toBe(true);
  return doc;
}

/** Every POST the API origin received, as [path, body]. */
export function posts(requests: readonly SandboxRequest[]): Array<[string, unknown]> {
  return requests.filter((q) => q.method === "POST").map((q) => [q.path, q.body]);
}

export const onCdn = (requests: readonly SandboxRequest[]): SandboxRequest[] =>
  requests.filter((q) => q.origin === "cdn");

export const onApi = (requests: readonly SandboxRequest[]): SandboxRequest[] =>
  requests.filter((q) => q.origin !== "cdn");

/** stderr of a refusal: exactly one line. */
export function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  return lines[0] ?? "";
}
