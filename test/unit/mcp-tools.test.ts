import { mkdir, mkdtemp, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argumentSchemas, readArguments } from "../../src/mcp/args.js";
import { Budget } from "../../src/mcp/budget.js";
import { downloadTarget } from "../../src/mcp/out-dir.js";
import { toolDefinitions } from "../../src/mcp/tools.js";
import type { CostEstimate } from "../../src/index.js";
import { UsageError } from "../../src/util/errors.js";
import { thrown } from "./support.js";

const schemas = argumentSchemas(50);
const tools = toolDefinitions({ maxWaitSeconds: 50, providers: ["xai", "fal"], readsFiles: true });

describe("the tools' JSON Schemas and the zod schemas that read their arguments", () => {
  it.each(tools.map((t) => [t.name, t] as const))(
    "%s: the same fields, the same required ones",
    (name, tool) => {
      const shape = schemas[name].shape;
      expect(Object.keys(tool.inputSchema.properties).sort()).toEqual(Object.keys(shape).sort());
      const required = Object.entries(shape)
        .filter(([, field]) => !field.safeParse(undefined).success)
        .map(([key]) => key);
      expect(tool.inputSchema.required ?? []).toEqual(required);
    },
  );

  it("each description is one line an agent can act on", () => {
    for (const tool of tools) {
      expect(tool.description).toMatch(/^[A-Z][^\n]{20,200}[.;]?$/);
      expect(Object.keys(tool.annotations).length).toBeGreaterThan(0);
    }
  });

  it("reads what an agent sends, typed", () => {
    expect(readArguments(schemas, "create_video", { prompt: "p", duration: 6, image: "a.png" })).toEqual({
      prompt: "p",
      duration: 6,
      image: "a.png",
    });
    expect(readArguments(schemas, "list_providers", undefined)).toEqual({});
    const err = thrown(() => readArguments(schemas, "create_video", []));
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toContain("the arguments of create_video must be an object of named fields");
  });
});

const priced = (usd: number | null): CostEstimate => ({
  provider: "fal",
  model: "m",
  usd,
  seconds: null,
  resolution: null,
  basis: "b",
});

describe("Budget", () => {
  it("counts a job from its reservation, gives it back when nothing was sent", () => {
    const budget = new Budget({ maxJobs: 1, maxUsd: 1 });
    const place = budget.reserve(priced(0.6));
    expect(budget.state()).toEqual({ jobs: { created: 1, limit: 1 }, usd: { counted: 0.6, limit: 1 } });
    // A second call at the same moment finds the place taken.
    expect(() => budget.reserve(priced(0.1))).toThrow(/--max-jobs 1/);
    place.release();
    expect(budget.state().jobs.created).toBe(0);
    budget.reserve(priced(0.6)).keep("job-1");
    // Kept: a release after it changes nothing.
    expect(budget.state().usd.counted).toBe(0.6);
  });

  it("adds in whole micro-dollars, and takes a reported cost above the estimate", () => {
    const budget = new Budget({ maxJobs: null, maxUsd: 0.3 });
    budget.reserve(priced(0.1)).keep("a");
    budget.reserve(priced(0.2)).keep("b");
    expect(budget.state().usd.counted).toBe(0.3);
    expect(budget.refusal(priced(0))).toBeUndefined();
    budget.reported("a", 0.05);
    expect(budget.state().usd.counted).toBe(0.3);
    budget.reported("a", 0.15);
    expect(budget.state().usd.counted).toBe(0.35);
    budget.reported("not-ours", 9);
    expect(budget.state().usd.counted).toBe(0.35);
  });

  it("refuses an unknown price only while a dollar limit is set", () => {
    expect(new Budget({ maxJobs: null, maxUsd: 5 }).refusal(priced(null))).toContain(
      "not known before it runs",
    );
    expect(new Budget({ maxJobs: null, maxUsd: null }).refusal(priced(null))).toBeUndefined();
  });
});

describe("downloadTarget", () => {
  let root = "";
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), "grokvid-outdir-")));
    await mkdir(join(root, "out", "sub"), { recursive: true });
    await symlink(tmpdir(), join(root, "out", "away"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const out = () => join(root, "out");

  it("names the folder for the default name, or a file or folder inside it", async () => {
    expect(await downloadTarget(out(), undefined)).toBe(`${out()}${sep}`);
    expect(await downloadTarget(out(), ".")).toBe(`${out()}${sep}`);
    expect(await downloadTarget(out(), "sub/")).toBe(`${join(out(), "sub")}${sep}`);
    expect(await downloadTarget(out(), "sub/new/a.mp4")).toBe(join(out(), "sub", "new", "a.mp4"));
    expect(await downloadTarget(out(), join(out(), "a.mp4"))).toBe(join(out(), "a.mp4"));
  });

  it.each([["../a.mp4"], ["/etc/a.mp4"], ["away/a.mp4"], ["sub/../../a.mp4"]])("refuses %s", async (path) => {
    await expect(downloadTarget(out(), path)).rejects.toThrow(UsageError);
  });
});
