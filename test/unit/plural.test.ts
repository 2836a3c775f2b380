import { describe, expect, it } from "vitest";
import { type ManifestEntry, summarize } from "../../src/core/batch/report.js";
import { plural } from "../../src/util/format.js";

function entry(status: ManifestEntry["status"], cost?: number): ManifestEntry {
  return {
    line: 1,
    id: null,
    provider: null,
    status,
    path: null,
    error: null,
    code: 0,
    ...(cost === undefined ? {} : { cost: { usd: cost } }),
  };
}

describe("plural", () => {
  it("is singular for exactly one and plural otherwise, zero included", () => {
    expect([0, 1, 2].map((n) => plural(n, "job"))).toEqual(["0 jobs", "1 job", "2 jobs"]);
    expect(plural(1, "invalid line")).toBe("1 invalid line");
    expect(plural(3, "child", "children")).toBe("3 children");
  });

  it("the batch summary says 1 error, 2 errors, and 1 job with a reported cost", () => {
    expect(summarize([entry("error")])).toContain(", 1 error");
    expect(summarize([entry("error")])).not.toContain("1 errors");
    expect(summarize([entry("error"), entry("error")])).toContain(", 2 errors");
    expect(summarize([entry("succeeded", 0.1)])).toContain("(1 job with a reported cost)");
    expect(summarize([entry("succeeded", 0.1), entry("succeeded", 0.2)])).toContain(
      "(2 jobs with a reported cost)",
    );
  });

  it("a re-run tells its own spending apart from what earlier runs paid for lines it skipped", () => {
    const earlier = { ...entry("skipped", 0.1), earlierRun: true as const };
    expect(summarize([entry("succeeded", 0.2), earlier])).toMatch(
      /, cost \$0\.20 \(1 job with a reported cost\), plus \$0\.10 \(1 job with a reported cost\) paid in earlier runs$/,
    );
    expect(summarize([earlier])).toMatch(
      /, cost \$0\.10 \(1 job with a reported cost\) paid in earlier runs$/,
    );
  });
});
