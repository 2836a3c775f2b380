import { connect } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Fault,
  faultKinds,
  parseFaultSpec,
  type Sandbox,
  type SandboxDialect,
  type SandboxOptions,
  startSandbox,
} from "../../src/sandbox/server.js";

const START = 1_760_000_000_000;
const DONE = START + 3000;
const KEY = "sk-fault-test";
const DIALECTS = ["apimart", "xcompute", "jimmyai", "duoyuanx"] as const satisfies readonly SandboxDialect[];
const ID_PATTERN = /"((?:task|jm|video)_[0-9a-z]{31})"/;

let clock = START;
const opened: Sandbox[] = [];

async function open(faults: Fault[] = [], options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ now: () => clock, faults, ...options });
  opened.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sandbox) => sandbox.close()));
  clock = START;
});

const CREATE: Record<SandboxDialect, string> = {
  apimart: "/apimart/v1/videos/generations",
  xcompute: "/xcompute/v1/videos/generations",
  jimmyai: "/jimmyai/api/open-api/v1/grok/videos",
  duoyuanx: "/duoyuanx/v1/videos",
};
const QUERY: Record<SandboxDialect, string> = {
  apimart: "/apimart/v1/tasks/",
  xcompute: "/xcompute/v1/tasks/",
  jimmyai: "/jimmyai/api/open-api/v1/videos/",
  duoyuanx: "/duoyuanx/v1/videos/",
};
const VALID: Record<SandboxDialect, object> = {
  apimart: { model: "grok-imagine-1.5-video-apimart", prompt: "a dog on the beach", duration: 6 },
  xcompute: { model: "grok-imagine-1.0-video-apimart", prompt: "a dog on the beach", duration: 6 },
  jimmyai: { model: "grok-imagine-video-1.5", prompt: "tea", image_urls: ["https://example.com/cup.jpg"] },
  duoyuanx: { model: "grok-imagine-video-1.5-preview", prompt: "neon", seconds: "8", resolution: "720P" },
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, {
    ...init,
    headers: { Authorization: `Bearer ${KEY}`, ...init.headers },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const create = (sandbox: Sandbox, dialect: SandboxDialect) =>
  request(`${sandbox.url}${CREATE[dialect]}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(VALID[dialect]),
  });

async function createId(sandbox: Sandbox, dialect: SandboxDialect): Promise<string> {
  const answer = await create(sandbox, dialect);
  expect(answer.status).toBe(200);
  return ID_PATTERN.exec(answer.text)?.[1] ?? "";
}

const query = (sandbox: Sandbox, dialect: SandboxDialect, id: string) =>
  request(`${sandbox.url}${QUERY[dialect]}${id}`);

/** A finished task's public file URL and the duoyuanx /content URL (which needs the key). */
async function finishedVideo(sandbox: Sandbox) {
  const id = await createId(sandbox, "duoyuanx");
  clock = DONE;
  return { file: `${sandbox.url}/files/${id}.mp4`, content: `${sandbox.url}${QUERY.duoyuanx}${id}/content` };
}

interface RawAnswer {
  head: string;
  body: Buffer;
  error?: string;
}

/**
 * One GET over a bare TCP socket. `readSize` 1 is for seeing a reset: libuv reports an RST that lands
 * together with unread data as a plain EOF, so only a client whose reads never come back short sees it.
 */
function rawGet(url: string, headers: Record<string, string> = {}, readSize = 65_536): Promise<RawAnswer> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const buffer = Buffer.alloc(readSize);
    const socket = connect({
      host: hostname,
      port: Number(port),
      onread: {
        buffer,
        callback: (size) => {
          chunks.push(Buffer.from(buffer.subarray(0, size)));
          return true;
        },
      },
    });
    socket.on("error", (cause) => (error = "code" in cause ? String(cause.code) : cause.message));
    socket.on("close", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = split < 0 ? "" : all.subarray(0, split).toString("latin1");
      resolve({
        head,
        body: split < 0 ? all : all.subarray(split + 4),
        ...(error === undefined ? {} : { error }),
      });
    });
    const lines = [`GET ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, "Connection: close"];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

const contentLength = (head: string) => Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);

function errorShape(dialect: SandboxDialect | "files", status: number) {
  const apimartTypes: Record<number, string> = {
    429: "rate_limit_error",
    500: "server_error",
    502: "bad_gateway",
    503: "service_unavailable",
  };
  const newApiCodes: Record<number, string> = {
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
  };
  const filesTypes: Record<number, string> = {
    429: "rate_limited",
    500: "server_error",
    502: "bad_gateway",
    503: "service_unavailable",
  };
  const message = expect.stringMatching(/^sandbox fault: /);
  if (dialect === "jimmyai") return { code: String(status * 100), msg: message, data: null };
  if (dialect === "duoyuanx") return { error: { message, type: "new_api_error", code: newApiCodes[status] } };
  if (dialect === "files") return { error: { message, type: filesTypes[status] } };
  return { error: { code: status, message, type: apimartTypes[status] } };
}

describe("parseFaultSpec", () => {
  it.each([
    ["rate-limit", { kind: "rate-limit", target: "any" }],
    ["rate-limit:query:2", { kind: "rate-limit", target: "query", times: 2 }],
    ["truncate:download", { kind: "truncate", target: "download" }],
    ["server-error:any:inf", { kind: "server-error", target: "any", times: Infinity }],
    [" Stall::3 ", { kind: "stall", target: "any", times: 3 }],
    ["never-finish:create:1", { kind: "never-finish", target: "create", times: 1 }],
  ])("parses %j", (spec, fault) => {
    expect(parseFaultSpec(spec)).toEqual(fault);
  });

  it.each([
    ["", "missing kind"],
    ["explode", 'unknown kind "explode"'],
    ["rate-limit:upload", 'unknown target "upload"'],
    ["rate-limit:query:0", 'bad times "0"'],
    ["rate-limit:query:two", 'bad times "two"'],
    ["rate-limit:query:1:2", "too many fields"],
    ["truncate:create", "truncate applies only to download, not create"],
    ["never-finish:query", "never-finish applies only to create, not query"],
  ])("rejects %j with a one-line message naming every kind and target", (spec, reason) => {
    const error = (() => {
      try {
        parseFaultSpec(spec);
      } catch (caught) {
        return caught instanceof Error ? caught.message : String(caught);
      }
      return "no error";
    })();
    expect(error).toContain(reason);
    expect(error).toContain(faultKinds.join(", "));
    expect(error).toContain("create, query, download, any");
    expect(error).not.toContain("\n");
  });

  it("refuses an unusable fault list in startSandbox and setFaults, keeping the old list", async () => {
    await expect(startSandbox({ faults: [{ kind: "wrong-type", target: "query" }] })).rejects.toThrow(
      /wrong-type applies only to download/,
    );
    const sandbox = await open([{ kind: "rate-limit", target: "create" }]);
    for (const bad of [
      { kind: "server-error", target: "any", status: 504 },
      { kind: "rate-limit", target: "any", times: 0 },
      { kind: "stall", target: "any", ms: -1 },
    ] satisfies Fault[]) {
      expect(() => sandbox.setFaults([bad])).toThrow(/^sandbox: invalid fault/);
    }
    expect((await create(sandbox, "apimart")).status).toBe(429);
  });
});

describe("rate-limit and server-error in each dialect's error shape", () => {
  it.each(DIALECTS)("%s: create answers 429 with Retry-After and creates no task", async (dialect) => {
    const sandbox = await open([{ kind: "rate-limit", target: "create", retryAfter: 7 }]);
    const limited = await create(sandbox, dialect);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(JSON.parse(limited.text)).toEqual(errorShape(dialect, 429));
    expect(limited.text).not.toMatch(ID_PATTERN);
    expect((await create(sandbox, dialect)).status).toBe(200);
    expect(sandbox.requests.map((entry) => [entry.status, entry.fault])).toEqual([
      [429, "rate-limit"],
      [200, undefined],
    ]);
  });

  it.each(DIALECTS)("%s: query answers 429 with the default Retry-After: 1", async (dialect) => {
    const sandbox = await open();
    const id = await createId(sandbox, dialect);
    sandbox.setFaults([{ kind: "rate-limit", target: "query" }]);
    const limited = await query(sandbox, dialect, id);
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(JSON.parse(limited.text)).toEqual(errorShape(dialect, 429));
    expect((await query(sandbox, dialect, id)).status).toBe(200);
  });

  it.each(DIALECTS)("%s: create and query answer 500, 502 and 503, creating no task", async (dialect) => {
    const sandbox = await open();
    const id = await createId(sandbox, dialect);
    for (const status of [500, 502, 503] as const) {
      sandbox.setFaults([{ kind: "server-error", target: "any", status, times: 2 }]);
      const failed = await create(sandbox, dialect);
      expect(failed.status).toBe(status);
      expect(failed.text).not.toMatch(ID_PATTERN);
      expect(JSON.parse(failed.text)).toEqual(errorShape(dialect, status));
      const queried = await query(sandbox, dialect, id);
      expect([queried.status, JSON.parse(queried.text)]).toEqual([status, errorShape(dialect, status)]);
    }
    sandbox.setFaults([{ kind: "server-error", target: "create" }]);
    expect((await create(sandbox, dialect)).headers.get("retry-after")).toBeNull();
  });

  it("downloads answer in the CDN's shape on /files and new-api's on duoyuanx /content", async () => {
    const sandbox = await open();
    const { file, content } = await finishedVideo(sandbox);
    sandbox.setFaults([
      { kind: "rate-limit", target: "download", times: 2 },
      { kind: "server-error", target: "download", status: 503, times: 2 },
    ]);
    const expected = [
      [file, 429, "files"],
      [content, 429, "duoyuanx"],
      [file, 503, "files"],
      [content, 503, "duoyuanx"],
    ] as const;
    for (const [url, status, shape] of expected) {
      const answer = await request(url);
      expect([answer.status, JSON.parse(answer.text)]).toEqual([status, errorShape(shape, status)]);
    }
    expect((await request(file)).headers.get("content-type")).toBe("video/mp4");
  });
});

describe("reset", () => {
  it.each(DIALECTS)("%s: a create is dropped without an answer and creates nothing", async (dialect) => {
    const sandbox = await open([{ kind: "reset", target: "create" }]);
    const error: unknown = await create(sandbox, dialect).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ cause: { code: "ECONNRESET" } });
    expect(sandbox.requests).toMatchObject([{ method: "POST", status: 0, fault: "reset" }]);
    expect((await create(sandbox, dialect)).status).toBe(200);
  });

  it("a query is dropped; a raw client sees ECONNRESET and no bytes", async () => {
    const sandbox = await open();
    const id = await createId(sandbox, "apimart");
    sandbox.setFaults([{ kind: "reset", target: "query" }]);
    const raw = await rawGet(`${sandbox.url}${QUERY.apimart}${id}`, { Authorization: `Bearer ${KEY}` }, 1);
    expect(raw).toEqual({ head: "", body: Buffer.alloc(0), error: "ECONNRESET" });
  });

  it("a download sends the full headers and half the body, then resets mid-response", async () => {
    const sandbox = await open();
    const { file } = await finishedVideo(sandbox);
    const whole = await rawGet(file);
    sandbox.setFaults([{ kind: "reset", target: "download" }]);
    const raw = await rawGet(file, {}, 1);
    expect(raw.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(contentLength(raw.head)).toBe(whole.body.length);
    expect(raw.body).toEqual(whole.body.subarray(0, Math.floor(whole.body.length / 2)));
    expect(raw.error).toBe("ECONNRESET");
  });
});

describe("truncate", () => {
  it("announces the full length, sends half and ends cleanly; Range resumes from there", async () => {
    const sandbox = await open();
    const { file, content } = await finishedVideo(sandbox);
    const whole = await rawGet(file);
    expect(whole.error).toBeUndefined();
    sandbox.setFaults([{ kind: "truncate", target: "download", times: 2 }]);
    const cut = await rawGet(file);
    expect(cut.error).toBeUndefined();
    expect(contentLength(cut.head)).toBe(whole.body.length);
    expect(cut.body).toEqual(whole.body.subarray(0, Math.floor(whole.body.length / 2)));
    // An HTTP client notices the body ended short of Content-Length.
    const response = await fetch(content, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow(/terminated/);

    const rest = await rawGet(file, { Range: `bytes=${cut.body.length}-` });
    expect(rest.head).toMatch(/^HTTP\/1\.1 206 /);
    expect(rest.head).toContain(
      `Content-Range: bytes ${cut.body.length}-${whole.body.length - 1}/${whole.body.length}`,
    );
    expect(Buffer.concat([cut.body, rest.body])).toEqual(whole.body);
    expect(sandbox.requests.map((entry) => entry.fault)).toEqual([
      undefined,
      undefined,
      "truncate",
      "truncate",
      undefined,
    ]);
  });

  it("cuts a Range answer in half too, and a HEAD neither spends nor suffers the fault", async () => {
    const sandbox = await open();
    const { file } = await finishedVideo(sandbox);
    sandbox.setFaults([{ kind: "truncate", target: "any" }]);
    const head = await fetch(file, { method: "HEAD" });
    expect(head.status).toBe(200);
    const cut = await rawGet(file, { Range: "bytes=100-299" });
    expect(cut.head).toMatch(/^HTTP\/1\.1 206 /);
    expect([contentLength(cut.head), cut.body.length]).toEqual([200, 100]);
    expect(sandbox.requests.map((entry) => [entry.method, entry.fault])).toEqual([
      ["POST", undefined],
      ["HEAD", undefined],
      ["GET", "truncate"],
    ]);
  });
});

describe("expired-url and wrong-type", () => {
  it("expired-url answers 403 with an S3-style XML error, once", async () => {
    const sandbox = await open();
    const { file } = await finishedVideo(sandbox);
    sandbox.setFaults([{ kind: "expired-url", target: "download" }]);
    const expired = await request(file);
    expect(expired.status).toBe(403);
    expect(expired.headers.get("content-type")).toBe("application/xml");
    expect(expired.text).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
    expect(expired.text).toContain(`<ServerTime>${new Date(DONE).toISOString().slice(0, 19)}Z</ServerTime>`);
    expect((await request(file)).status).toBe(200);
  });

  it("wrong-type answers 200 text/html with an error page, on /content too", async () => {
    const sandbox = await open();
    const { content } = await finishedVideo(sandbox);
    sandbox.setFaults([{ kind: "wrong-type", target: "any" }]);
    expect((await create(sandbox, "apimart")).status).toBe(200);
    const page = await request(content);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(page.text).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 200, fault: "wrong-type" });
  });
});

describe("malformed-json", () => {
  const CREATED: Record<SandboxDialect, string> = {
    apimart: '{"code":200,"data":[{"task_id":',
    xcompute: '{"code":200,"data":{"id":',
    jimmyai: '{"code":"20000","msg":"ok","data":{"task_id":',
    duoyuanx: '{"id":',
  };
  const QUERIED: Record<SandboxDialect, string> = {
    apimart: '{"code":200,"data":{"id":',
    xcompute: '{"id":',
    jimmyai: '{"code":"20000","msg":"ok","data":{"task_id":',
    duoyuanx: '{"id":',
  };

  it.each(DIALECTS)("%s: create and query answer 200 JSON cut before the id", async (dialect) => {
    const sandbox = await open();
    const id = await createId(sandbox, dialect);
    sandbox.setFaults([{ kind: "malformed-json", target: "any", times: 2 }]);
    const created = await create(sandbox, dialect);
    expect([created.status, created.headers.get("content-type")]).toEqual([
      200,
      "application/json; charset=utf-8",
    ]);
    expect(created.text).toBe(CREATED[dialect]);
    expect(() => JSON.parse(created.text)).toThrow(SyntaxError);
    const queried = await query(sandbox, dialect, id);
    expect([queried.status, queried.text]).toEqual([200, QUERIED[dialect]]);
    expect(JSON.parse((await query(sandbox, dialect, id)).text)).toBeTypeOf("object");
  });

  it("follows the query variants the sandbox was started with", async () => {
    const sandbox = await open([], { variants: { xcomputeQuery: "wrapped", jimmyaiQuery: "flat" } });
    sandbox.setFaults([{ kind: "malformed-json", target: "query", times: Infinity }]);
    expect((await query(sandbox, "xcompute", "task_x")).text).toBe('{"code":200,"data":{"id":');
    expect((await query(sandbox, "jimmyai", "jm_x")).text).toBe('{"task_id":');
  });
});

describe("never-finish", () => {
  it.each(DIALECTS)("%s: the task created under the fault runs at 50 %% forever", async (dialect) => {
    const sandbox = await open([{ kind: "never-finish", target: "any" }]);
    const stuck = await createId(sandbox, dialect);
    const normal = await createId(sandbox, dialect);
    clock = START + 86_400_000;
    expect(JSON.parse((await query(sandbox, dialect, stuck)).text)).toMatchObject(
      dialect === "xcompute" || dialect === "duoyuanx" ? { progress: 50 } : { data: { progress: 50 } },
    );
    expect((await query(sandbox, dialect, normal)).text).toMatch(/"progress":100/);
    expect(sandbox.requests.map((entry) => entry.fault)).toEqual([
      "never-finish",
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("stall", () => {
  it("holds a query for ms, then answers normally", async () => {
    const sandbox = await open();
    const id = await createId(sandbox, "jimmyai");
    sandbox.setFaults([{ kind: "stall", target: "query", ms: 50 }]);
    const started = performance.now();
    const answer = await query(sandbox, "jimmyai", id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(answer.status).toBe(200);
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 200, fault: "stall" });
  });

  it("holds a create for ms, then creates the task", async () => {
    const sandbox = await open([{ kind: "stall", target: "create", ms: 50 }]);
    expect((await create(sandbox, "duoyuanx")).text).toMatch(ID_PATTERN);
  });

  it.each([undefined, 60_000])(
    "close() ends a stall (ms %s) promptly and the client sees the drop",
    async (ms) => {
      const sandbox = await open([
        { kind: "stall", target: "download", ...(ms === undefined ? {} : { ms }) },
      ]);
      const { file } = await finishedVideo(sandbox);
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      const timersBefore = timers();
      const pending = fetch(file).then(
        () => "answered",
        () => "dropped",
      );
      await vi.waitFor(() => expect(sandbox.requests.at(-1)?.fault).toBe("stall"), {
        interval: 5,
        timeout: 15_000,
      });
      const started = performance.now();
      await sandbox.close();
      expect(performance.now() - started).toBeLessThan(500);
      expect(await pending).toBe("dropped");
      expect(sandbox.requests.at(-1)?.status).toBe(0);
      // A stall's own timer goes with its socket (whose close event trails close() by one turn), so
      // nothing keeps the process (the CLI) alive afterwards.
      await new Promise((resolve) => setImmediate(resolve));
      expect(timers()).toBeLessThanOrEqual(timersBefore);
    },
  );
});

describe("matching and counters", () => {
  it("times: 2 hits twice then lets requests through; Infinity never runs out", async () => {
    const sandbox = await open([{ kind: "rate-limit", target: "create", times: 2 }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await create(sandbox, "xcompute")).status);
    expect(statuses).toEqual([429, 429, 200]);
    sandbox.setFaults([{ kind: "server-error", target: "create", times: Infinity }]);
    for (let i = 0; i < 5; i++) expect((await create(sandbox, "xcompute")).status).toBe(500);
  });

  it("setFaults replaces the list and restarts counters from the given faults", async () => {
    const faults: Fault[] = [{ kind: "rate-limit", target: "create" }];
    const sandbox = await open(faults);
    expect((await create(sandbox, "apimart")).status).toBe(429);
    expect((await create(sandbox, "apimart")).status).toBe(200);
    sandbox.setFaults(faults);
    expect((await create(sandbox, "apimart")).status).toBe(429);
    sandbox.setFaults([]);
    expect((await create(sandbox, "apimart")).status).toBe(200);
  });

  it("the first matching fault with hits left wins; other targets are left alone", async () => {
    const sandbox = await open();
    const id = await createId(sandbox, "apimart");
    sandbox.setFaults([
      { kind: "rate-limit", target: "query" },
      { kind: "server-error", target: "any", status: 502 },
      { kind: "server-error", target: "query", status: 503 },
    ]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await query(sandbox, "apimart", id)).status);
    expect(statuses).toEqual([429, 502, 503, 200]);
  });

  it("a dialect filter skips other dialects but still hits the shared /files downloads", async () => {
    const sandbox = await open();
    const { file, content } = await finishedVideo(sandbox);
    sandbox.setFaults([{ kind: "server-error", target: "any", dialect: "apimart", times: Infinity }]);
    expect((await create(sandbox, "xcompute")).status).toBe(200);
    expect((await request(content)).status).toBe(200);
    expect((await create(sandbox, "apimart")).status).toBe(500);
    expect((await request(file)).status).toBe(500);
  });

  it("unrouted requests and wrong methods are never faulted", async () => {
    const sandbox = await open([{ kind: "server-error", target: "any", times: Infinity }]);
    expect((await request(`${sandbox.url}/apimart/v1/nowhere`)).status).toBe(404);
    expect((await request(`${sandbox.url}${CREATE.apimart}`)).status).toBe(405);
    expect(sandbox.requests.every((entry) => entry.fault === undefined)).toBe(true);
  });
});
