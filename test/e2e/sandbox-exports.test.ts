import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { providerIds } from "../../src/providers/types.js";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

/** The value of `export NAME=VALUE` in what `grokvid sandbox` printed, or undefined. */
const exported = (stdout: string, name: string) =>
  new RegExp(`^export ${name}=(\\S+)$`, "m").exec(stdout)?.[1];

/** The lines `grokvid sandbox` prints, pasted into a shell, make the next create work as they are. */
describe("grokvid sandbox's export lines", () => {
  it("set a base URL and a key for each provider, and a pasted create needs nothing else", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0"], {
      cwd: e2e.dir,
      env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1" },
    });
    let stdout = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const last = `GROKVID_${providerIds.at(-1)?.toUpperCase()}_API_KEY`;
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        if (exported(stdout, last) !== undefined) resolve();
      });
      // A sandbox that never prints the line fails below rather than hanging the suite.
      setTimeout(resolve, 5000).unref();
    });
    try {
      for (const id of providerIds) {
        expect(exported(stdout, `GROKVID_${id.toUpperCase()}_BASE_URL`), id).toBeDefined();
        expect(exported(stdout, `GROKVID_${id.toUpperCase()}_API_KEY`), id).toBeDefined();
      }
      const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
        cwd: e2e.dir,
        env: {
          GROKVID_APIMART_BASE_URL: exported(stdout, "GROKVID_APIMART_BASE_URL") ?? "",
          GROKVID_APIMART_API_KEY: exported(stdout, "GROKVID_APIMART_API_KEY") ?? "",
        },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^task_\w+\n$/);
    } finally {
      child.kill("SIGINT");
      await exited;
    }
  });
});
