import { describe, expect, it } from "vitest";
import { ApiError, ExitCode } from "../../src/util/errors.js";
import { buildUrl, describeRequest, encodeBody } from "../../src/http/encode.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { parseRetryAfter, RETRY_DEFAULTS, retryDelay, shouldRetry } from "../../src/http/retry-policy.js";
import type { RequestSpec } from "../../src/providers/types.js";
import { duoyuanxSingleImageBody } from "../fixtures/seed-examples.js";

describe("shouldRetry", () => {
  it.each([408, 425, 429, 500, 502, 503, 504, 599])("retries a status query on HTTP %i", (status) => {
    expect(shouldRetry({ kind: "status", status }, true)).toBe(true);
  });

  it.each([400, 401, 402, 403, 404, 409, 422])("never retries HTTP %i", (status) => {
    expect(shouldRetry({ kind: "status", status }, true)).toBe(false);
    expect(shouldRetry({ kind: "status", status }, false)).toBe(false);
  });

  it.each([408, 500, 502, 503, 504])(
    "never resends a paid create after HTTP %i (it may have arrived)",
    (status) => {
      expect(shouldRetry({ kind: "status", status }, false)).toBe(false);
    },
  );

  it("never resends a create refused with 429 (batch does that itself, slowing down)", () => {
    expect(shouldRetry({ kind: "status", status: 429 }, false)).toBe(false);
  });

  it("retries any network error of an idempotent request", () => {
    expect(shouldRetry({ kind: "network", code: "ECONNRESET" }, true)).toBe(true);
    expect(shouldRetry({ kind: "network", code: undefined }, true)).toBe(true);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"])(
    "resends a create after %s (it never left the machine)",
    (code) => {
      expect(shouldRetry({ kind: "network", code }, false)).toBe(true);
    },
  );

  it.each(["ECONNRESET", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_SOCKET", "ETIMEDOUT", undefined])(
    "does not resend a create after %s (it may have arrived)",
    (code) => {
      expect(shouldRetry({ kind: "network", code }, false)).toBe(false);
    },
  );
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter({ "retry-after-ms": "1500", "retry-after": "9" }, now)).toBe(1500);
  });

  it("reads retry-after in seconds", () => {
    expect(parseRetryAfter({ "retry-after": "2" }, now)).toBe(2000);
    expect(parseRetryAfter({ "retry-after": " 1.5 " }, now)).toBe(1500);
  });

  it("reads retry-after as an HTTP date, and a past date as 0", () => {
    expect(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfter({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, now)).toBe(0);
  });

  it("ignores absent, empty or unusable values", () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "-5" }, now)).toBeUndefined();
  });
});

describe("retryDelay", () => {
  it("uses a server hint within 60 s", () => {
    expect(retryDelay(0, 1234, () => 0.5)).toBe(1234);
    expect(retryDelay(5, 0, () => 0.5)).toBe(0);
    expect(retryDelay(0, RETRY_DEFAULTS.maxHintMs, () => 0.5)).toBe(60_000);
  });

  it("caps a hint over 60 s at 60 s, and falls back to backoff on a negative one", () => {
    expect(retryDelay(0, 600_000, () => 1)).toBe(60_000);
    expect(retryDelay(0, -1, () => 1)).toBe(500);
  });

  it("doubles from 500 ms and caps at 8 s, with full jitter", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => retryDelay(a, undefined, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(retryDelay(3, undefined, () => 0)).toBe(0);
    expect(retryDelay(3, undefined, () => 0.5)).toBe(2000);
  });
});

describe("mapHttpError", () => {
  const ctx = { provider: "apimart", keyVariable: "GROKVID_APIMART_API_KEY" };

  it.each([
    [401, ExitCode.auth],
    [403, ExitCode.auth],
    [402, ExitCode.quota],
    [400, ExitCode.provider],
    [404, ExitCode.provider],
    [409, ExitCode.provider],
    [422, ExitCode.provider],
    [429, ExitCode.provider],
    [500, ExitCode.provider],
    [502, ExitCode.provider],
    [503, ExitCode.provider],
  ])("HTTP %i -> exit %i", (status, exit) => {
    const err = mapHttpError(status, { message: "said so", code: "c" }, ctx);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.exitCode).toBe(exit);
    expect(err.status).toBe(status);
    expect(err.providerCode).toBe("c");
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain("apimart");
    expect(err.message).toContain("said so");
  });

  it("points an auth refusal at the key variable and config key", () => {
    const err = mapHttpError(401, undefined, ctx);
    expect(err.hint).toContain("GROKVID_APIMART_API_KEY");
    expect(err.hint).toContain("providers.apimart.apiKey");
  });

  it("tells the user to top up on 402", () => {
    expect(mapHttpError(402, undefined, ctx).hint).toMatch(/top up/);
  });

  it("reports a 404 on a task query as not found, naming the task", () => {
    const err = mapHttpError(404, undefined, { ...ctx, taskId: "task_1" });
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("task_1");
    expect(err.message).toMatch(/not found/);
  });

  it("reports a provider's not-found flag on any status as not found", () => {
    const err = mapHttpError(
      400,
      { message: "task_not_exist", notFound: true },
      { ...ctx, taskId: "task_2" },
    );
    expect(err.exitCode).toBe(6);
    expect(err.message).toMatch(/task task_2 was not found/);
  });

  it("reads well without provider details", () => {
    const err = mapHttpError(500, undefined, ctx);
    expect(err.message).toBe("apimart answered HTTP 500");
    expect(err.providerCode).toBeUndefined();
  });
});

describe("buildUrl", () => {
  it("joins the default base URL and the path", () => {
    expect(buildUrl("https://api.apimart.ai", { path: "/v1/tasks/t1" })).toBe(
      "https://api.apimart.ai/v1/tasks/t1",
    );
  });

  it("keeps a path prefix of the base URL, with or without a trailing slash", () => {
    expect(buildUrl("https://mirror.example.com/apimart", { path: "/v1/tasks/t1" })).toBe(
      "https://mirror.example.com/apimart/v1/tasks/t1",
    );
    expect(buildUrl("http://127.0.0.1:4000/gw/duoyuanx//", { path: "/v1/videos" })).toBe(
      "http://127.0.0.1:4000/gw/duoyuanx/v1/videos",
    );
  });

  it("adds query parameters, encoded", () => {
    expect(
      buildUrl("https://xcompute.us", { path: "/v1/tasks/t1", query: { language: "zh", q: "a b&c" } }),
    ).toBe("https://xcompute.us/v1/tasks/t1?language=zh&q=a+b%26c");
  });
});

describe("encodeBody", () => {
  it("encodes JSON", () => {
    const { contentType, payload } = encodeBody({ kind: "json", value: { seconds: "6", duration: 6 } });
    expect(contentType).toBe("application/json");
    expect(payload.toString()).toBe('{"seconds":"6","duration":6}');
  });

  it("encodes multipart with text fields and a file part", () => {
    const { contentType, payload } = encodeBody({
      kind: "multipart",
      fields: [
        { name: "prompt", value: "a cat" },
        {
          name: "input_reference",
          filename: 'my"cat.png',
          contentType: "image/png",
          data: new Uint8Array([1, 2]),
        },
      ],
    });
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    expect(contentType.startsWith("multipart/form-data; boundary=")).toBe(true);
    const text = payload.toString("latin1");
    expect(text).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\na cat\r\n`);
    expect(text).toContain(
      'name="input_reference"; filename="my_cat.png"\r\nContent-Type: image/png\r\n\r\n\x01\x02\r\n',
    );
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });
});

describe("describeRequest", () => {
  const key = "sk-live-0123456789abcdef";

  it("masks the key and abbreviates data URIs", () => {
    const longUri = `data:image/png;base64,${"A".repeat(4000)}`;
    const spec: RequestSpec = {
      method: "POST",
      path: "/v1/videos",
      body: { kind: "json", value: { ...duoyuanxSingleImageBody, image: longUri, images: [longUri] } },
    };
    const d = describeRequest("https://duoyuanx.com/", key, spec);
    expect(d.method).toBe("POST");
    expect(d.url).toBe("https://duoyuanx.com/v1/videos");
    expect(d.headers).toEqual({ Authorization: "Bearer sk-***ef", "Content-Type": "application/json" });
    expect(d.body).toMatchObject({
      image: `data:image/png;base64,${"A".repeat(24)}...(4000 base64 chars)`,
      images: [`data:image/png;base64,${"A".repeat(24)}...(4000 base64 chars)`],
      seconds: "6",
      resolution: "720P",
    });
    const printed = JSON.stringify(d);
    expect(printed).not.toContain(key);
    expect(printed).not.toContain("0123456789abcdef");
    expect(printed.length).toBeLessThan(1000);
  });

  it("leaves short data URIs and ordinary strings alone", () => {
    const spec: RequestSpec = {
      method: "POST",
      path: "/x",
      body: { kind: "json", value: duoyuanxSingleImageBody },
    };
    expect(describeRequest("https://duoyuanx.com", key, spec).body).toStrictEqual(duoyuanxSingleImageBody);
  });

  it("masks a short key completely", () => {
    expect(describeRequest("https://a.b", "short", { method: "GET", path: "/v1/tasks/t" }).headers).toEqual({
      Authorization: "Bearer ***",
    });
  });

  it("summarises multipart files by name, type and size", () => {
    const spec: RequestSpec = {
      method: "POST",
      path: "/v1/videos",
      body: {
        kind: "multipart",
        fields: [
          { name: "seconds", value: "10" },
          {
            name: "input_reference",
            filename: "cat.png",
            contentType: "image/png",
            data: new Uint8Array(1234),
          },
        ],
      },
    };
    const d = describeRequest("https://duoyuanx.com", key, spec);
    expect(d.headers["Content-Type"]).toBe("multipart/form-data");
    expect(d.body).toEqual({
      seconds: "10",
      input_reference: { file: "cat.png", type: "image/png", bytes: 1234 },
    });
  });

  it("describes a GET with a null body", () => {
    expect(
      describeRequest("https://api.apimart.ai", key, { method: "GET", path: "/v1/tasks/t" }).body,
    ).toBeNull();
  });
});
