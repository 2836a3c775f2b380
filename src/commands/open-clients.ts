/**
 * The library clients one command line opened, so `run()` lets go of them (the journal's append
 * handle) when it ends. A process exit would close them too, but `run()` is also called in a loop
 * by whatever embeds the CLI (the tests run thousands of command lines in one process), where each
 * command left open is a file descriptor lost. No imports: `cli.ts` loads this on every run.
 */
interface Closable {
  close(): Promise<void>;
}

const opened = new WeakMap<object, Closable[]>();

/** Remembers `client` as one the command line running on `runtime` must close; returns it. */
export function trackClient<T extends Closable>(runtime: object, client: T): T {
  const list = opened.get(runtime) ?? [];
  list.push(client);
  opened.set(runtime, list);
  return client;
}

/**
 * Closes every client of this runtime. Every journal line was on disk before its caller was
 * answered, so a failure to close loses nothing and does not change the command's outcome.
 */
export async function closeClients(runtime: object): Promise<void> {
  const list = opened.get(runtime);
  opened.delete(runtime);
  for (const client of list ?? []) await client.close().catch(() => undefined);
}
