import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TEMPLATE,
  defaultOutputPath,
  renderFileName,
  sanitizeSegment,
} from "../../src/core/download/output-path.js";
import { isTerminal, taskStatuses } from "../../src/util/task-status.js";
import { nextDelay } from "../../src/core/jobs/poll.js";
import { formatMs } from "../../src/util/format.js";
import { findModel, getProvider, providers } from "../../src/providers/registry.js";
import { providerIds } from "../../src/providers/types.js";
import { maskKey, redact, registerSecret } from "../../src/util/redact.js";
import { resolveColorLevel } from "../../src/ui/color.js";
import { parseDuration } from "../../src/util/duration.js";

const DATE = new Date("2026-03-04T23:59:59.000Z");

describe("sanitizeSegment", () => {
  it.each([
    ["apimart-task_01.mp4", "apimart-task_01.mp4"],
    ['a<b>c:d"e/f\\g|h?i*j.mp4', "a_b_c_d_e_f_g_h_i_j.mp4"],
    ["tab\there\nnewline\u0001.mp4", "tab_here_newline_.mp4"],
    ["../../etc/passwd", "_.._etc_passwd"],
    ["..", "_"],
    ["  .hidden.mp4. ", "hidden.mp4"],
    ["", "_"],
    ["CON", "_CON"],
    ["nul.mp4", "_nul.mp4"],
    ["com1", "_com1"],
    ["LPT9.txt", "_LPT9.txt"],
    ["console.mp4", "console.mp4"],
  ])("%j -> %j", (input, expected) => {
    expect(sanitizeSegment(input)).toBe(expected);
  });

  it("never returns a path separator or climbs out of its folder", () => {
    for (const input of ["a/b", "a\\b", "../x", "/abs", "C:\\x"]) {
      const out = sanitizeSegment(input);
      expect(out).not.toMatch(/[/\\:]/);
      expect(out.startsWith(".")).toBe(false);
    }
  });

  it("caps a long name at 245 bytes, so the longest suffix (.part.json) still fits 255", () => {
    expect(sanitizeSegment("x".repeat(500))).toHaveLength(245);
  });
});

describe("renderFileName", () => {
  const fields = { provider: "apimart", id: "task_01JNXXXX", date: DATE };

  it("fills the default template", () => {
    expect(DEFAULT_TEMPLATE).toBe("{provider}-{id}.mp4");
    expect(renderFileName(DEFAULT_TEMPLATE, fields)).toBe("apimart-task_01JNXXXX.mp4");
  });

  it("fills {date} as the UTC day and keeps unknown placeholders literally", () => {
    expect(renderFileName("{date}_{id}_{prompt}.mp4", fields)).toBe("2026-03-04_task_01JNXXXX_{prompt}.mp4");
  });

  it("sanitizes a hostile id", () => {
    expect(renderFileName(DEFAULT_TEMPLATE, { ...fields, id: "../../x:y*z" })).toBe(
      "apimart-.._.._x_y_z.mp4",
    );
  });

  it("keeps the .mp4 extension when a long id is truncated", () => {
    const name = renderFileName(DEFAULT_TEMPLATE, { ...fields, id: "x".repeat(300) });
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(245);
    expect(name).toMatch(/\.mp4$/);
  });
});

describe("defaultOutputPath", () => {
  it("joins the folder and the rendered name", () => {
    expect(
      defaultOutputPath("videos", "{provider}/{id}.mp4", { provider: "jimmyai", id: "t1", date: DATE }),
    ).toBe(join("videos", "jimmyai_t1.mp4"));
  });
});

describe("nextDelay", () => {
  const mid = () => 0.5;

  it("uses the interval while things change, then backs off by 1.25x up to 3x", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => nextDelay(4000, n, undefined, mid))).toEqual([
      4000, 5000, 6250, 7813, 9766, 12000, 12000, 12000,
    ]);
  });

  it("jitters by at most ±10 %", () => {
    expect(nextDelay(5000, 0, undefined, () => 0)).toBe(4500);
    expect(nextDelay(5000, 0, undefined, () => 1)).toBe(5500);
  });

  it("honours a server hint that asks for slower polling (up to 60 s), never a faster one, without jitter", () => {
    expect(nextDelay(5000, 4, 8000, () => 0)).toBe(8000);
    expect(nextDelay(5000, 0, 10, () => 1)).toBe(5000);
    expect(nextDelay(5000, 0, 120_000, () => 1)).toBe(60_000);
  });
});

describe("formatMs", () => {
  it.each([
    [0, "0s"],
    [250, "250ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1499, "1s"],
    [59_000, "59s"],
    [60_000, "1m"],
    [90_000, "1m30s"],
    [1_800_000, "30m"],
    [3_600_000, "1h"],
    [5_400_000, "1h30m"],
    [7_200_000, "2h"],
  ])("%i -> %s", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it("round-trips through parseDuration for whole units", () => {
    for (const text of ["250ms", "5s", "30m", "1h"]) expect(formatMs(parseDuration(text) ?? -1)).toBe(text);
  });
});

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["5", 5000],
    [" 10 S ", 10_000],
    ["0", 0],
    [5, 5000],
    [0.25, 250],
  ] as const)("%j -> %i ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["", "soon", "5d", "-1s", "1e3", "5 s x", -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "%j -> undefined",
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});

describe("resolveColorLevel", () => {
  it.each([
    ["a TTY", {}, true, true, 1],
    ["a pipe", {}, false, true, 0],
    ["--no-color on a TTY", {}, true, false, 0],
    ["--no-color beats FORCE_COLOR", { FORCE_COLOR: "3" }, true, false, 0],
    ["NO_COLOR=1 on a TTY", { NO_COLOR: "1" }, true, true, 0],
    ["NO_COLOR empty is ignored", { NO_COLOR: "" }, true, true, 1],
    ["FORCE_COLOR=1 on a pipe", { FORCE_COLOR: "1" }, false, true, 1],
    ["FORCE_COLOR empty on a pipe", { FORCE_COLOR: "" }, false, true, 1],
    ["FORCE_COLOR=true on a pipe", { FORCE_COLOR: "true" }, false, true, 1],
    ["FORCE_COLOR=2", { FORCE_COLOR: "2" }, false, true, 2],
    ["FORCE_COLOR=3", { FORCE_COLOR: "3" }, false, true, 3],
    ["FORCE_COLOR=0 on a TTY", { FORCE_COLOR: "0" }, true, true, 0],
    ["FORCE_COLOR=false on a TTY", { FORCE_COLOR: "FALSE" }, true, true, 0],
  ] as const)("%s -> %i", (_name, env, isTTY, colorFlag, level) => {
    expect(resolveColorLevel(env, isTTY, colorFlag)).toBe(level);
  });
});

describe("redact and maskKey", () => {
  it("replaces every registered secret in any text", () => {
    const key = "sk-misc-test-4f3e2d1c0b";
    registerSecret(key);
    expect(redact(`Bearer ${key} and again ${key}.`)).toBe("Bearer *** and again ***.");
  });

  it("ignores values too short to be keys", () => {
    registerSecret("abc");
    registerSecret("");
    registerSecret(undefined);
    expect(redact("abc abcdef")).toBe("abc abcdef");
  });

  it("masks a key to its first 3 and last 2 characters, and a short one entirely", () => {
    expect(maskKey("sk-abcdefghijklmnop")).toBe("sk-***op");
    expect(maskKey("12345678")).toBe("***");
    expect(maskKey("")).toBe("***");
  });
});

describe("registry", () => {
  it("holds one provider per id, each with its default model", () => {
    expect(Object.keys(providers).sort()).toEqual([...providerIds].sort());
    for (const id of providerIds) {
      const provider = getProvider(id);
      expect(provider.id).toBe(id);
      expect(findModel(provider, provider.defaultModel)?.id).toBe(provider.defaultModel);
      expect(provider.defaultBaseUrl).toMatch(/^https:\/\//);
    }
  });

  it("finds models case-insensitively and through aliases", () => {
    expect(findModel(providers.duoyuanx, "GROK-VIDEO-1.5-MAX")?.id).toBe("grok-video-1.5-max");
    expect(findModel(providers.jimmyai, "grok_1_5")?.id).toBe("grok-imagine-video-1.5");
    expect(findModel(providers.apimart, "grok-imagine-1.0-video-apimart")).toBeUndefined();
  });
});

describe("task statuses", () => {
  it("treats succeeded, failed, cancelled and expired as terminal", () => {
    expect(taskStatuses.filter(isTerminal)).toEqual(["succeeded", "failed", "cancelled", "expired"]);
  });
});
