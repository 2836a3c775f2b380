import { taskStatuses } from "../index.js";
import type { ToolName } from "./args.js";
import { OUTPUT_SCHEMAS } from "./output-schemas.js";

/** What the tools' descriptions say of the server's own settings, which an agent cannot change. */
export interface ToolSettings {
  maxWaitSeconds: number;
  /** The providers jobs may go to; undefined: every provider grokvid knows. */
  providers: readonly string[] | undefined;
  /** Local images can be read (--allow-read was given). */
  readsFiles: boolean;
}

/** An MCP tool as `tools/list` lists it. */
export interface ToolDefinition {
  name: ToolName;
  title: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, object>; required?: string[] };
  outputSchema: object;
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

const str = (description: string) => ({ type: "string", description });

function jobProperties(s: ToolSettings): Record<string, object> {
  const provider = s.providers
    ? {
        type: "string",
        enum: [...s.providers],
        description: `where the job runs; default: ${s.providers[0] ?? ""}`,
      }
    : str("where the job runs (see list_providers); default: the user's configured provider");
  const local = s.readsFiles
    ? "a public http(s) URL, a data: URI, or a local image file inside the folders this server may read (a relative path is taken from the first)"
    : "a public http(s) URL or a data: URI (this server reads no local files)";
  return {
    prompt: str("what the video shows"),
    provider,
    model: str("model id or alias (see list_providers); default: the provider's"),
    duration: {
      type: ["integer", "string"],
      description: "length in whole seconds, within the model's limits",
    },
    ratio: str('aspect ratio such as "16:9", as the model allows'),
    resolution: {
      type: ["string", "integer"],
      description: '"480p", "720p" or "1080p", as the model allows',
    },
    image: {
      anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
      description: `first frame (image-to-video): ${local}`,
    },
    reference_images: {
      type: "array",
      items: { type: "string" },
      description: `reference-to-video, named <IMAGE_1>... in the prompt; never with image. Each: ${local}`,
    },
  };
}

const waitSeconds = (s: ToolSettings, what: string, byDefault: number) => ({
  type: "integer",
  minimum: 0,
  maximum: s.maxWaitSeconds,
  description: `${what}, at most ${s.maxWaitSeconds} (this server's bound); default ${byDefault}`,
});

const idField = { id: str("the job id create_video returned (or one from list_jobs)") };
const providerOfJob = {
  provider: str("only for a job this machine's journal does not know: the provider it runs on"),
};

const WRITES = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
const ASKS = { readOnlyHint: true, openWorldHint: true };
const LOCAL = { readOnlyHint: true, openWorldHint: false };

/** Every tool, with what an agent needs to call it right the first time. */
export function toolDefinitions(s: ToolSettings): ToolDefinition[] {
  const tool = (
    name: ToolName,
    title: string,
    description: string,
    properties: Record<string, object>,
    annotations: ToolDefinition["annotations"],
    required: string[] = [],
  ): ToolDefinition => ({
    name,
    title,
    description,
    inputSchema: { type: "object", properties, ...(required.length > 0 ? { required } : {}) },
    outputSchema: OUTPUT_SCHEMAS[name],
    annotations,
  });
  return [
    tool(
      "create_video",
      "Create a video",
      "Submit a paid video job and return its id at once (or wait up to wait_seconds); check the price first with estimate_cost.",
      { ...jobProperties(s), wait_seconds: waitSeconds(s, "seconds to wait for the job to finish", 0) },
      WRITES,
      ["prompt"],
    ),
    tool(
      "estimate_cost",
      "Estimate a job's cost",
      "Check a job's values and estimate its price from the model's list price, without sending or paying anything.",
      jobProperties(s),
      LOCAL,
      ["prompt"],
    ),
    tool(
      "get_job",
      "Get a job's status",
      "Ask the provider once for a job's status, progress and video URL.",
      { ...idField, ...providerOfJob },
      ASKS,
      ["id"],
    ),
    tool(
      "wait_job",
      "Wait for a job",
      "Poll a job until it finishes or wait_seconds pass; a job still running is returned as it is, not as an error.",
      { ...idField, ...providerOfJob, wait_seconds: waitSeconds(s, "seconds to wait", s.maxWaitSeconds) },
      ASKS,
      ["id"],
    ),
    tool(
      "download_job",
      "Download a job's video",
      "Save a finished job's video into this server's output folder (waiting up to wait_seconds first); returns the path, size and what was delivered.",
      {
        ...idField,
        ...providerOfJob,
        path: str(
          "file name or path inside the output folder; default: the configured name, such as xai-<id>.mp4",
        ),
        wait_seconds: waitSeconds(s, "seconds to wait for an unfinished job", s.maxWaitSeconds),
      },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      ["id"],
    ),
    tool(
      "list_jobs",
      "List jobs",
      "List the jobs in grokvid's journal, newest first: what this server and the user's own grokvid created.",
      {
        provider: str("only jobs of this provider"),
        status: { type: "string", enum: [...taskStatuses], description: "only jobs in this status" },
        limit: { type: "integer", minimum: 1, maximum: 100, description: "at most this many; default 20" },
      },
      LOCAL,
    ),
    tool(
      "cancel_job",
      "Cancel a job",
      "Ask the provider to cancel a job; only fal and replicate can, elsewhere it is refused before anything is sent.",
      { ...idField, ...providerOfJob },
      { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      ["id"],
    ),
    tool(
      "list_providers",
      "List providers and models",
      "List the providers this server may use, their models and the limits each value is checked against, and the server's spending limits.",
      {},
      LOCAL,
    ),
    tool(
      "balance",
      "Show a key's balance",
      "Ask the provider what is left on its key (apimart, xcompute, duoyuanx, openrouter); others say where to look.",
      { provider: str("the provider; default: the configured one") },
      ASKS,
    ),
  ];
}
