import { randomBytes } from "node:crypto";
import type { AnySandboxDialect } from "./types.js";

/**
 * Task ids are self-describing so that a fresh sandbox (another CLI process) answers about a task
 * created by an earlier one exactly as the first would: no state survives a process, only the id.
 *
 * Layout: `<prefix><body>` with prefix `task_` (apimart, xcompute), `jm_` (jimmyai), `video_` (duoyuanx),
 * `xai_` (xai), `fal_`, `pred_` (replicate), `orv_` (openrouter), `aiml_` (aimlapi) and a lowercase
 * base36 body of 25 chars (27 for xai). The platforms' ids carry what the video is (seconds, size);
 * what was asked and whether it was cancelled lives in the sandbox's PlatformJobs (platform-jobs.ts).
 *   [0]      dialect      a=apimart x=xcompute j=jimmyai d=duoyuanx g=xai f=fal r=replicate o=openrouter m=aimlapi
 *   [1]      outcome      n=normal f=fails at the end of running h=hangs running at 50 %
 *                         m=moderated (done, video withheld) e=expired at the end (xai only)
 *   [2]      model        p=grok-imagine-video-1.5-preview s=grok-video-1.5 r=-pro m=-max
 *                         v=grok-imagine-video i=grok-imagine-video-1.5 0=the dialect's only model
 *   [3..5]   seconds      base36, 3 chars (0 = not applicable); for xai the seconds of the finished video
 *   [6]      resolution   0=none 4=480P 5=540P 7=720P h=1080P
 *   [7..15]  created ms   base36, 9 chars
 *   [16..20] random       uniqueness within one millisecond
 *   [21..26] display size the delivered video's width and height in pixels, base36, 3 chars each
 *                         (000000 = not recorded: the sandbox's plain 64x64 video)
 *   xai only, so the other dialects' ids stay as they were:
 *   [27]     kind         g=generation e=edit x=extension
 *   [28]     billed s     base36, 1 char: the seconds xAI charges for (an extension bills only what it adds)
 *   last 4   checksum     FNV-1a of prefix + the body before it, so a typo or a foreign id is "unknown", not garbage
 */

export type TaskOutcome = "normal" | "fail" | "never" | "moderated" | "expired";
export type DuoyuanxModel =
  "grok-imagine-video-1.5-preview" | "grok-video-1.5" | "grok-video-1.5-pro" | "grok-video-1.5-max";
export type XaiModel = "grok-imagine-video" | "grok-imagine-video-1.5";
export type XaiKind = "generation" | "edit" | "extension";
export type Resolution = "480P" | "540P" | "720P" | "1080P";

export interface TaskInfo {
  dialect: AnySandboxDialect;
  outcome: TaskOutcome;
  createdMs: number;
  /** Only duoyuanx and xai have several models with different answers. */
  model?: DuoyuanxModel | XaiModel;
  seconds?: number;
  resolution?: Resolution;
  /** xai only: which endpoint created the task. */
  kind?: XaiKind;
  /** xai only: the seconds the cost is computed from. */
  billedSeconds?: number;
  /** The delivered video's display size (what its header says), decided when the task is created. */
  width?: number;
  height?: number;
}

export const MAX_ENCODED_SECONDS = 36 ** 3 - 1;
/** One base36 char. */
const MAX_BILLED_SECONDS = 35;

const DIALECT_CODES = {
  apimart: "a",
  xcompute: "x",
  jimmyai: "j",
  duoyuanx: "d",
  xai: "g",
  fal: "f",
  replicate: "r",
  openrouter: "o",
  aimlapi: "m",
} as const;
const OUTCOME_CODES = { normal: "n", fail: "f", never: "h", moderated: "m", expired: "e" } as const;
const MODEL_CODES = {
  "grok-imagine-video-1.5-preview": "p",
  "grok-video-1.5": "s",
  "grok-video-1.5-pro": "r",
  "grok-video-1.5-max": "m",
  "grok-imagine-video": "v",
  "grok-imagine-video-1.5": "i",
} as const;
const RESOLUTION_CODES = { "480P": "4", "540P": "5", "720P": "7", "1080P": "h" } as const;
const KIND_CODES = { generation: "g", edit: "e", extension: "x" } as const;
const PREFIXES = {
  apimart: "task_",
  xcompute: "task_",
  jimmyai: "jm_",
  duoyuanx: "video_",
  xai: "xai_",
  fal: "fal_",
  replicate: "pred_",
  openrouter: "orv_",
  aimlapi: "aiml_",
} as const;

/** Head (dialect .. random, display size), then the xai extras, then the checksum. */
const HEAD_LENGTH = 27;
const SIZE_START = 21;
/** Three base36 chars per side. */
const MAX_SIDE = 36 ** 3 - 1;
const CHECKSUM_LENGTH = 4;
const EXTRA_LENGTH: Record<AnySandboxDialect, number> = {
  apimart: 0,
  xcompute: 0,
  jimmyai: 0,
  duoyuanx: 0,
  xai: 2,
  fal: 0,
  replicate: 0,
  openrouter: 0,
  aimlapi: 0,
};

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
    generateRandomChars(5) +
    encodeSide(info.width) +
    encodeSide(info.height) +
    (info.dialect === "xai" ? encodeXaiExtras(info) : "");
  return prefix + head + computeChecksum(prefix + head);
}

function encodeSide(pixels: number | undefined): string {
  const side = Math.min(Math.max(Math.round(pixels ?? 0), 0), MAX_SIDE);
  return side.toString(36).padStart(3, "0");
}

function encodeXaiExtras(info: TaskInfo): string {
  const billed = Math.min(Math.max(info.billedSeconds ?? info.seconds ?? 0, 0), MAX_BILLED_SECONDS);
  return KIND_CODES[info.kind ?? "generation"] + billed.toString(36);
}

/** Returns undefined for anything this sandbox did not issue (wrong prefix, length, checksum or dialect). */
export function decodeTaskId(id: string, expected?: AnySandboxDialect): TaskInfo | undefined {
  const match = /^(task_|jm_|video_|xai_|fal_|pred_|orv_|aiml_)([0-9a-z]+)$/.exec(id);
  if (!match) return undefined;
  const prefix = match[1] ?? "";
  const body = match[2] ?? "";
  const dialect = findKey(DIALECT_CODES, body.charAt(0));
  if (!dialect || body.length !== HEAD_LENGTH + EXTRA_LENGTH[dialect] + CHECKSUM_LENGTH) return undefined;
  const head = body.slice(0, -CHECKSUM_LENGTH);
  if (computeChecksum(prefix + head) !== body.slice(-CHECKSUM_LENGTH)) return undefined;
  const outcome = findKey(OUTCOME_CODES, body.charAt(1));
  if (!outcome || PREFIXES[dialect] !== prefix) return undefined;
  if (expected && dialect !== expected) return undefined;
  const info: TaskInfo = { dialect, outcome, createdMs: Number.parseInt(body.slice(7, 16), 36) };
  const model = findKey(MODEL_CODES, body.charAt(2));
  if (model) info.model = model;
  const seconds = Number.parseInt(body.slice(3, 6), 36);
  if (seconds > 0) info.seconds = seconds;
  const resolution = findKey(RESOLUTION_CODES, body.charAt(6));
  if (resolution) info.resolution = resolution;
  const width = Number.parseInt(body.slice(SIZE_START, SIZE_START + 3), 36);
  const height = Number.parseInt(body.slice(SIZE_START + 3, SIZE_START + 6), 36);
  if (width > 0 && height > 0) {
    info.width = width;
    info.height = height;
  }
  if (dialect === "xai") {
    const kind = findKey(KIND_CODES, body.charAt(HEAD_LENGTH));
    if (!kind) return undefined;
    info.kind = kind;
    info.billedSeconds = Number.parseInt(body.charAt(HEAD_LENGTH + 1), 36);
  }
  return info;
}
