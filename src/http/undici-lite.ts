import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { baselineWasmWanted } from "./wasm-tier.js";
import type { Dispatcher } from "undici";
import type { Agent as AgentClass } from "undici";

/**
 * The two parts of undici grokvid uses, loaded by their own files: undici's entry also loads fetch,
 * WebSocket, cookies, the cache and the mock agent (111 modules), a third of a command's start-up.
 * undici declares no `exports` map, so these paths are part of what its package publishes.
 */
const require = createRequire(import.meta.url);

// undici parses HTTP with WebAssembly, and V8's optimising tier recompiles that parser in the
// background: about 70 ms and 35 MiB a command pays for nothing, since a CLI never runs long enough
// to profit. The CLI asks for the baseline compiler (Liftoff) alone, which parses an answer just as
// well; a library user's process keeps its own settings. Set here, as late as possible: changing a
// V8 flag makes Node compile its own modules loaded afterwards without their code cache.
if (baselineWasmWanted()) setFlagsFromString("--liftoff-only");

export const Agent = require("undici/lib/dispatcher/agent.js") as typeof AgentClass;

type RequestFn = (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
const dispatchRequest = require("undici/lib/api/api-request.js") as RequestFn;

export type RequestOptions = Omit<Dispatcher.RequestOptions, "origin" | "path" | "method"> & {
  method: Dispatcher.HttpMethod;
  dispatcher: Dispatcher;
};

/** undici's `request(url, options)` with the dispatcher always given (grokvid never uses a global one). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const target = new URL(url);
  return dispatchRequest.call(dispatcher, {
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
  });
}
