// Writes V8 code caches for the CLI's chunks (see src/cli-code-cache.ts): a training run of
// `grokvid create --provider apimart --prompt x --dry-run` in an empty temp folder, no config, no
// key and no network, whose compiled code every chunk it loaded saves at exit. It runs on the
// machine that builds, so the caches fit its Node; another Node rejects them and compiles as before.
// A chunk that contains `import()` keeps no cache: restored from one, its import() would fail.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasDynamicImport } from "./dynamic-import.mjs";

const chunks = fileURLToPath(new URL("../dist/cli", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "grokvid-code-cache-"));
const training = `
  const chunks = ${JSON.stringify(chunks)};
  require(chunks + "/code-cache.cjs").recordCodeCache(chunks);
  require(chunks + "/main.cjs").main(["create", "--provider", "apimart", "--prompt", "x", "--dry-run"]);
`;
try {
  const run = spawnSync(process.execPath, ["-e", training], {
    cwd: home,
    env: { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`the code cache training run failed: ${run.stderr}`);
  if (!existsSync(join(chunks, "main.cjs.v8-cache"))) throw new Error("the training run wrote no code cache");
  for (const cache of readdirSync(chunks).filter((name) => name.endsWith(".cjs.v8-cache"))) {
    const chunk = cache.slice(0, -".v8-cache".length);
    if (!hasDynamicImport(readFileSync(join(chunks, chunk), "utf8"))) continue;
    rmSync(join(chunks, cache));
    process.stdout.write(`code cache: none for ${chunk}, which contains import()\n`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
