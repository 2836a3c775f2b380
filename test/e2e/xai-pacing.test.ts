import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

// The sandbox's own clock is the wall clock here: the spacing is measured as creates arrived.
const e2e = useE2e({ now: Date.now });

describe("xAI's 1 request per second, across processes", () => {
  it("20 `grokvid create --provider xai` started at once: creates arrive at least a second apart, none refused", async () => {
    const env = { ...e2e.envFor("xai"), GROKVID_HOME: join(e2e.dir, "home") };
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runCli(["create", "--provider", "xai", "--prompt", `job ${i}`], { cwd: e2e.dir, env }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const creates = e2e.sandbox.requests.filter((r) => r.method === "POST");
    expect(creates).toHaveLength(20);
    expect(creates.every((r) => r.status === 200)).toBe(true);
    const arrivals = creates.map((r) => r.atMs ?? Number.NaN).sort((a, b) => a - b);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  }, 90_000);
});
