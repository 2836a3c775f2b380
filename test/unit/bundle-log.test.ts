import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/run-cli.js";
import { ROOT } from "../helpers/installed-package.js";

/**
 * Issue 23 item 11: `npm ci` (which builds) printed five rolldown INEFFECTIVE_DYNAMIC_IMPORT
 * warnings a newcomer cannot act on. The CLI's bundle is built here into a temp folder, and must
 * say nothing.
 */
describe("the CLI bundle's build", () => {
  it("prints no warning", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const out = join(dir, "bundle");
      const run = spawnSync(process.execPath, [join(ROOT, "scripts", "bundle-cli.mjs")], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", GROKVID_BUNDLE_DIR: out },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(`${run.stdout}${run.stderr}`).toBe("");
      expect(existsSync(join(out, "main.cjs"))).toBe(true);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
