import type { CommonFlags } from "./cli-output.js";
import type { ModelSummary, ProviderSummary } from "../index.js";
import type { DurationRule } from "../index.js";
import { abbreviateList, type Column } from "../ui/fit-table.js";
import { printTable } from "../ui/table.js";
import { fitMiddle, textWidth } from "../ui/text-width.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";

function seconds(rule: DurationRule): string {
  if (rule.kind === "set") return rule.values.join(", ");
  return rule.max === undefined ? `>= ${rule.min}` : `${rule.min}-${rule.max}`;
}

function images(model: ModelSummary): string {
  const { min, max, accepts } = model.images;
  if (max === 0) return "none";
  const count = min === max ? `${min}` : `${min}-${max ?? "any"}`;
  const refs = model.referenceImages ? `; refs <= ${model.referenceImages.max}` : "";
  return `${count} (${accepts})${refs}`;
}

function extras(p: ProviderSummary): string {
  const parts: string[] = [];
  if (p.operations.edit) parts.push("edit");
  if (p.operations.extend) parts.push(`extend ${seconds(p.operations.extend)}s`);
  if (p.offline) parts.push("offline, no key");
  if (p.balance) parts.push("balance");
  if (p.cancel) parts.push("cancel");
  if (p.requestsPerSecond !== null) parts.push(`${p.requestsPerSecond} req/s per key`);
  return parts.join(", ");
}

/** `id *`: a model as `--model` takes it, and whether it is its provider's default. */
function modelName(m: ModelSummary): string {
  return `${m.id}${m.default ? " *" : ""}`;
}

/**
 * A MODEL value cut to `cells`: its aliases go whole before the id is touched, then the id's
 * middle, the default's star kept. The value is modelName and, after " (", the aliases.
 */
function cutModel(text: string, cells: number): string {
  const name = text.split(" (")[0] ?? text;
  if (textWidth(name) <= cells) return name;
  const star = name.endsWith(" *") ? " *" : "";
  return `${fitMiddle(name.slice(0, name.length - star.length), cells - star.length)}${star}`;
}

export interface ProvidersFlags extends CommonFlags {
  wide?: boolean;
}

/** `grokvid providers [--json]`: every provider and the limits a flag is checked against; sends nothing. */
export async function runProviders(flags: ProvidersFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const list = await clientFor(flags, runtime, out).providers();
  if (out.mode.json) {
    out.resultJson(list);
    return;
  }
  const models = list.flatMap((p) => p.models);
  const rows = list.flatMap((p) =>
    p.models.map((m, i) => [
      i === 0 ? (p.configured ? `${p.id} (${p.dialect})` : p.id) : "",
      `${modelName(m)}${m.aliases.length ? ` (${m.aliases.join(", ")})` : ""}`,
      seconds(m.durations),
      m.ratios.length === 0 ? "-" : `${m.ratios.join(" ")}${m.customRatio ? " N:M" : ""}`,
      m.resolutions.join(" ") || "-",
      images(m),
      i === 0 ? extras(p) : "",
    ]),
  );
  // On a narrow terminal ALSO and IMAGES go first; then the models' aliases, whole (an id is what
  // --model takes, so it is cut only when nothing else is left to give); then the lists.
  const columns: Column[] = [
    { header: "PROVIDER" },
    {
      header: "MODEL",
      giveWay: 3,
      min: Math.max(...models.map((m) => textWidth(modelName(m)))),
      floor: 16,
      cut: cutModel,
    },
    { header: "SECONDS" },
    { header: "RATIOS", giveWay: 5, min: 7, optional: true, cut: abbreviateList },
    { header: "RES", giveWay: 4, min: 9, optional: true, cut: abbreviateList },
    { header: "IMAGES", giveWay: 2, optional: true },
    { header: "ALSO", giveWay: 1, optional: true },
  ];
  printTable(out, columns, rows, flags.wide === true);
  // Each platform's own variable, read after grokvid's (providers' keyVariables, in order).
  const own = list
    .filter((p) => !p.configured && p.keyVariables.length > 1)
    .map((p) => `${p.keyVariables.slice(1).join(", ")} (${p.id})`);
  const also = own.length > 0 ? `, then ${own.join(", ")}` : "";
  out.info(`* the provider's default model; keys: GROKVID_<PROVIDER>_API_KEY${also}`);
}
