/**
 * The part of zod grokvid uses, as one module. `npm run build` replaces its compiled file with a
 * bundle of just these exports (scripts/vendor-zod.mjs): zod's own entry loads 99 files, 64 of them
 * locales, which cost a quarter of a command's start-up. In tests it is zod itself.
 */
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  literal,
  NEVER,
  number,
  object,
  partialRecord,
  record,
  strictObject,
  string,
  union,
  unknown,
  url,
  ZodEnum,
  ZodObject,
  ZodOptional,
  ZodRecord,
  ZodString,
  ZodType,
} from "zod";
export type { infer } from "zod";
