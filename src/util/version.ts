import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Read once from package.json, which ships beside dist/ in every install: one folder up from the
 * compiled library (dist/version.js), two from the bundled CLI (dist/bundle/*.cjs).
 */
function readVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = [join(here, "..", "package.json"), join(here, "..", "..", "package.json")].find((f) =>
    existsSync(f),
  );
  const raw: unknown = file ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  return raw && typeof raw === "object" && "version" in raw && typeof raw.version === "string"
    ? raw.version
    : "0.0.0";
}

export const VERSION = readVersion();
