import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { providerIds } from "../../src/providers/types.js";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

describe("grokvid sandbox --json", () => {
  it("prints one JSON document with every base URL (and nothing else on stdout), then serves them", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0", "--json"], {
      cwd: e2e.dir,
      env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, NO_COLOR: "1" },
    });
    let stdout = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The document ends with "}\n" at the start of a line; the sandbox keeps running after it.
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        if (stdout.endsWith("\n}\n")) resolve();
      });
    });
    const doc = JSON.parse(stdout) as { url: string; baseUrls: Record<string, string> };
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(doc.baseUrls).sort()).toEqual([...providerIds].sort());
    // OpenRouter's API is under /api on its host, as its real base URL is.
    for (const id of providerIds)
      expect(doc.baseUrls[id]).toBe(`${doc.url}/${id}${id === "openrouter" ? "/api" : ""}`);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: { GROKVID_APIMART_API_KEY: "any-key-works", GROKVID_APIMART_BASE_URL: doc.baseUrls.apimart ?? "" },
    });
    expect(r.stdout).toMatch(/^task_\w+\n$/);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    // Still exactly one document: nothing was added after it.
    expect(() => JSON.parse(stdout) as unknown).not.toThrow();
  });
});
