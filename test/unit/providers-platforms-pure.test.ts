import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { aimlapi } from "../../src/providers/aimlapi.js";
import { fal } from "../../src/providers/fal.js";
import { openrouter } from "../../src/providers/openrouter.js";
import { replicate } from "../../src/providers/replicate.js";
import type { Provider, RequestSpec } from "../../src/providers/types.js";

/** design.md: "A provider module is pure" — issue 22's platform modules, checked as a set. */
const FILES = [
  "hosted-common",
  "fal-spec",
  "fal",
  "replicate-spec",
  "replicate",
  "openrouter-spec",
  "openrouter",
  "aimlapi-spec",
  "aimlapi",
];
const platforms: ReadonlyArray<[string, Provider]> = [
  ["fal", fal],
  ["replicate", replicate],
  ["openrouter", openrouter],
  ["aimlapi", aimlapi],
];

describe("the hosted platforms' modules do no I/O", () => {
  it.each(FILES)("src/providers/%s.ts imports nothing that reaches the network, disk or clock", (name) => {
    const text = readFileSync(new URL(`../../src/providers/${name}.ts`, import.meta.url), "utf8");
    expect(text).not.toMatch(/from "node:|\bfetch\(|undici|Date\.now\(|new Date\(\)|process\./);
  });

  it.each(platforms)("%s: every builder returns plain data at once (no promise), JSON-safe", (_name, p) => {
    const model = p.models.find((m) => m.id === p.defaultModel) ?? p.models[0];
    if (!model) throw new Error("no model");
    const specs: Array<RequestSpec | undefined> = [
      p.buildCreate({ prompt: "x", model: model.id, images: [] }, model),
      p.buildQuery("id-1"),
      p.buildPoll?.({ id: "id-1" }),
      p.buildResult?.({ id: "id-1" }),
      p.buildCancel?.({ id: "id-1" }),
      p.buildContent?.("id-1"),
      p.balance?.build(),
    ];
    for (const spec of specs.filter((s): s is RequestSpec => s !== undefined)) {
      expect(spec).not.toBeInstanceOf(Promise);
      expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
      expect(spec.path.startsWith("/")).toBe(true);
    }
  });
});
