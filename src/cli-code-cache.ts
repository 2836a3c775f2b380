import { readFileSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";

/**
 * V8 code caches for the CLI's bundled chunks (dist/cli/*.cjs). Compiling the common chunk from
 * source was a third of a dry run's time; with the bytecode V8 saved after a build-time run of
 * `create --dry-run` (scripts/code-cache.mjs), Node only deserialises it. Node 22 does this itself
 * (module.enableCompileCache); Node 20, the floor, does not.
 *
 * A cache is used only when it is newer than its chunk, and V8 rejects one made by another V8
 * version or with other V8 flags: then the chunk compiles from source as before. With
 * --enable-source-maps the normal loader runs, so stack traces still map to src/.
 *
 * Only chunks with a cache go through vm.Script, and without `importModuleDynamically`: on Node 20
 * an `import()` in a script restored from a cache fails (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING)
 * whatever the option says, and its one working value prints an ExperimentalWarning to stderr.
 * So the build keeps no cache for a chunk that contains `import()` (scripts/code-cache.mjs), and
 * such a chunk, like every chunk without a cache, loads through Node's own loader.
 */
type Loader = (module: NodeJS.Module, filename: string) => void;
interface Internals {
  _extensions: Record<string, Loader>;
}

const extensions = (Module as unknown as Internals)._extensions;

export function cacheFileOf(chunk: string): string {
  return `${chunk}.v8-cache`;
}

function cachedBytes(chunk: string): Buffer | undefined {
  try {
    const cache = cacheFileOf(chunk);
    if (statSync(cache).mtimeMs < statSync(chunk).mtimeMs) return undefined;
    return readFileSync(cache);
  } catch {
    return undefined;
  }
}

function run(module: NodeJS.Module, filename: string, script: vm.Script): void {
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const require = createRequire(filename);
  wrapper.call(module.exports, module.exports, require, module, filename, dirname(filename));
}

function compile(filename: string, cachedData: Buffer | undefined): vm.Script {
  return new vm.Script(Module.wrap(readFileSync(filename, "utf8")), {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
}

/** `load` handles a chunk of `folder` and returns false to leave it to Node's own loader. */
function hook(folder: string, load: (module: NodeJS.Module, filename: string) => boolean): void {
  const standard = extensions[".cjs"] ?? extensions[".js"];
  if (!standard) return;
  extensions[".cjs"] = (module, filename) => {
    if (dirname(filename) !== folder || !load(module, filename)) standard(module, filename);
  };
}

/** Chunks in `folder` compile from their code cache where one fits. */
export function useCodeCache(folder: string): void {
  if (process.sourceMapsEnabled) return;
  hook(folder, (module, filename) => {
    const cachedData = cachedBytes(filename);
    if (!cachedData) return false;
    run(module, filename, compile(filename, cachedData));
    return true;
  });
}

/** The build's training run: every chunk it loads gets a cache of what ran, written at exit. */
export function recordCodeCache(folder: string): void {
  const compiled: [string, vm.Script][] = [];
  hook(folder, (module, filename) => {
    const script = compile(filename, undefined);
    compiled.push([filename, script]);
    run(module, filename, script);
    return true;
  });
  process.on("exit", () => {
    for (const [filename, script] of compiled)
      writeFileSync(cacheFileOf(filename), script.createCachedData());
  });
}
