import { randomBytes } from "node:crypto";
import type { SandboxDialect } from "./types.js";

/**
 * Task ids are self-describing so that a fresh sandbox (another CLI process) answers about a task
 * created by an earlier one exactly as the first would: no state survives a process, only the id.
 *
 * Layout: `<prefix><body>` with prefix `task_` (apimart, xcompute), `jm_` (jimmyai), `video_` (duoyuanx)
 * and a 25-char lowercase base36 body:
 *   [0]      dialect      a=apimart x=xcompute j=jimmyai d=duoyuanx
 *   [1]      outcome      n=normal f=fails at the end of running h=hangs running at 50 %
 *   [2]      model        p=grok-imagine-video-1.5-preview s=grok-video-1.5 r=-pro m=-max 0=the dialect's only model
 *   [3..5]   seconds      base36, 3 chars (0 = not applicable)
 *   [6]      resolution   0=none 4=480P 5=540P 7=720P h=1080P
 *   [7..15]  created ms   base36, 9 chars
 *   [16..20] random       uniqueness within one millisecond
 *   [21..24] checksum     FNV-1a of prefix + body[0..20], so a typo or a foreign id is "unknown", not garbage
 */

export type TaskOutcome = "normal" | "fail" | "never";
export type DuoyuanxModel =
  "grok-imagine-video-1.5-preview" | "grok-video-1.5" | "grok-video-1.5-pro" | "grok-video-1.5-max";
export type Resolution = "480P" | "540P" | "720P" | "1080P";

export interface TaskInfo {
  dialect: SandboxDialect;
  outcome: TaskOutcome;
  createdMs: number;
  /** Only duoyuanx has several models with different answers. */
  model?: DuoyuanxModel;
  seconds?: number;
  resolution?: Resolution;
}

export const MAX_ENCODED_SECONDS = 36 ** 3 - 1;

const DIALECT_CODES = { apimart: "a", xcompute: "x", jimmyai: "j", duoyuanx: "d" } as const;
const OUTCOME_CODES = { normal: "n", fail: "f", never: "h" } as const;
const MODEL_CODES = {
  "grok-imagine-video-1.5-preview": "p",
  "grok-video-1.5": "s",
  "grok-video-1.5-pro": "r",
  "grok-video-1.5-max": "m",
} as const;
const RESOLUTION_CODES = { "480P": "4", "540P": "5", "720P": "7", "1080P": "h" } as const;
const PREFIXES = { apimart: "task_", xcompute: "task_", jimmyai: "jm_", duoyuanx: "video_" } as const;

const BODY_LENGTH = 25;

function findKey<K extends string>(table: Record<K, string>, code: string): K | undefined {
  const keys = Object.keys(table).filter((key): key is K => key in table);
  return keys.find((key) => table[key] === code);
}

function computeChecksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 36 ** 4).toString(36).padStart(4, "0");
}

function generateRandomChars(count: number): string {
  const bytes = randomBytes(count);
  let out = "";
  for (const byte of bytes) out += (byte % 36).toString(36);
  return out;
}

export function encodeTaskId(info: TaskInfo): string {
  const prefix = PREFIXES[info.dialect];
  const seconds = Math.min(Math.max(info.seconds ?? 0, 0), MAX_ENCODED_SECONDS);
  const created = Math.max(0, Math.floor(info.createdMs));
  const head =
    DIALECT_CODES[info.dialect] +
    OUTCOME_CODES[info.outcome] +
    (info.model ? MODEL_CODES[info.model] : "0") +
    seconds.toString(36).padStart(3, "0") +
    (info.resolution ? RESOLUTION_CODES[info.resolution] : "0") +
    created.toString(36).padStart(9, "0") +
    generateRandomChars(5);
  return prefix + head + computeChecksum(prefix + head);
}

/** Returns undefined for anything this sandbox did not issue (wrong prefix, length, checksum or dialect). */
export function decodeTaskId(id: string, expected?: SandboxDialect): TaskInfo | undefined {
  const match = /^(task_|jm_|video_)([0-9a-z]+)$/.exec(id);
  if (!match) return undefined;
  const prefix = match[1] ?? "";
  const body = match[2] ?? "";
  if (body.length !== BODY_LENGTH) return undefined;
  const head = body.slice(0, BODY_LENGTH - 4);
  if (computeChecksum(prefix + head) !== body.slice(BODY_LENGTH - 4)) return undefined;
  const dialect = findKey(DIALECT_CODES, body.charAt(0));
  const outcome = findKey(OUTCOME_CODES, body.charAt(1));
  if (!dialect || !outcome || PREFIXES[dialect] !== prefix) return undefined;
  if (expected && dialect !== expected) return undefined;
  const info: TaskInfo = { dialect, outcome, createdMs: Number.parseInt(body.slice(7, 16), 36) };
  const model = findKey(MODEL_CODES, body.charAt(2));
  if (model) info.model = model;
  const seconds = Number.parseInt(body.slice(3, 6), 36);
  if (seconds > 0) info.seconds = seconds;
  const resolution = findKey(RESOLUTION_CODES, body.charAt(6));
  if (resolution) info.resolution = resolution;
  return info;
}
