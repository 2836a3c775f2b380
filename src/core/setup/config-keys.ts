import * as z from "../../util/zod.js";
import { configSchema } from "../../config/schema.js";

/** Never set from the command line (`config set` refuses it): a key goes through `keys set`. */
const SECRET = "apiKey";

/**
 * Every key path `config get` and `config set` take, read off the config file's schema so a new
 * setting completes as soon as it exists: each leaf, with every provider named; a map whose names
 * are the user's own (gateways) is one path, set as a whole in JSON.
 */
export function configKeyPaths(): string[] {
  return leaves(configSchema, []);
}

/** `unknown`: zod types a wrapped schema by its core class; the checks below narrow it. */
function leaves(schema: unknown, path: readonly string[]): string[] {
  if (schema instanceof z.ZodOptional) return leaves(schema.unwrap(), path);
  if (schema instanceof z.ZodObject)
    return Object.entries(schema.shape).flatMap(([name, value]) =>
      name === SECRET ? [] : leaves(value, [...path, name]),
    );
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) {
    const value = schema.valueType;
    return schema.keyType.options.flatMap((name) => leaves(value, [...path, String(name)]));
  }
  return [path.join(".")];
}
