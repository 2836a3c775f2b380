import { describe, expect, it } from "vitest";
import { resolvePoll } from "../../src/config/resolve.js";
import { cancelledTask } from "../../src/core/jobs/cancel.js";
import { buildUrl } from "../../src/http/encode.js";
import { fal } from "../../src/providers/fal.js";
import { providers } from "../../src/providers/registry.js";
import { replicate } from "../../src/providers/replicate.js";
import { withCancelAfter } from "../../src/providers/replicate-spec.js";
import { ApiError, UsageError } from "../../src/util/errors.js";
import { NOW, thrownAs } from "./support.js";

/** The pure side of issue 22: the platforms' cancel answers, Replicate's `aborted`, and the settings. */

describe("fal's cancel answer (providers.md §10a Cancel)", () => {
  const parse = (status: number, body: unknown) => fal.parseCancel?.(status, body);

  it.each([
    [202, { status: "CANCELLATION_REQUESTED" }, "requested"],
    [400, { status: "ALREADY_COMPLETED" }, "already-finished"],
    [404, { status: "NOT_FOUND" }, "not-found"],
    // Whitespace and case do not change fal's word.
    [202, { status: " cancellation_requested " }, "requested"],
    // An empty 202 is still the documented success; an empty 404 still not found.
    [202, undefined, "requested"],
    [404, { detail: "Not Found" }, "not-found"],
  ])("HTTP %i %j is %s", (status, body, outcome) => {
    expect(parse(status, body)).toBe(outcome);
  });

  it.each([
    [200, {}],
    [400, {}],
    [400, { detail: "Request is still in progress" }],
    [200, { status: "IN_PROGRESS" }],
    [500, "Internal Server Error"],
  ])("HTTP %i %j cannot be read as a cancel outcome", (status, body) => {
    expect(parse(status, body)).toBeUndefined();
  });

  it("Replicate has no separate cancel parser: its answer is the prediction itself", () => {
    expect(replicate.parseCancel).toBeUndefined();
    expect(replicate.buildCancel?.({ id: "p/1" })).toEqual({
      method: "POST",
      path: "/v1/predictions/p%2F1/cancel",
    });
  });
});

describe("Replicate's canceled and aborted (providers.md §10b Statuses)", () => {
  const prediction = (status: string, extra: Record<string, unknown> = {}) => ({
    id: "p1",
    model: "xai/grok-imagine-video",
    status,
    input: { prompt: "x", duration: 5 },
    output: null,
    error: null,
    created_at: "2026-01-01T00:00:00Z",
    completed_at: "2026-01-01T00:01:00Z",
    ...extra,
  });

  it("aborted (Cancel-After passed before it started) is cancelled, coded aborted, and said to be unbilled", () => {
    const { task } = replicate.parseQuery(prediction("aborted"), "p1", NOW);
    expect(task.status).toBe("cancelled");
    expect(task.error).toEqual({
      code: "aborted",
      message: "the Cancel-After deadline passed before the prediction started; not billed",
    });
    expect(task.cost).toBeUndefined();
  });

  it("canceled is cancelled, and not said to be unbilled (it may have run)", () => {
    const { task } = replicate.parseQuery(prediction("canceled"), "p1", NOW);
    expect(task.status).toBe("cancelled");
    expect(task.error?.code).not.toBe("aborted");
    expect(task.error?.message ?? "").not.toContain("not billed");
  });

  it("an aborted prediction's own error text wins, but the code still says aborted", () => {
    const { task } = replicate.parseQuery(prediction("ABORTED", { error: "deadline exceeded" }), "p1", NOW);
    expect(task.status).toBe("cancelled");
    expect(task.error).toEqual({ code: "aborted", message: "deadline exceeded" });
  });

  it("a succeeded prediction gets a list-price estimate; a cancelled one none", () => {
    const done = replicate.parseQuery(
      prediction("succeeded", {
        output: "https://replicate.delivery/v.mp4",
        input: { duration: 5, resolution: "720p" },
      }),
      "p1",
      NOW,
    ).task;
    expect(done.cost).toEqual({ usd: 0.35, estimate: true });
    expect(replicate.parseQuery(prediction("canceled"), "p1", NOW).task.cost).toBeUndefined();
  });
});

describe("the task journaled for a cancel that was taken", () => {
  it("is cancelled whatever the platform still said, with a cancelled error where it gave none", () => {
    const running = replicate.parseQuery({ id: "p1", status: "processing" }, "p1", NOW).task;
    const task = cancelledTask(
      "p1",
      "replicate",
      undefined,
      running,
      NOW,
      "cancelled on request (grokvid cancel)",
    );
    expect(task.status).toBe("cancelled");
    expect(task.error).toEqual({ code: "cancelled", message: "cancelled on request (grokvid cancel)" });
  });

  it("without an answer (fal), it is built from the journal's record of the job", () => {
    const task = cancelledTask(
      "f1",
      "fal",
      undefined,
      undefined,
      NOW,
      "cancelled on request (grokvid cancel)",
    );
    expect(task).toMatchObject({
      id: "f1",
      provider: "fal",
      status: "cancelled",
      videoUrl: null,
      updatedAt: NOW.toISOString(),
    });
  });
});

describe("resolvePoll: --cancel-on-timeout and poll.cancelOnTimeout", () => {
  const on = { poll: { cancelOnTimeout: true } };

  it.each([
    ["fal", {}, {}, false],
    ["fal", { cancelOnTimeout: true }, {}, true],
    ["fal", {}, on, true],
    ["fal", { cancelOnTimeout: false }, on, false],
    ["replicate", { cancelOnTimeout: true }, {}, true],
    // The config's default does not apply where the platform cannot cancel; no error either.
    ["openrouter", {}, on, false],
    ["aimlapi", {}, on, false],
    ["xai", {}, on, false],
    ["openrouter", { cancelOnTimeout: false }, on, false],
  ] as const)("%s with flags %j and config %j: %s", (name, flags, config, expected) => {
    expect(resolvePoll(flags, config, name, providers[name]).cancelOnTimeout).toBe(expected);
  });

  it.each(["openrouter", "aimlapi", "xai", "apimart"] as const)(
    "%s: the flag is refused (a usage error naming the option), whatever the config says",
    (name) => {
      for (const config of [{}, on]) {
        const err = thrownAs(UsageError, () =>
          resolvePoll({ cancelOnTimeout: true }, config, name, providers[name]),
        );
        expect(err.option).toBe("cancelOnTimeout");
        expect(err.message).toBe(
          `${name} has no way to cancel a job, so --cancel-on-timeout cannot be kept; nothing was sent`,
        );
      }
    },
  );
});

describe("Replicate's Cancel-After from the wait's deadline", () => {
  const create = { method: "POST", path: "/v1/models/xai/grok-imagine-video/predictions" } as const;
  const after = (ms: number) => replicate.withDeadline?.(create, ms).headers?.["Cancel-After"];

  it.each([
    [1000, "31s"],
    [1001, "32s"],
    [60_000, "90s"],
    [1_800_000, "1830s"],
    [0, "30s"],
  ])("a %i ms timeout sends %s", (ms, header) => {
    expect(after(ms)).toBe(header);
  });

  it("keeps the create's own headers and body", () => {
    const spec = replicate.withDeadline?.(
      { ...create, headers: { Prefer: "wait" }, body: { kind: "json", value: {} } },
      1000,
    );
    expect(spec).toEqual({
      ...create,
      headers: { Prefer: "wait", "Cancel-After": "31s" },
      body: { kind: "json", value: {} },
    });
  });

  it.each(["10", "ten minutes", "10m; x", "-5s", "1e3s"])("withCancelAfter refuses %j", (text) => {
    expect(() => withCancelAfter(create, text)).toThrow(UsageError);
  });

  it("only Replicate has a deadline to send", () => {
    for (const name of ["fal", "openrouter", "aimlapi", "xai", "apimart"] as const)
      expect(providers[name].withDeadline).toBeUndefined();
  });
});

describe("returned URLs (fal's cancel_url) stay on the gateway's origin", () => {
  const base = "https://queue.fal.run";
  const at = (url: string) => buildUrl(base, { path: "/unused", url });

  it("the same origin is used exactly as returned", () => {
    expect(at("https://queue.fal.run/xai/grok-imagine-video/requests/r1/cancel?a=b")).toBe(
      "https://queue.fal.run/xai/grok-imagine-video/requests/r1/cancel?a=b",
    );
  });

  it.each([
    ["https://evil.example/xai/requests/r1/cancel", "https://evil.example"],
    ["http://queue.fal.run/r1/cancel", "http://queue.fal.run"],
    ["https://queue.fal.run:8443/r1/cancel", "https://queue.fal.run:8443"],
    ["https://queue.fal.run.evil.example/r1", "https://queue.fal.run.evil.example"],
    ["//evil.example/r1", "an address that is not a URL"],
    ["/xai/requests/r1/cancel", "an address that is not a URL"],
    ["javascript:alert(1)", "null"],
  ])("%s is refused, naming %s and never the path", (url, where) => {
    const err = thrownAs(ApiError, () => at(url));
    expect(err.message).toBe(
      `the gateway at ${base} returned a task URL on ${where}; refusing to send the key there`,
    );
  });
});
