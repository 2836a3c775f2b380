import type { KeyEntry } from "../index.js";
import { readSecret } from "../ui/secret-input.js";
import { renderTable } from "../ui/table.js";
import { clientFor, type CommonFlags, createOutput, type InputRuntime } from "./cli-output.js";

/** `grokvid keys set PROVIDER`: the key from a hidden prompt or standard input; never printed. */
export async function runKeysSet(provider: string, flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const setup = clientFor(flags, runtime, out).setup;
  // Checked before the key is asked for: a typo costs no typing.
  await setup.keyTarget(provider);
  const key = await readSecret(runtime.stdin, runtime.stderr, `API key for ${provider} (not shown): `);
  const { file, shadowedBy } = await setup.storeKey(provider, key);
  out.info(`stored the ${provider} key in ${file}`);
  if (shadowedBy) out.warn(`${shadowedBy} is set and wins over the stored key`);
  out.result(file);
}

/** `grokvid keys list`: which providers have a key, and where it comes from; masked. */
export async function runKeysList(flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const entries: KeyEntry[] = await clientFor(flags, runtime, out).setup.listKeys();
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
  out.result(await clientFor(flags, runtime, out).setup.keysFile());
}
