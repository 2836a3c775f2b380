import { join } from "node:path";
import envPaths from "env-paths";

type EnableCompileCache = (directory: string) => unknown;

/**
 * `module.enableCompileCache` where the running Node has it (22.1 and later). An older Node is not
 * asked: loading node:module there loads its ES module loader with it, for nothing.
 */
function compileCacheApi(): EnableCompileCache | undefined {
  if (Number(process.versions.node.split(".")[0]) < 22) return undefined;
  const api: unknown = Reflect.get(process.getBuiltinModule("node:module"), "enableCompileCache");
  return typeof api === "function" ? (api as EnableCompileCache) : undefined;
}

/** grokvid's own folder for it, in the platform's cache folder (~/.cache/grokvid/compile-cache). */
export function compileCacheDir(): string {
  return join(envPaths("grokvid", { suffix: "" }).cache, "compile-cache");
}

/**
 * Lets Node keep V8's compiled code of the CLI's chunks on disk, so later runs skip compiling
 * them. This is Node's own, documented cache: it checks every entry against the file it was made
 * from and against a checksum of its own, so a stale or damaged entry is compiled again, never
 * run; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20 has no such API: there every chunk
 * compiles from source, and nothing is read or written. Only modules loaded after this call are
 * cached, so the CLI's entry calls it before it loads the rest.
 */
export function enableCompileCache(): void {
  compileCacheApi()?.(compileCacheDir());
}
