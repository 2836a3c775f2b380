import type { ToolName } from "./args.js";

/**
 * The JSON Schemas of the tools' structured results (results.ts builds them), which an MCP client
 * checks every result against. Fields a result may grow later are allowed: only what an agent
 * relies on is required.
 */

const nullable = (type: string) => ({ type: [type, "null"] });
const obj = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: "object",
  properties,
  required,
});

const COST = {
  anyOf: [obj({ usd: { type: "number" }, estimate: { type: "boolean" } }, ["usd"]), { type: "null" }],
  description:
    "what the provider reported it cost (estimate: from its list price); null where it says nothing",
};

/** A job as the provider last reported it (grokvid's normalized task, without the raw answer). */
export const TASK = obj(
  {
    id: { type: "string" },
    provider: { type: "string" },
    model: nullable("string"),
    status: { type: "string", description: "queued, running, succeeded, failed, cancelled or expired" },
    progress: nullable("number"),
    videoUrl: nullable("string"),
    error: {
      anyOf: [obj({ code: nullable("string"), message: { type: "string" } }), { type: "null" }],
    },
    cost: COST,
    createdAt: nullable("string"),
    updatedAt: { type: "string" },
  },
  ["id", "provider", "status", "progress", "videoUrl", "error", "cost"],
);

const ESTIMATE = obj(
  {
    provider: { type: "string" },
    model: { type: "string" },
    usd: { ...nullable("number"), description: "null: no price is known before the job runs" },
    seconds: nullable("number"),
    resolution: nullable("string"),
    basis: { type: "string" },
  },
  ["provider", "model", "usd", "basis"],
);

const BUDGET = obj({
  jobs: obj({ created: { type: "integer" }, limit: nullable("integer") }),
  usd: obj({ counted: { type: "number" }, limit: nullable("number") }),
});

const DELIVERED = {
  anyOf: [
    obj({ width: { type: "number" }, height: { type: "number" }, durationSec: { type: "number" } }),
    { type: "null" },
  ],
};

const JOB_ROW = obj(
  {
    id: { type: "string" },
    provider: { type: "string" },
    model: { type: "string" },
    status: { type: "string" },
    prompt: { type: "string" },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
    cost: COST,
    savedTo: nullable("string"),
  },
  ["id", "provider", "status", "prompt", "savedTo"],
);

export const OUTPUT_SCHEMAS: Readonly<Record<ToolName, object>> = {
  create_video: obj({ task: TASK, estimate: ESTIMATE, budget: BUDGET, timedOut: { type: "boolean" } }, [
    "task",
    "estimate",
    "budget",
    "timedOut",
  ]),
  estimate_cost: obj({
    estimate: ESTIMATE,
    allowed: { type: "boolean" },
    refusal: nullable("string"),
    budget: BUDGET,
  }),
  get_job: obj({ task: TASK }),
  wait_job: obj({ task: TASK, timedOut: { type: "boolean" } }),
  download_job: obj(
    {
      task: TASK,
      downloaded: { type: "boolean" },
      path: nullable("string"),
      bytes: nullable("integer"),
      sha256: nullable("string"),
      delivered: DELIVERED,
      warnings: { type: "array", items: { type: "string" } },
      reason: nullable("string"),
    },
    ["task", "downloaded", "path", "bytes", "warnings"],
  ),
  list_jobs: obj({
    jobs: { type: "array", items: JOB_ROW },
    matching: { type: "integer" },
    total: { type: "integer" },
    uncertain: { type: "integer", description: "creates that may have reached a gateway with no id known" },
  }),
  cancel_job: obj({
    id: { type: "string" },
    provider: { type: "string" },
    outcome: { type: "string" },
    task: TASK,
  }),
  list_providers: obj({ providers: { type: "array", items: { type: "object" } }, budget: BUDGET }),
  balance: obj(
    {
      provider: { type: "string" },
      unlimited: { type: "boolean" },
      remaining: nullable("number"),
      used: nullable("number"),
      unit: { type: "string" },
    },
    ["provider", "unlimited", "remaining", "used", "unit"],
  ),
};
