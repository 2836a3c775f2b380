import type { TaskStatus } from "../util/task-status.js";

export const providerIds = [
  "apimart",
  "xcompute",
  "jimmyai",
  "duoyuanx",
  "xai",
  "fal",
  "replicate",
  "openrouter",
  "aimlapi",
] as const;
export type ProviderId = (typeof providerIds)[number];

/** How a model takes `--duration`: a closed set, or a whole-number range (max may be open). */
export type DurationRule =
  { kind: "set"; values: readonly number[] } | { kind: "range"; min: number; max?: number };

/** What a gateway accepts as reference images. */
export type ImageRule = {
  min: number;
  max: number;
  /**
   * "url": public http(s) URLs only; "data-uri": local files are sent inline; "file": multipart
   * upload; "url-or-data-uri": public URLs as they are, local files inline (xAI).
   */
  accepts: "url" | "data-uri" | "file" | "url-or-data-uri";
};

/** Reference-to-video (xAI): images the prompt names as <IMAGE_1>..., with limits of their own. */
export interface ReferenceRule {
  max: number;
  accepts: ImageRule["accepts"];
  /** The longest video a reference request may ask for, in seconds. */
  maxDuration: number;
  /** The highest resolution it may ask for (vertical lines). */
  maxResolution: number;
}

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
  /** How an OpenAI-style (new-api) gateway takes the create: JSON, or multipart with a file. */
  readonly encoding?: "json" | "multipart";
  /** Absent: the model takes no --reference-image. */
  readonly references?: ReferenceRule;
  /** The length the gateway makes when --duration is not given, where documented (xAI: 8). */
  readonly defaultDuration?: number;
  readonly promptMax?: number;
  /**
   * The modes the model offers, where a platform serves each mode on its own endpoint or model
   * (fal, Replicate: providers.md §10a/§10b). Absent: every mode its dialect offers.
   */
  readonly modes?: readonly VideoMode[];
}

/** What one set of flags asks for; platforms that route by mode pick an endpoint from it. */
export type VideoMode = "text-to-video" | "image-to-video" | "reference-to-video" | "edit" | "extend";

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
  /** `--reference-image` values as given (never together with `images`); absent for plain generation. */
  referenceImages?: readonly ImageRef[];
  /** The same, once local files are read: what a request builder sends. */
  references?: readonly LoadedImage[];
  /** Edits and extensions: what they start from, as the user named it (journaled with the job). */
  source?: { operation: VideoOperation; from: string };
  /** The video's expected length where known (journaled, so a later edit or extension is checked). */
  seconds?: number;
}

export type VideoOperation = "edit" | "extend";

/** What an edit or an extension starts from: a video the gateway fetches itself. */
export interface SourceParams {
  prompt: string;
  model: string;
  videoUrl: string;
  /** Extensions only: the seconds to add. */
  duration?: number;
}

/** Video-to-video operations a dialect offers, with their limits as data. */
export interface VideoOperations {
  /** `maxSourceSeconds`: the longest video it edits (xAI: 8.7 s). */
  edit?: { maxSourceSeconds?: number; build(params: SourceParams): RequestSpec };
  /** `sourceSeconds`: the lengths of video it extends (xAI: 2-15 s). */
  extend?: {
    durations: DurationRule;
    defaultDuration: number;
    sourceSeconds?: { min: number; max: number };
    build(params: SourceParams): RequestSpec;
  };
}

export type MultipartField =
  { name: string; value: string } | { name: string; filename: string; contentType: string; data: Uint8Array };

export type RequestBody =
  { kind: "json"; value: unknown } | { kind: "multipart"; fields: readonly MultipartField[] };

/** A request described as data, so builders stay pure and `--dry-run` can print it. */
export interface RequestSpec {
  /** PUT: fal's cancel (providers.md §10a). */
  method: "GET" | "POST" | "PUT";
  /** Path below the base URL, starting with "/"; ids already URL-encoded. */
  path: string;
  /**
   * An absolute URL the gateway returned, to be used exactly as returned (fal's status, result and
   * cancel URLs: §10a "URL trap"). `path` then holds the same URL's path, so a sender that only
   * knows `path` still reaches it below the default base. A sender must check that this URL's
   * origin is the base URL's before it sends the key there.
   */
  url?: string;
  query?: Readonly<Record<string, string>>;
  /** Extra request headers (Replicate's `Cancel-After`, `Prefer`); never the key. */
  headers?: Readonly<Record<string, string>>;
  body?: RequestBody;
}

/**
 * URLs a gateway returned for one task (fal's status/response/cancel URLs, Replicate's
 * `urls.get`/`urls.cancel`): journaled with the job so a later `status ID` or `cancel ID` uses
 * them as returned.
 */
export interface TaskLinks {
  status?: string;
  result?: string;
  cancel?: string;
}

/** A task as a later request needs it: its id and the URLs the gateway returned for it. */
export interface TaskRef {
  id: string;
  links?: TaskLinks;
}

/** What a cancel answer said, in one vocabulary (fal: §10a Cancel). */
export type CancelOutcome = "requested" | "already-finished" | "not-found";

export interface NormalizedTask {
  id: string;
  provider: string;
  model: string | null;
  status: TaskStatus;
  progress: number | null;
  videoUrl: string | null;
  error: { code: string | null; message: string } | null;
  /**
   * What the gateway says the job cost (xAI's usage.cost_in_usd_ticks), present only where it
   * says so: no gateway's silence is turned into a guess or a zero.
   */
  cost?: { usd: number; estimate?: true };
  /**
   * Where the gateway returned the task's own URLs (fal, Replicate): kept so later requests use
   * them exactly as returned. Absent for every dialect whose URLs are built from the id.
   */
  links?: TaskLinks;
  createdAt: string | null;
  updatedAt: string;
  raw: unknown;
}

export interface ParsedTask {
  task: NormalizedTask;
  /** Things the user should know but that do not stop the command (an unknown status word...). */
  warnings: string[];
  /**
   * fal: the queue says COMPLETED, which is a success or a failure only once the result is read
   * (`buildResult` / `parseResult`). The task stays `running` until then, so a caller that does
   * not know this keeps polling rather than taking it for a success.
   */
  awaitingResult?: true;
}

/** What the result request's answer came with besides its body (fal, §10a Result and Cost). */
export interface ResultContext {
  httpStatus: number;
  /** The `x-fal-billable-units` header, when sent. */
  billableUnits?: string;
  /** A cancel was answered "requested" earlier: a failed result then means cancelled (§10e). */
  cancelRequested?: boolean;
  /** What was asked, for a cost estimate from the list prices. */
  asked?: { model: string; duration?: number; resolution?: number; images?: number };
}

/** What a list price depends on: the model, the mode, the length and resolution asked, input images. */
export interface PriceAsk {
  /** grokvid's model id (the platform's model for the mode is the module's business). */
  model: string;
  mode: VideoMode;
  /** Absent: the gateway's default length, which is what it makes and bills. */
  duration?: number;
  resolution?: number;
  /** Input images of every kind (a first frame, reference images): some platforms charge per image. */
  images: number;
}

/** A list price worked out for one ask, with the length and resolution it was worked out for. */
export interface ListPrice {
  usd: number;
  seconds: number;
  resolution: number;
  perSecondUsd: number;
  perImageUsd: number;
}

/** What the gateway said when it refused a request, in its own words. */
export interface ProviderErrorInfo {
  message: string;
  code?: string;
  /** The provider says the task does not exist (new-api answers this with HTTP 400). */
  notFound?: boolean;
  /** The refusal is about money, whatever its status (fal locks a spent account with a 403). */
  quota?: boolean;
}

/** What is left on the key, in the unit the gateway counts in. */
export interface BalanceInfo {
  unlimited: boolean;
  /** Null when unlimited. */
  remaining: number | null;
  used: number | null;
  /** "quota" (new-api units), or the gateway's own credit. */
  unit: string;
  /** new-api units per US dollar at the default rate, for an estimate in dollars. */
  quotaPerUsd?: number;
}

/** A balance answer, read: amounts it holds that are no amount are null, each with a warning. */
export interface ParsedBalance {
  info: BalanceInfo;
  warnings: string[];
}

/** The request that asks a key's balance; its answer is read by BalanceSupport.parse. */
export interface BalanceRequest {
  build(): RequestSpec;
}

export interface BalanceSupport extends BalanceRequest {
  parse(body: unknown): ParsedBalance;
}

/** What a dialect module needs to become a provider: the built-ins' data, or a `gateways` entry's. */
export interface DialectDef {
  id: string;
  defaultBaseUrl: string;
  models: readonly ModelSpec[];
  defaultModel: string;
}

/**
 * A provider as far as anything is known before a request is sent: its models and limits and how
 * each request is built. Checking flags and showing a dry run need no more, so they never load
 * the parsers of answers (and zod with them); `Provider` adds those.
 */
export interface ProviderSpec {
  /** A built-in provider's id, or the name of a gateway defined in config. */
  readonly id: string;
  readonly defaultBaseUrl: string;
  readonly models: readonly ModelSpec[];
  readonly defaultModel: string;
  buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec;
  buildQuery(id: string): RequestSpec;
  /** Where the dialect has an authenticated download endpoint (new-api `/content`). */
  buildContent?(id: string): RequestSpec;
  /** Edit and extend, where the dialect has them. */
  readonly operations?: VideoOperations;
  /**
   * A 2xx answer to a poll with an empty body means "still working" (xAI's 202), not garbage.
   * Absent: an empty answer is unreadable, like any other non-JSON one.
   */
  readonly emptyPollAnswer?: boolean;
  /**
   * The gateway's request budget per key (xAI: 1 per second for video models): creates are
   * spaced across every process using the key, polls within one process.
   */
  readonly requestsPerSecond?: number;
  /** The video URL it returns must be fetched without the key (xAI's CDN). */
  readonly anonymousDownloads?: boolean;
  /** A variable the provider's own tools read the key from (xAI's SDKs: XAI_API_KEY), after ours. */
  readonly ecosystemKeyVariable?: string;
  /** Where the key can ask what is left; absent: `noBalance` says where to look instead. */
  readonly balance?: BalanceRequest;
  readonly noBalance?: string;
  /** The word before the key in `Authorization` (fal: `Key`, §10a). Absent: `Bearer`. */
  readonly authScheme?: "Bearer" | "Key";
  /**
   * Polls a task through the URLs the gateway returned for it (fal: never built from the endpoint
   * id). Where present it is preferred to `buildQuery`, which stays the fallback for a bare id.
   */
  buildPoll?(task: TaskRef): RequestSpec;
  /** A second request after the poll says done, for the outcome (fal's result, §10a). */
  buildResult?(task: TaskRef): RequestSpec;
  /** Where the platform has a documented cancel (fal, Replicate). */
  buildCancel?(task: TaskRef): RequestSpec;
  /**
   * The create with the moment grokvid will stop waiting, where the platform can stop the job
   * itself then (Replicate's `Cancel-After`: one not started by then is `aborted`, unbilled).
   */
  withDeadline?(create: RequestSpec, deadlineMs: number): RequestSpec;
  /**
   * What a job would cost by the provider's published list price (xAI, fal, Replicate), before it
   * is sent; undefined where the table has no price for it. Absent: no price is known before a
   * job runs (resellers publish none; OpenRouter and AIML API report the cost only afterwards),
   * and a gateway from the config never inherits one, since it sets its own prices.
   */
  listPrice?(ask: PriceAsk): ListPrice | undefined;
  /**
   * The authenticated `buildContent` endpoint is on the base URL's origin while the task's
   * `videoUrl` is not (OpenRouter): the key goes to the first only.
   */
  readonly sameOriginContent?: boolean;
}

/** The spec of a dialect without a balance endpoint (its `noBalance` says where to look). */
export type SpecWithoutBalance = Omit<ProviderSpec, "balance">;

/** A provider that also reads the answers: what a command that sends anything uses. */
export interface Provider extends ProviderSpec {
  parseCreate(body: unknown, now: Date): ParsedTask;
  parseQuery(body: unknown, id: string, now: Date): ParsedTask;
  parseError(status: number, body: unknown): ProviderErrorInfo | undefined;
  readonly balance?: BalanceSupport;
  /** Reads the answer to `buildResult` (fal): the video, or the failure it reports. */
  parseResult?(body: unknown, task: TaskRef, context: ResultContext, now: Date): ParsedTask;
  /** Reads the answer to `buildCancel` where it is not a task (fal's `{status}`). */
  parseCancel?(httpStatus: number, body: unknown): CancelOutcome | undefined;
}
