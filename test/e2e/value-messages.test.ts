import { describe, expect, it } from "vitest";
import { makeTempDir, runCli } from "../helpers/run-cli.js";

describe("an error about a value", () => {
  it("says what is accepted in words, and names the provider the user chose (the sandbox, not apimart)", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const r = await runCli(
        ["create", "--provider", "sandbox", "--prompt", "x", "--duration", "6.5", "--dry-run"],
        {
          cwd: dir,
        },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--duration 6.5 is not accepted by sandbox; accepted: 6-30 (whole seconds)");
      expect(r.stderr).not.toContain("apimart");
    } finally {
      await cleanup();
    }
  });
});
