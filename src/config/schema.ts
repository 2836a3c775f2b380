import * as z from "../util/zod.js";
import { unknownTemplateFields } from "./download-template.js";
import { parseDuration } from "../util/duration.js";

import { providerIds } from "../providers/types.js";
import { MIN_INTERVAL_MS, providerChoices } from "./choices.js";
import { baseUrlSetting, gatewaysSchema } from "./gateway-schema.js";

export { MIN_INTERVAL_MS, type ProviderChoice, providerChoices } from "./choices.js";

const durationSetting = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
  message: "expected a duration such as 250ms, 5s, 2m or 1h",
});

const providerSettings = z.strictObject({
  apiKey: z.string().min(1).optional(),
  baseUrl: baseUrlSetting.optional(),
  model: z.string().min(1).optional(),
  defaults: z
    .strictObject({
      duration: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
      ratio: z.string().min(1).optional(),
      resolution: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
    })
    .optional(),
});
export type ProviderSettings = z.infer<typeof providerSettings>;

/** The whole config file. Strict: a misspelt key is an error, not a silently ignored setting. */
export const configSchema = z
  .strictObject({
    // A built-in provider, "sandbox", or a gateway defined below (checked once the whole file is read).
    defaultProvider: z.string().min(1).optional(),
    providers: z.partialRecord(z.enum(providerIds), providerSettings).optional(),
    /** Gateways grokvid has no code for, described by their dialect, base URL, key and models. */
    gateways: gatewaysSchema.optional(),
    poll: z
      .strictObject({
        interval: durationSetting
          .refine((v) => (parseDuration(v) ?? 0) >= MIN_INTERVAL_MS, { message: "must be at least 100ms" })
          .optional(),
        timeout: durationSetting.optional(),
        /** --cancel-on-timeout by default, where the platform can cancel (fal, Replicate). */
        cancelOnTimeout: z.boolean().optional(),
      })
      .optional(),
    timeouts: z
      .strictObject({
        connect: durationSetting.optional(),
        headers: durationSetting.optional(),
        body: durationSetting.optional(),
      })
      .optional(),
    /**
     * A journal that many machines share, in PostgreSQL (default: the JSONL file in GROKVID_HOME).
     * `lease`: how long a worker's hold on a job outlives its last heartbeat (default 30s).
     */
    journal: z
      .strictObject({
        url: z.string().min(1).optional(),
        lease: durationSetting.optional(),
      })
      .optional(),
    download: z
      .strictObject({
        dir: z.string().min(1).optional(),
        template: z
          .string()
          .min(1)
          .refine((t) => unknownTemplateFields(t).length === 0, {
            message: "unknown placeholder; use {provider}, {id}, {date}, {index} or {slug}",
          })
          .optional(),
        /**
         * A download slower than `bytesPerSecond`, averaged over `time`, is broken off and resumed
         * with Range (like curl's --speed-limit/--speed-time). Defaults: 1024 bytes/s over 30s;
         * bytesPerSecond 0 turns the check off. Silences are the `timeouts.body` setting's business.
         */
        lowSpeed: z
          .strictObject({
            bytesPerSecond: z.number().int().nonnegative().optional(),
            time: durationSetting
              .refine((v) => (parseDuration(v) ?? 0) > 0, { message: "must be longer than 0" })
              .optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const name = config.defaultProvider?.trim().toLowerCase();
    if (name === undefined || (providerChoices as readonly string[]).includes(name)) return;
    if (Object.hasOwn(config.gateways ?? {}, name)) return;
    const accepted = [...providerChoices, ...Object.keys(config.gateways ?? {})].join(", ");
    ctx.addIssue({
      code: "custom",
      path: ["defaultProvider"],
      message: `not a provider or a gateway; accepted: ${accepted}`,
    });
  });
export type GrokvidConfig = z.infer<typeof configSchema>;
