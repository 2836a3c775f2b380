import { closestMatch } from "../util/did-you-mean.js";
import { UsageError } from "../util/errors.js";
import { configSchema } from "./schema.js";

/**
 * Key paths ("poll.interval", "providers.apimart.defaults.duration") as the config schema has
 * them, read from the schema itself, so `config get|unset|list` and the schema's own suggestions
 * never drift from what a load accepts.
 */
type Def = Record<string, unknown>;

const isRecord = (v: unknown): v is Def => typeof v === "object" && v !== null && !Array.isArray(v);

/** A zod node's definition, seen through the wrappers (optional, default, pipe) around it. */
function defOf(node: unknown): Def | undefined {
  let here = node;
  for (let unwrap = 0; unwrap < 8; unwrap++) {
    const def = isRecord(here) && isRecord(here.def) ? here.def : undefined;
    if (def === undefined) return undefined;
    if ("innerType" in def) here = def.innerType;
    else if (def.type === "pipe") here = def.in;
    else return def;
  }
  return undefined;
}

/** What a key path leads to in the schema. */
export type SchemaNode =
  /** An object of named fields (`poll`, `providers.apimart.defaults`). */
  | { kind: "section"; fields: string[]; node: unknown }
  /** Entries under names: the providers (`keys`: their ids) or the gateways (any name). */
  | { kind: "map"; keys: string[] | undefined; node: unknown }
  | { kind: "value" };

function describe(node: unknown): SchemaNode {
  const def = defOf(node);
  if (def?.type === "object" && isRecord(def.shape))
    return { kind: "section", fields: Object.keys(def.shape), node };
  if (def?.type === "record") {
    const key = defOf(def.keyType);
    const keys = key?.type === "enum" && isRecord(key.entries) ? Object.keys(key.entries) : undefined;
    return { kind: "map", keys, node };
  }
  return { kind: "value" };
}

/** The node one step down, by name, or undefined when the schema has no such field or entry. */
function child(at: SchemaNode, name: string): unknown {
  if (at.kind === "value") return undefined;
  const def = defOf(at.node);
  if (at.kind === "section")
    return isRecord(def?.shape) && Object.hasOwn(def.shape, name) ? def.shape[name] : undefined;
  return at.keys === undefined || at.keys.includes(name) ? def?.valueType : undefined;
}

/** What `path` leads to, or where it goes wrong: the first part the schema has no place for. */
export function schemaAt(
  path: readonly PropertyKey[],
): SchemaNode | { kind: "unknown"; at: number; candidates: string[] } {
  let here = describe(configSchema);
  for (const [i, part] of path.entries()) {
    const next = child(here, String(part));
    if (next === undefined) {
      const candidates = here.kind === "section" ? here.fields : here.kind === "map" ? (here.keys ?? []) : [];
      return { kind: "unknown", at: i, candidates };
    }
    here = describe(next);
  }
  return here;
}

/** The fields of the object at `path` (record entries stepped through by any name); [] for no object. */
export function fieldsAt(path: readonly PropertyKey[]): string[] {
  const node = schemaAt(path);
  return node.kind === "section" ? node.fields : [];
}

/** "poll.interval" as its parts; a usage error for an empty part ("poll..interval"). */
export function splitKeyPath(keyPath: string): string[] {
  const parts = keyPath.split(".");
  if (parts.some((p) => p.trim() === ""))
    throw new UsageError(`${keyPath} is not a key path such as poll.interval`);
  return parts;
}

/**
 * A key path split into its parts, each one the schema has a place for; else a usage error naming
 * the setting it was likely meant to be ("poll.intervl": did you mean poll.interval?).
 */
export function checkKeyPath(keyPath: string): string[] {
  const parts = splitKeyPath(keyPath);
  const found = schemaAt(parts);
  if (found.kind !== "unknown") return parts;
  const wrong = parts[found.at] ?? "";
  const known = parts.slice(0, found.at).join(".");
  const match = closestMatch(wrong, found.candidates);
  const why =
    match !== undefined
      ? `did you mean ${[...parts.slice(0, found.at), match, ...parts.slice(found.at + 1)].join(".")}?`
      : found.candidates.length === 0
        ? `${known} is a setting of its own`
        : `${known || "the config file"} has ${found.candidates.join(", ")}`;
  throw new UsageError(`${keyPath} is not a setting; ${why}`);
}

/**
 * Every setting's key path, in the schema's order: each field of each section, each provider, and
 * the entries of a map of any names (gateways, a gateway's models) that `config` has.
 */
export function settingKeys(config: unknown): string[][] {
  const out: string[][] = [];
  const walk = (node: unknown, path: string[], value: unknown): void => {
    const here = describe(node);
    if (here.kind === "value") {
      out.push(path);
      return;
    }
    const names =
      here.kind === "section" ? here.fields : (here.keys ?? (isRecord(value) ? Object.keys(value) : []));
    for (const name of names)
      walk(
        child(here, name),
        [...path, name],
        isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined,
      );
  };
  walk(configSchema, [], config);
  return out;
}
