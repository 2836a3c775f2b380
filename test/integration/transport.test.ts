import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callGateway, createDispatcher } from "../../src/http/client.js";
import type { Transport } from "../../src/http/transport.js";
import { gatewayFor, makeDeps, scriptedServer } from "../helpers/http-deps.js";

// One job's calls go over node:http, a pool's over undici (src/http/client.ts createDispatcher):
// both must fail alike, or retry-policy.ts would tell "nothing was sent" from "may have been sent"
// differently depending on the command.

const SHORT = { connectMs: 150, headersMs: 150, bodyMs: 150 };
const USES = ["single", "pool"] as const;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function transport(use: (typeof USES)[number]): Promise<Transport> {
  const t = await createDispatcher(SHORT, use);
  closers.push(() => t.close());
  return t;
}

/** A TCP server that accepts and never says a word: a TLS handshake with it never ends. */
async function silentServer(): Promise<{ port: number; connections: () => number }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, connections: () => sockets.length };
}

async function serve(handler: Parameters<typeof scriptedServer>[0]) {
  const server = await scriptedServer(handler);
  closers.push(() => server.close());
  return server;
}

/** Reads a body to its end, or to the error that cut it. */
async function drain(body: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const chunk of body) void chunk;
    return undefined;
  } catch (err) {
    return err;
  }
}

const codeOf = (err: unknown): unknown =>
  err && typeof err === "object" && "code" in err ? err.code : undefined;

describe.each(USES)("the %s transport", (use) => {
  it("a connection that never completes is a connect timeout (nothing was sent)", async () => {
    const { port } = await silentServer();
    const t = await transport(use);
    const err = await t.call(`https://127.0.0.1:${port}/v1/tasks/x`, { method: "GET" }).catch((e) => e);
    expect(codeOf(err)).toBe("UND_ERR_CONNECT_TIMEOUT");
  });

  it("an answer whose headers never come is a headers timeout", async () => {
    const server = await serve(() => {});
    const t = await transport(use);
    const err = await t.call(`${server.url}/v1/tasks/x`, { method: "GET" }).catch((e) => e);
    expect(codeOf(err)).toBe("UND_ERR_HEADERS_TIMEOUT");
  });

  it("a body that goes silent is a body timeout for its reader", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    const t = await transport(use);
    const res = await t.call(`${server.url}/v1/tasks/x`, { method: "GET" });
    expect(res.statusCode).toBe(200);
    const err = await drain(res.body);
    expect(codeOf(err)).toBe("UND_ERR_BODY_TIMEOUT");
  });

  it("a reader that stops taking bytes is not a silent server; a silence after it is", async () => {
    const sent = 4 * 1024 * 1024;
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4" });
      res.write(Buffer.alloc(sent, 7));
    });
    // Longer timeouts than the other cases: on a loaded machine a timer 150 ms overdue fires
    // before the bytes already waiting are read, and this case must see no timeout until the end.
    const t = await createDispatcher({ ...SHORT, bodyMs: 600 }, use);
    closers.push(() => t.close());
    const res = await t.stream(`${server.url}/v.mp4`, { method: "GET" });
    let got = 0;
    const err = await (async () => {
      try {
        for await (const chunk of res.body) {
          // A reader far slower than the body timeout, once: the bytes wait for it meanwhile.
          if (got === 0) await new Promise((resolve) => setTimeout(resolve, 1500));
          got += (chunk as Buffer).length;
        }
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(got).toBe(sent);
    expect(codeOf(err)).toBe("UND_ERR_BODY_TIMEOUT");
  });

  it("an abort, before or after the headers, rejects with an AbortError", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/body") res.writeHead(200).write("{");
    });
    const t = await transport(use);
    const early = new AbortController();
    const pending = t.call(`${server.url}/none`, { method: "GET", signal: early.signal });
    setTimeout(() => early.abort(), 20);
    expect(await pending.catch((e) => e)).toMatchObject({ name: "AbortError" });
    const late = new AbortController();
    const res = await t.call(`${server.url}/body`, { method: "GET", signal: late.signal });
    setTimeout(() => late.abort(), 20);
    const err = await drain(res.body);
    expect(err).toMatchObject({ name: "AbortError" });
  });

  it("a body goes with its length, and an empty POST says 0", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = await serve((req, res) => {
      seen.push({ ...req.headers });
      req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    });
    const t = await transport(use);
    for (const body of [Buffer.from('{"a":1}'), null]) {
      const res = await t.call(`${server.url}/v1/x`, { method: "POST", body, headers: { accept: "x" } });
      await res.dump();
    }
    expect(seen[0]).toMatchObject({ "content-length": "7", accept: "x" });
    expect(seen[0]?.["transfer-encoding"]).toBeUndefined();
    expect(seen[1]).toMatchObject({ "content-length": "0" });
  });
});

describe("a paid create over one job's transport", () => {
  it("is retried after a connect timeout (it never left), and not after a headers timeout", async () => {
    const deps = await makeDeps();
    closers.push(() => deps.close());
    const t = await transport("single");
    const http = { ...deps.http, dispatcher: t };
    const { port, connections } = await silentServer();
    const gateway = gatewayFor("apimart", `https://127.0.0.1:${port}`);
    const spec = {
      method: "POST" as const,
      path: "/v1/videos/generations",
      body: { kind: "json" as const, value: {} },
    };
    const unsent = await callGateway(gateway, spec, http, { idempotent: false }).catch((e) => e);
    expect(unsent).toMatchObject({
      exitCode: 6,
      message: expect.stringContaining("UND_ERR_CONNECT_TIMEOUT"),
    });
    expect(connections()).toBe(4);

    const server = await serve(() => {});
    const silent = gatewayFor("apimart", server.url);
    const sent = await callGateway(silent, spec, http, { idempotent: false }).catch((e) => e);
    expect(sent).toMatchObject({ exitCode: 6, mayExist: true });
    expect(server.hits).toHaveLength(1);
  });
});
