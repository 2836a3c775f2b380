import { checkKeyTarget, type KeyEntry, listKeys, loadKeysConfig, setKey } from "../config/keys.js";
import { keysFilePath } from "../config/user-files.js";
import type { CommonFlags } from "../core/client/context.js";
import { readSecret } from "../ui/secret-input.js";
import { renderTable } from "../ui/table.js";
import { type InputRuntime, createOutput } from "./cli-output.js";

/** `grokvid keys set PROVIDER`: the key from a hidden prompt or standard input; never printed. */
export async function runKeysSet(provider: string, flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const { config } = await loadKeysConfig(flags, runtime, out);
  checkKeyTarget(provider, config);
  const key = await readSecret(runtime.stdin, runtime.stderr, `API key for ${provider} (not shown): `);
  const { file, shadowedBy } = await setKey(provider, key, config, runtime.env);
  out.info(`stored the ${provider} key in ${file}`);
  if (shadowedBy) out.warn(`${shadowedBy} is set and wins over the stored key`);
  out.result(file);
}

/** `grokvid keys list`: which providers have a key, and where it comes from; masked. */
export async function runKeysList(flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const { config, filepath } = await loadKeysConfig(flags, runtime, out);
  const entries: KeyEntry[] = listKeys(config, runtime.env, filepath);
  if (out.mode.json) {
    out.resultJson(
      entries.map(({ provider, from, masked }) => ({ provider, from: from ?? null, key: masked ?? null })),
    );
    return;
  }
  const rows = entries.map((e) => [e.provider, e.masked ?? "-", e.from ?? "no key"]);
  for (const line of renderTable(["PROVIDER", "KEY", "FROM"], rows)) out.result(line);
}

/** `grokvid keys path`: the file `keys set` writes. */
export async function runKeysPath(flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  out.result(keysFilePath(runtime.env));
}
