import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/types.js";
import { type InstalledPackage, installPackedTarball, ROOT } from "../helpers/installed-package.js";

/**
 * The README's "Use it from TypeScript" example, exactly as written there: compiled with strict
 * TypeScript against the installed tarball's own types, then run with Node against the sandbox.
 * A README that drifts from the library fails here.
 */
let work: InstalledPackage;
let sandbox: Sandbox;

beforeAll(async () => {
  work = await installPackedTarball();
  // Jobs finish at once, so the example's 5 s polls never sleep.
  sandbox = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 } });
}, 60_000);
afterAll(async () => {
  await sandbox.close();
  await work.cleanup();
});

async function readmeExample(): Promise<string> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use it from TypeScript"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("no ts block in the README's TypeScript section");
  return block[1];
}

function runNode(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("latin1").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
  },
  files: ["example.mts"],
};

describe("the README's TypeScript example", () => {
  it("compiles against the installed package and runs as written against the sandbox", async () => {
    const { app } = work;
    await writeFile(join(app, "example.mts"), await readmeExample());
    await writeFile(join(app, "tsconfig.json"), JSON.stringify(tsconfig));
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", app], {
      cwd: app,
      stdio: ["ignore", "inherit", "inherit"],
    });
    // Spawned, not spawnSync: the sandbox answers from this process's event loop.
    const run = await runNode(["example.mjs"], app, {
      PATH: process.env.PATH ?? "",
      HOME: app,
      GROKVID_HOME: join(app, "state"),
      GROKVID_APIMART_BASE_URL: sandbox.baseUrl("apimart"),
      GROKVID_APIMART_API_KEY: "sandbox-key",
      GROKVID_XAI_BASE_URL: sandbox.baseUrl("xai"),
      GROKVID_XAI_API_KEY: "sandbox-key",
    });
    expect(run.status, run.stderr).toBe(0);
    // Text only: no video bytes written to the console.
    expect(run.stdout).not.toContain("\u0000");
    expect(run.stdout).toContain("submitted task_");
    expect(run.stdout).toMatch(/succeeded .*videos\/.*\.mp4 [0-9a-f]{64}/);
    // The edit went where its source lives (xai), although the client's provider is apimart.
    expect(existsSync(join(app, "night.mp4"))).toBe(true);
    expect(existsSync(join(app, "lighthouse.mp4"))).toBe(true);
    expect(existsSync(join(app, "videos", "two.mp4")) || existsSync(join(app, "two.mp4"))).toBe(true);
    expect(readdirSync(join(app, "videos")).filter((f) => f.endsWith(".mp4")).length).toBeGreaterThanOrEqual(
      2,
    );
    // The failure at the end is a GrokvidError with the CLI's exit code: the client's provider
    // (apimart) was asked about an id the journal does not know, and has no such task (6).
    expect(run.stderr).toMatch(/task no-such-id was not found on apimart .* 6\n/);
  }, 90_000);
});
