import type { TaskStatus } from "../task-status.js";

export const providerIds = ["apimart", "xcompute", "jimmyai", "duoyuanx"] as const;
export type ProviderId = (typeof providerIds)[number];

/** How a model takes `--duration`: a closed set, or a whole-number range (max may be open). */
export type DurationRule =
  { kind: "set"; values: readonly number[] } | { kind: "range"; min: number; max?: number };

/** What a gateway accepts as reference images. */
export type ImageRule = {
  min: number;
  max: number;
  /** "url": public http(s) URLs only; "data-uri": local files are sent inline; "file": multipart upload. */
  accepts: "url" | "data-uri" | "file";
};

export interface ModelSpec {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly durations: DurationRule;
  /** Preset ratios; `customRatio` also allows any positive N:M. Empty: the model takes no ratio. */
  readonly ratios: readonly string[];
  readonly customRatio?: boolean;
  /** Vertical resolutions (480 for 480p). Empty: the model takes no resolution. */
  readonly resolutions: readonly number[];
  readonly images: ImageRule;
  readonly promptMax?: number;
}

export type ImageRef =
  { kind: "url"; url: string } | { kind: "data-uri"; uri: string } | { kind: "file"; path: string };

/** A reference image after the core has read local files (providers never do I/O). */
export type LoadedImage =
  | { kind: "url"; url: string }
  | { kind: "data-uri"; uri: string }
  | { kind: "file"; path: string; filename: string; mime: string; data: Uint8Array };

/** The one set of create options every provider maps to its own fields. */
export interface CreateParams<Image = ImageRef> {
  prompt: string;
  model: string;
  duration?: number;
  ratio?: string;
  resolution?: number;
  images: readonly Image[];
}

export type MultipartField =
  { name: string; value: string } | { name: string; filename: string; contentType: string; data: Uint8Array };

export type RequestBody =
  { kind: "json"; value: unknown } | { kind: "multipart"; fields: readonly MultipartField[] };

/** A request described as data, so builders stay pure and `--dry-run` can print it. */
export interface RequestSpec {
  method: "GET" | "POST";
  /** Path below the base URL, starting with "/"; ids already URL-encoded. */
  path: string;
  query?: Readonly<Record<string, string>>;
  body?: RequestBody;
}

export interface NormalizedTask {
  id: string;
  provider: string;
  model: string | null;
  status: TaskStatus;
  progress: number | null;
  videoUrl: string | null;
  error: { code: string | null; message: string } | null;
  createdAt: string | null;
  updatedAt: string;
  raw: unknown;
}

export interface ParsedTask {
  task: NormalizedTask;
  /** Things the user should know but that do not stop the command (an unknown status word...). */
  warnings: string[];
}

/** What the gateway said when it refused a request, in its own words. */
export interface ProviderErrorInfo {
  message: string;
  code?: string;
  /** The provider says the task does not exist (new-api answers this with HTTP 400). */
  notFound?: boolean;
}

export interface Provider {
  readonly id: ProviderId;
  readonly defaultBaseUrl: string;
  readonly models: readonly ModelSpec[];
  readonly defaultModel: string;
  /** Field names of this dialect, for messages ("--ratio is sent as size"). */
  buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec;
  parseCreate(body: unknown, now: Date): ParsedTask;
  buildQuery(id: string): RequestSpec;
  parseQuery(body: unknown, id: string, now: Date): ParsedTask;
  /** Where the dialect has an authenticated download endpoint (new-api `/content`). */
  buildContent?(id: string): RequestSpec;
  parseError(status: number, body: unknown): ProviderErrorInfo | undefined;
}
