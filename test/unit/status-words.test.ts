import { describe, expect, it } from "vitest";
import type { TaskStatus } from "../../src/util/task-status.js";
import { apimart } from "../../src/providers/apimart.js";
import { apimartStatusTable } from "../../src/providers/apimart-family.js";
import { duoyuanx, duoyuanxStatusTable } from "../../src/providers/duoyuanx.js";
import { jimmyai, jimmyaiStatusTable } from "../../src/providers/jimmyai.js";
import { mapStatus, parseProgress, type StatusTable, toIsoTime } from "../../src/providers/parse-helpers.js";
import { xcompute } from "../../src/providers/xcompute.js";
import { NOW } from "./support.js";

type Row = readonly [word: string, expected: TaskStatus];

/** providers.md §0 (apimart / xcompute column), §4, §5, and §3's apimartvideo channel synonyms. */
const apimartWords: readonly Row[] = [
  ["submitted", "queued"],
  ["pending", "queued"],
  ["queued", "queued"],
  ["processing", "running"],
  ["in_progress", "running"],
  ["running", "running"],
  ["completed", "succeeded"],
  ["success", "succeeded"],
  ["succeeded", "succeeded"],
  ["failed", "failed"],
  ["failure", "failed"],
  ["error", "failed"],
  ["cancelled", "cancelled"],
];

/** providers.md §0 (jimmyai column) and §1. */
const jimmyaiWords: readonly Row[] = [
  ["queued", "queued"],
  ["pending", "queued"],
  ["submitted", "queued"],
  ["processing", "running"],
  ["completed", "succeeded"],
  ["failed", "failed"],
];

/** providers.md §0 (duoyuanx / new-api column) and §2 (docs plus stock new-api's words). */
const duoyuanxWords: readonly Row[] = [
  ["queued", "queued"],
  ["unknown", "queued"],
  ["processing", "running"],
  ["in_progress", "running"],
  ["completed", "succeeded"],
  ["failed", "failed"],
  ["cancelled", "cancelled"],
];

const tables: ReadonlyArray<{ name: string; table: StatusTable; rows: readonly Row[] }> = [
  { name: "apimartStatusTable", table: apimartStatusTable, rows: apimartWords },
  { name: "jimmyaiStatusTable", table: jimmyaiStatusTable, rows: jimmyaiWords },
  { name: "duoyuanxStatusTable", table: duoyuanxStatusTable, rows: duoyuanxWords },
];

describe.each(tables)("$name", ({ table, rows }) => {
  it.each(rows)("%s -> %s, without a warning", (word, expected) => {
    expect(mapStatus(word, table)).toStrictEqual({ status: expected });
  });

  it.each(rows)("%s compares case-insensitively (upper case and padded)", (word, expected) => {
    expect(mapStatus(word.toUpperCase(), table).status).toBe(expected);
    expect(mapStatus(` ${word[0]?.toUpperCase()}${word.slice(1)} `, table).status).toBe(expected);
  });

  it("maps COMPLETED to succeeded", () => {
    expect(mapStatus("COMPLETED", table)).toStrictEqual({ status: "succeeded" });
  });

  it.each(["weird_new_state", "rendering", "", "DONE-ISH"])(
    "unknown word %j -> running plus a warning",
    (word) => {
      const mapped = mapStatus(word, table);
      expect(mapped.status).toBe("running");
      expect(mapped.warning).toContain("unknown status");
    },
  );

  it("maps a missing word to running plus a warning", () => {
    const mapped = mapStatus(undefined, table);
    expect(mapped.status).toBe("running");
    expect(mapped.warning).toBe(`unknown status "" from provider; treating it as running`);
  });

  it("maps only known words to normalized statuses", () => {
    const allowed: readonly string[] = ["queued", "running", "succeeded", "failed", "cancelled", "expired"];
    for (const [word, status] of Object.entries(table)) {
      expect(word).toBe(word.toLowerCase());
      expect(allowed).toContain(status);
    }
  });
});

// Object.prototype's names are not status words: a plain-object lookup must not find them.
describe("inherited property names are unknown words", () => {
  it.each(tables)("$name: constructor and __proto__ -> running plus a warning", ({ table }) => {
    const wrong = ["constructor", "__proto__"]
      .map((word) => ({ word, mapped: mapStatus(word, table) }))
      .filter(({ mapped }) => mapped.status !== "running" || mapped.warning === undefined)
      .map(({ word, mapped }) => `${word} -> ${String(mapped.status)}`);
    expect(wrong).toEqual([]);
  });
});

/**
 * providers.md §3: the new-api family (which duoyuanx is) also uses these words: the sora adaptor's
 * upstream list, the xai-video channel's list, and TaskDto's upper-case enum. design.md asks for
 * "every synonym in shared/providers.md"; the apimart table already carries §3's apimartvideo words.
 */
describe("duoyuanxStatusTable and the new-api synonyms of providers.md §3", () => {
  /** Words mapped differently from what §3 says, as "word -> got (want)"; `want` may list options. */
  function mismatches(rows: ReadonlyArray<readonly [string, TaskStatus | readonly TaskStatus[]]>): string[] {
    return rows.flatMap(([word, want]) => {
      const wanted: readonly TaskStatus[] = typeof want === "string" ? [want] : want;
      const got = mapStatus(word, duoyuanxStatusTable);
      return wanted.includes(got.status) && got.warning === undefined
        ? []
        : [`${word} -> ${got.status} (want ${wanted.join(" or ")})`];
    });
  }

  it("maps the terminal synonyms (an unmapped one polls a finished job until timeout)", () => {
    expect(
      mismatches([
        ["complete", "succeeded"],
        ["success", "succeeded"],
        ["SUCCESS", "succeeded"],
        ["finished", "succeeded"],
        ["done", "succeeded"],
        ["failure", "failed"],
        ["FAILURE", "failed"],
        ["fail", "failed"],
        ["error", "failed"],
        ["canceled", "cancelled"],
        ["expired", ["failed", "expired"]],
      ]),
    ).toEqual([]);
  });

  it("maps the waiting synonyms without a warning", () => {
    expect(
      mismatches([
        ["not_start", "queued"],
        ["NOT_START", "queued"],
        ["preparing", "queued"],
        ["notstarted", "queued"],
        ["created", "queued"],
        ["starting", "queued"],
        ["pending", "queued"],
        ["submitted", "queued"],
        ["generating", "running"],
        ["running", "running"],
        ["IN_PROGRESS", "running"],
        ["UNKNOWN", "queued"],
      ]),
    ).toEqual([]);
  });
});

describe("status words through each provider's query parser", () => {
  const url = "https://cdn.example.com/v.mp4";
  const bodies = {
    apimart: (status: string) => ({
      code: 200,
      data: { id: "t", status, result: { videos: [{ url: [url] }] } },
    }),
    xcompute: (status: string) => ({ id: "t", status, result: { videos: [{ url }] } }),
    jimmyai: (status: string) => ({
      code: "20000",
      msg: "ok",
      data: { task_id: "t", status, result: { video_url: url } },
    }),
    duoyuanx: (status: string) => ({ id: "t", status, video_url: url }),
  };
  const providers = [
    { provider: apimart, body: bodies.apimart, rows: apimartWords },
    { provider: xcompute, body: bodies.xcompute, rows: apimartWords },
    { provider: jimmyai, body: bodies.jimmyai, rows: jimmyaiWords },
    { provider: duoyuanx, body: bodies.duoyuanx, rows: duoyuanxWords },
  ];

  describe.each(providers)("$provider.id", ({ provider, body, rows }) => {
    it.each(rows)("%s -> %s", (word, expected) => {
      const parsed = provider.parseQuery(body(word), "t", NOW);
      expect(parsed.task.status).toBe(expected);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.task.videoUrl).toBe(expected === "succeeded" ? url : null);
    });

    it("COMPLETED (upper case) -> succeeded", () => {
      expect(provider.parseQuery(body("COMPLETED"), "t", NOW).task.status).toBe("succeeded");
    });

    it("an unknown word -> running plus a warning, never succeeded, even with a URL", () => {
      const parsed = provider.parseQuery(body("almost_there"), "t", NOW);
      expect(parsed.task.status).toBe("running");
      expect(parsed.task.videoUrl).toBeNull();
      expect(parsed.warnings).toHaveLength(1);
      expect(parsed.warnings[0]).toContain("almost_there");
    });

    it("a failed task carries an error object", () => {
      const parsed = provider.parseQuery(body("failed"), "t", NOW);
      expect(parsed.task.error).not.toBeNull();
    });
  });
});

describe("parseProgress", () => {
  it.each([
    [45, 45],
    ["45%", 45],
    [" 45 % ", 45],
    ["45", 45],
    [45.6, 46],
    ["12.4%", 12],
    [-3, 0],
    [250, 100],
    ["abc", null],
    [undefined, null],
    [null, null],
    [Number.NaN, null],
  ])("%j -> %j", (input, expected) => {
    expect(parseProgress(input)).toBe(expected);
  });
});

describe("toIsoTime", () => {
  it.each([
    [1735689600, "2025-01-01T00:00:00.000Z"],
    [1735689600000, "2025-01-01T00:00:00.000Z"],
    ["1735689600", "2025-01-01T00:00:00.000Z"],
    ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00.000Z"],
    [0, null],
    ["", null],
    ["not a date", null],
    [undefined, null],
  ])("%j -> %j", (input, expected) => {
    expect(toIsoTime(input)).toBe(expected);
  });
});
