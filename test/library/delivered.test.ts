import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClient, type JobSpec } from "grokvid";
import type { AnySandboxDialect as SandboxDialect } from "../../src/sandbox/server.js";
import { ManualClock } from "../helpers/clock.js";
import { useE2e } from "../helpers/e2e.js";

/** Every dialect's sandbox delivers what was asked, and the library says so from the file's header. */
const e2e = useE2e();

function client(dialect: SandboxDialect) {
  return createClient({
    env: { ...e2e.envFor(dialect), GROKVID_HOME: join(e2e.dir, "home"), HOME: e2e.dir },
    cwd: e2e.dir,
    provider: dialect,
    clock: { ...new ManualClock(), random: Math.random },
  });
}

const cases: Array<{ dialect: SandboxDialect; spec: JobSpec; delivered: object }> = [
  {
    dialect: "apimart",
    spec: { prompt: "a", duration: 10, ratio: "9:16", resolution: "720p" },
    delivered: { width: 720, height: 1280, durationSec: 10 },
  },
  {
    dialect: "xcompute",
    spec: { prompt: "a", duration: 6, ratio: "1:1", resolution: "480p" },
    delivered: { width: 480, height: 480, durationSec: 6 },
  },
  {
    dialect: "jimmyai",
    spec: { prompt: "a", duration: 15, ratio: "2:3", images: ["https://example.com/cup.jpg"] },
    delivered: { width: 720, height: 1080, durationSec: 15 },
  },
  {
    dialect: "duoyuanx",
    spec: { prompt: "a", duration: 8, ratio: "21:9", resolution: "480p" },
    delivered: { width: 1120, height: 480, durationSec: 8 },
  },
  {
    dialect: "xai",
    spec: { prompt: "a", duration: 5, ratio: "4:3", resolution: "720p" },
    delivered: { width: 960, height: 720, durationSec: 5 },
  },
];

describe.each(cases)("$dialect", ({ dialect, spec, delivered }) => {
  it("the saved video's header is what was asked, with no warning", async () => {
    const result = await client(dialect).create(spec, { output: `${dialect}.mp4` });
    expect(result.saved?.delivered).toEqual(delivered);
    expect(result.saved?.warnings).toEqual([]);
    const job = await client(dialect).findJob(result.task.id);
    expect(job?.download?.delivered).toEqual(delivered);
  });
});
