import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { runBounded } from "../helpers/obstacles.js";

/**
 * A tiny requestsPerSecond (issue 20, finding 12d) made an interval over 2^31-1 ms: Node printed a
 * raw TimeoutOverflowWarning, fired the timer after 1 ms and paced nothing. The config is now
 * refused at load, naming the key path, before anything is sent.
 */
const e2e = useE2e();

function gatewayConfig(requestsPerSecond: number): unknown {
  return {
    gateways: {
      "slow-xai": {
        dialect: "xai",
        baseUrl: e2e.sandbox.baseUrl("xai"),
        requestsPerSecond,
        models: { "grok-imagine-video": { durations: { min: 1, max: 15 } } },
      },
    },
  };
}

describe("gateways.<name>.requestsPerSecond", () => {
  it.each([1e-9, 0.0001, 1e9])(
    "%s is refused at config load: exit 3 naming the key path, nothing sent",
    async (rate) => {
      await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify(gatewayConfig(rate)));
      const env = { GROKVID_SLOW_XAI_API_KEY: E2E_KEY, GROKVID_HOME: join(e2e.dir, "state") };
      const r = await runBounded(["create", "--provider", "slow-xai", "--prompt", "p"], {
        cwd: e2e.dir,
        env,
      });
      expect(r.timedOut).toBe(false);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain("gateways.slow-xai.requestsPerSecond");
      expect(r.stderr).not.toContain("TimeoutOverflowWarning");
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );

  it("a rate inside the range is taken", async () => {
    await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify(gatewayConfig(100)));
    const env = { GROKVID_SLOW_XAI_API_KEY: E2E_KEY, GROKVID_HOME: join(e2e.dir, "state") };
    const r = await runBounded(["create", "--provider", "slow-xai", "--prompt", "p"], { cwd: e2e.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Warning");
  });
});
