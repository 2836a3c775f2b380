import type { CommonFlags } from "./cli-output.js";
import type { ModelSummary, ProviderSummary } from "../index.js";
import type { DurationRule } from "../index.js";
import { renderTable } from "../ui/table.js";
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
  if (p.balance) parts.push("balance");
  if (p.cancel) parts.push("cancel");
  if (p.requestsPerSecond !== null) parts.push(`${p.requestsPerSecond} req/s per key`);
  return parts.join(", ");
}

/** `grokvid providers [--json]`: every provider and the limits a flag is checked against; sends nothing. */
export async function runProviders(flags: CommonFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const list = await clientFor(flags, runtime, out).providers();
  if (out.mode.json) {
    out.resultJson(list);
    return;
  }
  const rows = list.flatMap((p) =>
    p.models.map((m, i) => [
      i === 0 ? (p.configured ? `${p.id} (${p.dialect})` : p.offline ? `${p.id} (offline)` : p.id) : "",
      `${m.id}${m.default ? " *" : ""}${m.aliases.length ? ` (${m.aliases.join(", ")})` : ""}`,
      seconds(m.durations),
      m.ratios.length === 0 ? "-" : `${m.ratios.join(" ")}${m.customRatio ? " N:M" : ""}`,
      m.resolutions.join(" ") || "-",
      images(m),
      i === 0 ? extras(p) : "",
    ]),
  );
  for (const line of renderTable(["PROVIDER", "MODEL", "SECONDS", "RATIOS", "RES", "IMAGES", "ALSO"], rows))
    out.result(line);
  // Each platform's own variable, read after grokvid's (providers' keyVariables, in order).
  const own = list
    .filter((p) => !p.configured && p.keyVariables.length > 1)
    .map((p) => `${p.keyVariables.slice(1).join(", ")} (${p.id})`);
  const also = own.length > 0 ? `, then ${own.join(", ")}` : "";
  out.info(`* the provider's default model; keys: GROKVID_<PROVIDER>_API_KEY${also}`);
}
