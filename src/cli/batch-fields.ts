import { type BatchField, batchFields } from "../index.js";

/**
 * What each field of a batch line means, keyed by the library's own list of fields, so a field
 * added there cannot go unexplained in `grokvid batch --help` (nor one dropped stay listed).
 */
const MEANINGS = {
  prompt: "what the video shows (required)",
  provider: "as --provider; default: the batch's --provider, $GROKVID_PROVIDER, then the config's",
  model: "as --model",
  duration: "as --duration, in whole seconds",
  ratio: "as --ratio",
  resolution: "as --resolution",
  image: "as --image: one, or a JSON list, or in CSV several separated by | (also: images)",
  reference_images: "as --reference-image: a JSON list, or in CSV several separated by |",
  output: "this line's file, relative to --out-dir; default: --template's name there",
} as const satisfies Record<BatchField, string>;

/** The fields section of `grokvid batch --help`. */
export function formatBatchFields(): string {
  const width = Math.max(...batchFields.map((field) => field.length));
  const lines = batchFields.map((field) => `  ${field.padEnd(width)}  ${MEANINGS[field]}`);
  return `\nFields of a line (JSON lines: one object per line; CSV: a header row naming them):\n${lines.join("\n")}`;
}
