import * as z from "../util/zod.js";
import { baseUrlProblem } from "./base-url.js";
import { providerChoices } from "./choices.js";
import { type GatewayDialect, gatewayDialects, platformDialects } from "./dialects.js";
import { providerSpecs } from "../providers/specs.js";
import type { ModelSpec, ProviderId } from "../providers/types.js";

/** A base URL, checked as every other source of one is (base-url.ts); the message never quotes it. */
export const baseUrlSetting = z.string().superRefine((value, ctx) => {
  const problem = baseUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export { type GatewayDialect, gatewayDialects, platformDialects } from "./dialects.js";

/** A platform's own models (the platform dialects are named as its built-in provider). */
function platformModels(dialect: GatewayDialect): readonly ModelSpec[] | undefined {
  return platformDialects.includes(dialect) ? providerSpecs[dialect as ProviderId].models : undefined;
}

/** Where the model's name picks the endpoint (fal, Replicate), only the platform's names work. */
const ENDPOINT_DIALECTS: readonly GatewayDialect[] = ["fal", "replicate"];

/** Dialects whose create takes reference images. */
const REFERENCE_DIALECTS: readonly GatewayDialect[] = ["xai", ...platformDialects];

const positive = z.number().int().positive();
const MIN_RATE = 0.001;
const MAX_RATE = 1000;
const RATE_RANGE = `expected ${MIN_RATE} to ${MAX_RATE} requests per second (${MIN_RATE}: one every ${1 / MIN_RATE} s)`;
const resolution = z.union([
  positive,
  z.string().regex(/^\d+p$/i, { message: 'expected a resolution such as "720p"' }),
]);

const modelSchema = z.strictObject({
  aliases: z.array(z.string().min(1)).optional(),
  /** A list of accepted seconds, or a range. */
  durations: z.union([
    z.array(positive).min(1),
    z
      .strictObject({ min: positive, max: positive.optional() })
      .refine((r) => r.max === undefined || r.max >= r.min, {
        message: "max must be at least min",
      }),
  ]),
  ratios: z
    .array(z.string().regex(/^\d+(\.\d+)?:\d+(\.\d+)?$/, { message: 'expected a ratio such as "16:9"' }))
    .optional(),
  customRatio: z.boolean().optional(),
  resolutions: z.array(resolution).optional(),
  /** Absent: the model takes no image. */
  images: z
    .strictObject({
      min: z.number().int().nonnegative().optional(),
      max: z.number().int().nonnegative(),
      accepts: z.enum(["url", "data-uri", "file", "url-or-data-uri"]).optional(),
    })
    .refine((i) => (i.min ?? 0) <= i.max, { message: "min must be at most max" })
    .optional(),
  /** xai dialect only: reference-to-video. */
  referenceImages: z
    .strictObject({ max: positive, maxDuration: positive, maxResolution: resolution })
    .optional(),
  /** openai-videos dialect only: JSON (default) or a multipart upload. */
  encoding: z.enum(["json", "multipart"]).optional(),
  promptMax: positive.optional(),
});
export type GatewayModel = z.infer<typeof modelSchema>;

const defaultsSchema = z.strictObject({
  duration: z.union([positive, z.string().min(1)]).optional(),
  ratio: z.string().min(1).optional(),
  resolution: z.union([positive, z.string().min(1)]).optional(),
});

export const gatewaySchema = z
  .strictObject({
    dialect: z.enum(gatewayDialects, { message: `expected one of ${gatewayDialects.join(", ")}` }),
    baseUrl: baseUrlSetting,
    /** The environment variable holding its key; default GROKVID_<NAME>_API_KEY. */
    keyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected an environment variable name" })
      .optional(),
    apiKey: z.string().min(1).optional(),
    /** Required, but for the platforms' dialects, which default to the platform's models. */
    models: z
      .record(z.string().min(1), modelSchema)
      .refine((m) => Object.keys(m).length > 0, {
        message: "a gateway needs at least one model",
      })
      .optional(),
    /** The model used when --model is not given; default: the first one listed. */
    model: z.string().min(1).optional(),
    defaults: defaultsSchema.optional(),
    /**
     * Requests per second per key, spaced like xAI's (default: xai dialect 1, others unlimited).
     * Bounded so the spacing is one a person means: at least one request every 1000 s (a smaller
     * rate is a typo, and once made an interval no timer holds), at most 1000 a second.
     */
    requestsPerSecond: z
      .number()
      .min(MIN_RATE, { message: RATE_RANGE })
      .max(MAX_RATE, { message: RATE_RANGE })
      .optional(),
  })
  .superRefine((g, ctx) => {
    if (g.models === undefined && !platformDialects.includes(g.dialect)) {
      ctx.addIssue({ code: "custom", path: ["models"], message: "a gateway needs at least one model" });
      return;
    }
    const models = g.models ?? {};
    const own = platformModels(g.dialect);
    const known = ENDPOINT_DIALECTS.includes(g.dialect) ? own?.map((m) => m.id) : undefined;
    const names =
      g.models === undefined
        ? (own ?? []).flatMap((m) => [m.id, ...(m.aliases ?? [])])
        : Object.entries(models).flatMap(([id, m]) => [id, ...(m.aliases ?? [])]);
    if (
      g.model !== undefined &&
      names.length > 0 &&
      !names.some((n) => n.toLowerCase() === g.model?.toLowerCase())
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["model"],
        message: `not one of this gateway's models (${names.join(", ")})`,
      });
    }
    for (const [id, m] of Object.entries(models)) {
      if (known && !known.includes(id))
        ctx.addIssue({
          code: "custom",
          path: ["models", id],
          message: `the ${g.dialect} dialect picks its endpoint by model: one of ${known.join(", ")}`,
        });
      if (m.encoding !== undefined && g.dialect !== "openai-videos")
        ctx.addIssue({
          code: "custom",
          path: ["models", id, "encoding"],
          message: "only the openai-videos dialect has an encoding",
        });
      if (m.referenceImages !== undefined && !REFERENCE_DIALECTS.includes(g.dialect))
        ctx.addIssue({
          code: "custom",
          path: ["models", id, "referenceImages"],
          message: `only the ${REFERENCE_DIALECTS.join(", ")} dialects take reference images`,
        });
      if (m.images?.accepts === "file" && !(g.dialect === "openai-videos" && m.encoding === "multipart"))
        ctx.addIssue({
          code: "custom",
          path: ["models", id, "images", "accepts"],
          message: 'only a multipart openai-videos model takes "file"',
        });
    }
  });
export type GatewayDefinition = z.infer<typeof gatewaySchema>;

/** Lower-case letters, digits and dashes, and never a built-in provider's name. */
export const gatewaysSchema = z.record(
  z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, { message: "a gateway name is lower-case letters, digits and dashes" })
    .refine((name) => !(providerChoices as readonly string[]).includes(name), {
      message: "a gateway cannot take a built-in provider's name",
    }),
  gatewaySchema,
);
