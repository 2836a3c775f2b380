import { readFileSync } from "node:fs";

/** Read once from package.json, which ships beside dist/ in every install. */
function readVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return raw && typeof raw === "object" && "version" in raw && typeof raw.version === "string"
    ? raw.version
    : "0.0.0";
}

export const VERSION = readVersion();
