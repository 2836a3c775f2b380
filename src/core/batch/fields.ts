/**
 * The fields a batch line may have (JSON keys, CSV columns), in the order `batch --help` lists
 * them. A file of its own, importing nothing: the CLI's help reads it without loading the parser
 * and its schemas.
 */
export const batchFields = [
  "prompt",
  "provider",
  "model",
  "duration",
  "ratio",
  "resolution",
  "image",
  "reference_images",
  "output",
] as const;
export type BatchField = (typeof batchFields)[number];
