import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchTask, submitTask } from "../../src/core/jobs/task-identity.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import { ApiError } from "../../src/util/errors.js";
import { type Sandbox, type SandboxDialect, parseFaultSpec, startSandbox } from "../../src/sandbox/server.js";
import { ManualClock } from "../helpers/clock.js";
import { gatewayFor, makeDeps, type TestDeps } from "../helpers/http-deps.js";

const KEY = "sk-hostile-test-key-0123456789";

let sandbox: Sandbox;
let deps: TestDeps;

beforeEach(async () => {
  const clock = new ManualClock();
  sandbox = await startSandbox({ now: clock.now, timeline: { queuedMs: 10_000, runningMs: 60_000 } });
  deps = await makeDeps(clock);
});
afterEach(async () => {
  await deps.close();
  await sandbox.close();
});

const DIALECTS: SandboxDialect[] = ["apimart", "xcompute", "jimmyai", "duoyuanx"];
const IMAGES: Record<SandboxDialect, string[]> = {
  apimart: [],
  xcompute: [],
  jimmyai: ["https://example.com/cup.jpg"],
  duoyuanx: [],
};

async function submitted(dialect: SandboxDialect) {
  const gateway = gatewayFor(dialect, sandbox.baseUrl(dialect), KEY);
  const { params, model } = validateCreate(gateway.provider, { prompt: "p", images: IMAGES[dialect] });
  const images = params.images.map((i) => (i.kind === "url" ? { kind: "url" as const, url: i.url } : null));
  const { task } = await submitTask(
    gateway,
    { ...params, images: images.filter((i) => i !== null) },
    model,
    deps,
  );
  return { gateway, id: task.id };
}

const keyForms = [
  KEY,
  Buffer.from(KEY).toString("base64"),
  Buffer.from(KEY).toString("base64url"),
  Buffer.from(`Bearer ${KEY}`).toString("base64"),
  Buffer.from(`:${KEY}`).toString("base64"),
];
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe.each(DIALECTS)("%s behind a hostile gateway", (dialect) => {
  it("echo-key: the failed task holds no form of the key, anywhere (raw included)", async () => {
    const { gateway, id } = await submitted(dialect);
    sandbox.setFaults([{ kind: "echo-key", target: "query" }]);
    const { task } = await fetchTask(gateway, id, deps);
    expect(task.status).toBe("failed");
    const text = JSON.stringify(task);
    for (const form of keyForms) expect(text).not.toContain(form);
    expect(task.error?.message).toContain("rejected key ***");
  });

  it("echo-key on the create: the refusal's message holds no form of the key", async () => {
    sandbox.setFaults([{ kind: "echo-key", target: "create" }]);
    const err = await submitted(dialect).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    for (const form of keyForms) expect((err as ApiError).message).not.toContain(form);
  });

  it("escape-message: no control character in the task, raw included", async () => {
    const { gateway, id } = await submitted(dialect);
    sandbox.setFaults([{ kind: "escape-message", target: "query" }]);
    const { task } = await fetchTask(gateway, id, deps);
    expect(task.status).toBe("failed");
    expect(JSON.stringify(task)).not.toMatch(ACTIVE);
    expect(JSON.stringify(task)).not.toMatch(/\\u00(1b|07|0d|0a)/i);
  });

  it("rekey: the answer is filed under the id asked about, with a warning", async () => {
    const { gateway, id } = await submitted(dialect);
    sandbox.setFaults([{ kind: "rekey", target: "query" }]);
    const { task, warnings } = await fetchTask(gateway, id, deps);
    expect(task.id).toBe(id);
    expect(warnings.join("\n")).toContain(`named task rekeyed_${id}; keeping ${id}`);
  });

  it("deep-json: an unparseable response (exit 6), not a stack overflow", async () => {
    const { gateway, id } = await submitted(dialect);
    // Every retry gets the same answer: the HTTP layer retries an unreadable answer to a status query.
    sandbox.setFaults([{ kind: "deep-json", target: "query", times: Infinity }]);
    const err = await fetchTask(gateway, id, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ exitCode: 6, message: expect.stringContaining("unparseable response") });
  });
});

describe("fault specs of the hostile kinds", () => {
  it("parse, and refuse a target they cannot apply to", () => {
    expect(parseFaultSpec("echo-key:query")).toEqual({ kind: "echo-key", target: "query" });
    expect(parseFaultSpec("deep-json:create:inf")).toEqual({
      kind: "deep-json",
      target: "create",
      times: Infinity,
    });
    expect(() => parseFaultSpec("rekey:create")).toThrow(/rekey applies only to query/);
    expect(() => parseFaultSpec("escape-message:download")).toThrow(/applies only to create, query/);
  });
});
