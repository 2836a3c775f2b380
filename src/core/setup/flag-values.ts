import { findModel, providerSpecs } from "../../providers/specs.js";
import type { DurationRule, ModelSpec, ProviderSpec } from "../../providers/types.js";

/** The flags whose values are a model's limits. */
export type ModelFlag = "duration" | "ratio" | "resolution";

export interface ModelChoice {
  /** The model on the line, else the one the config names for the provider. */
  model?: string;
  /** `extend`'s --duration is the seconds its provider adds, not a model's lengths. */
  operation?: "extend";
}

/** A range of seconds is listed when it is short enough to read at a prompt; else nothing. */
const MAX_LISTED_SECONDS = 30;

function seconds(rule: DurationRule | undefined): string[] {
  if (rule === undefined) return [];
  if (rule.kind === "set") return rule.values.map(String);
  if (rule.max === undefined || rule.max - rule.min >= MAX_LISTED_SECONDS) return [];
  return Array.from({ length: rule.max - rule.min + 1 }, (_, i) => String(rule.min + i));
}

function modelValues(flag: ModelFlag, spec: ProviderSpec, model: ModelSpec, choice: ModelChoice): string[] {
  if (flag === "ratio") return [...model.ratios];
  if (flag === "resolution") return model.resolutions.map((lines) => `${lines}p`);
  return seconds(choice.operation === "extend" ? spec.operations?.extend?.durations : model.durations);
}

/**
 * What `flag` takes on this provider with the chosen model, or its default one (as a create
 * picks it); with a model it does not offer, what any of its models takes.
 */
export function providerValues(flag: ModelFlag, spec: ProviderSpec, choice: ModelChoice): string[] {
  const model = findModel(spec, choice.model ?? spec.defaultModel);
  return (model ? [model] : spec.models).flatMap((m) => modelValues(flag, spec, m, choice));
}

/** Every value some model of these providers takes, when no provider is chosen. */
export function anyValues(flag: ModelFlag, specs: readonly ProviderSpec[], choice: ModelChoice): string[] {
  return specs.flatMap((spec) => spec.models.flatMap((m) => modelValues(flag, spec, m, choice)));
}

/** A built-in provider's spec; `--provider sandbox` runs the apimart dialect in process. */
export function builtInSpec(name: string): ProviderSpec | undefined {
  const dialect = name === "sandbox" ? "apimart" : name;
  return Object.values(providerSpecs).find((p) => p.id === dialect);
}

/**
 * A gateway's spec, checked by the schema a load uses (its limits; its platform's models when it
 * lists none). Imported only when a TAB press asks for a gateway's limits: it needs zod.
 */
export async function gatewaySpec(name: string, raw: unknown): Promise<ProviderSpec | undefined> {
  const [{ gatewaySchema }, { makeGatewaySpec }] = await Promise.all([
    import("../../config/gateway-schema.js"),
    import("../../config/gateway-spec.js"),
  ]);
  const parsed = gatewaySchema.safeParse(raw);
  return parsed.success ? makeGatewaySpec(name, parsed.data) : undefined;
}
