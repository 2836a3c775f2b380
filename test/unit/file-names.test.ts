import { describe, expect, it } from "vitest";
import {
  assertNameFits,
  MAX_NAME_BYTES,
  renderFileName,
  sanitizeSegment,
} from "../../src/core/download/output-path.js";
import { UsageError } from "../../src/util/errors.js";

const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((s) => s.segment);

describe("file names are budgeted in UTF-8 bytes", () => {
  it("a long non-ASCII id fits 255 bytes with .part.json appended and keeps .mp4", () => {
    const id = "動画の記録".repeat(60);
    const name = renderFileName("{provider}-{id}.mp4", { provider: "apimart", id, date: new Date(0) });
    expect(Buffer.byteLength(`${name}.part.json`)).toBeLessThanOrEqual(255);
    expect(name).toMatch(/^apimart-動画の記録/);
    expect(name.endsWith(".mp4")).toBe(true);
  });

  it("never cuts inside a character or an emoji sequence", () => {
    const family = "👨‍👩‍👧‍👦";
    const name = sanitizeSegment(`${family.repeat(40)}.mp4`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    const stem = name.slice(0, -".mp4".length);
    expect(graphemes(stem).every((g) => g === family)).toBe(true);
    expect(stem.length).toBeGreaterThan(0);
  });

  it("leaves a name within the budget alone", () => {
    const name = `${"é".repeat(120)}.mp4`;
    expect(sanitizeSegment(name)).toBe(name);
  });
});

describe("an explicit -o name", () => {
  it("too long for the file system (with grokvid's suffixes) is a usage error naming the limit", () => {
    expect(() => assertNameFits(`/tmp/${"視".repeat(90)}.mp4`)).toThrow(UsageError);
    expect(() => assertNameFits(`/tmp/${"視".repeat(90)}.mp4`)).toThrow(/at most 245 bytes/);
  });

  it("within the budget passes, whatever the folder's length", () => {
    expect(() => assertNameFits(`/${"d".repeat(300)}/${"x".repeat(241)}.mp4`)).not.toThrow();
  });
});
