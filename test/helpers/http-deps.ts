import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TaskDeps } from "../../src/core/jobs/task-identity.js";
import { createDispatcher, type Gateway, type HttpDeps } from "../../src/http/client.js";
import { providers } from "../../src/providers/registry.js";
import type { NormalizedTask, ProviderId } from "../../src/providers/types.js";
import { ManualClock } from "./clock.js";

export interface TestDeps extends TaskDeps {
  clock: ManualClock;
  sleeps: number[];
  close(): Promise<void>;
}

/** Real HTTP with a manual clock: every sleep is recorded and advances time instantly. */
export async function makeDeps(clock = new ManualClock()): Promise<TestDeps> {
  const dispatcher = await createDispatcher();
  const sleeps: number[] = [];
  const http: HttpDeps = {
    dispatcher,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      await clock.sleep(ms);
    },
    // Mid-range jitter keeps delays predictable.
    random: () => 0.5,
    userAgent: "grokvid-test",
  };
  return { http, now: () => new Date(clock.now()), clock, sleeps, close: () => dispatcher.close() };
}

export function gatewayFor(id: ProviderId, baseUrl: string, apiKey = "sk-test-key-000000"): Gateway {
  return {
    name: id,
    provider: providers[id],
    baseUrl,
    apiKey,
    keyVariable: `GROKVID_${id.toUpperCase()}_API_KEY`,
  };
}

/** A scripted loopback server for behaviours the sandbox does not simulate (yet): retries, hints, redirects. */
export async function scriptedServer(
  handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void,
): Promise<{ url: string; hits: IncomingMessage[]; close(): Promise<void> }> {
  const hits: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req);
    handler(req, res, hits.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A task that succeeded with this video URL: what a download starts from. */
export function finishedTask(videoUrl: string): NormalizedTask {
  return {
    id: "task_1",
    provider: "apimart",
    model: null,
    status: "succeeded",
    progress: 100,
    videoUrl,
    error: null,
    createdAt: null,
    updatedAt: new Date(0).toISOString(),
    raw: {},
  };
}
