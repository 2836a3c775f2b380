import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The layer rules of `npm run lint` (.dependency-cruiser.cjs), run on small trees that each break
 * one of them: a rule that stopped catching what it is for would pass main silently.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const TSCONFIG = JSON.stringify({
  compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true },
  include: ["src"],
});

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Runs the project's rules on a tree of these files; the exit code and the report. */
function cruise(files: Record<string, string>): { code: number | null; report: string } {
  const dir = mkdtempSync(join(tmpdir(), "grokvid-layers-"));
  dirs.push(dir);
  copyFileSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  writeFileSync(join(dir, "tsconfig.json"), TSCONFIG);
  for (const [name, text] of Object.entries({ "src/index.ts": "export const entry = 1;\n", ...files })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const run = spawnSync(process.execPath, [DEPCRUISE, "src", "--config", ".dependency-cruiser.cjs"], {
    cwd: dir,
    encoding: "utf8",
  });
  return { code: run.status, report: `${run.stdout}${run.stderr}` };
}

describe("the layer rules of npm run lint", () => {
  it("pass a tree that keeps them: a command through the entry, core over config over util", () => {
    const r = cruise({
      "src/index.ts": 'export { create } from "./core/jobs/create.js";\n',
      "src/core/jobs/create.ts":
        'import { read } from "../../config/load.js";\nexport const create = read;\n',
      "src/config/load.ts": 'import { twice } from "../util/twice.js";\nexport const read = twice;\n',
      "src/util/twice.ts": "export const twice = (n: number) => 2 * n;\n",
      "src/commands/create.ts": 'import { create } from "../index.js";\nexport const run = create;\n',
    });
    expect(r.code, r.report).toBe(0);
  });

  it("fail a command that imports an internal module", () => {
    const r = cruise({
      "src/core/jobs/create.ts": "export const create = 1;\n",
      "src/commands/create.ts":
        'import { create } from "../core/jobs/create.js";\nexport const run = create;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain("shells-use-the-entry");
  });

  it("fail config/ importing core/, even for a type", () => {
    const r = cruise({
      "src/core/client/context.ts": "export interface Runtime { cwd: string }\n",
      "src/config/keys.ts":
        'import type { Runtime } from "../core/client/context.js";\nexport const cwd = (r: Runtime) => r.cwd;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain("config-depends-on-nothing-above-it");
  });

  it("fail a cycle at run time", () => {
    const r = cruise({
      "src/core/a.ts": 'import { b } from "./b.js";\nexport const a = () => b();\n',
      "src/core/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain("no-cycles");
  });

  it("fail a cycle made only of type imports", () => {
    const r = cruise({
      "src/ui/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
      "src/ui/b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain("no-cycles");
  });

  it("keep the MCP SDK to the MCP server: src/mcp may import it, the library may not", () => {
    const sdk =
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nexport const s = McpServer;\n';
    const shell = cruise({ "src/mcp/serve.ts": sdk });
    expect(shell.code, shell.report).toBe(0);
    const library = cruise({ "src/core/jobs/create.ts": sdk });
    expect(library.code).not.toBe(0);
    expect(library.report).toContain("only-the-mcp-shell-speaks-mcp");
  });

  it("fail the library importing the simulator or a shell", () => {
    const sandbox = cruise({
      "src/sandbox/server.ts": "export const start = 1;\n",
      "src/core/gateway/resolve.ts":
        'import { start } from "../../sandbox/server.js";\nexport const s = start;\n',
    });
    expect(sandbox.code).not.toBe(0);
    expect(sandbox.report).toContain("library-never-imports-the-sandbox");
    const shell = cruise({
      "src/ui/output.ts": "export const print = 1;\n",
      "src/core/jobs/create.ts": 'import { print } from "../../ui/output.js";\nexport const p = print;\n',
    });
    expect(shell.code).not.toBe(0);
    expect(shell.report).toContain("library-never-imports-a-shell");
  });
});
