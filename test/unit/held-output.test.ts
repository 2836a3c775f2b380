import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Output } from "../../src/ui/output.js";

const OUTPUT = fileURLToPath(new URL("../../dist/ui/output.js", import.meta.url));
const MODE = { json: false, quiet: false, verbose: false, color: false };

function recorder() {
  const writes: string[] = [];
  const stream = { write: (text: string) => writes.push(text) > 0 };
  return { writes, out: new Output({ stdout: stream, stderr: stream, env: {} }, MODE) };
}

describe("stderr lines held off a terminal", () => {
  it("go out together, in order, when released", () => {
    const { writes, out } = recorder();
    out.hold(60_000);
    out.info("line 1: submitting");
    out.warn("slow");
    out.info("line 2: submitted");
    expect(writes).toEqual([]);
    out.release();
    expect(writes).toEqual(["line 1: submitting\nwarning: slow\nline 2: submitted\n"]);
    out.info("after");
    expect(writes).toHaveLength(2);
  });

  it("are written when the process exits without releasing them (a second Ctrl-C)", () => {
    const script = `
      const { writeSync } = await import("node:fs");
      const { Output } = await import(${JSON.stringify(OUTPUT)});
      const stderr = { write: (t) => (writeSync(2, t), true) };
      const out = new Output({ stdout: stderr, stderr, env: {} }, ${JSON.stringify(MODE)});
      out.hold(60_000);
      out.info("line 7: submitted task t7");
      process.exit(130);
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status).toBe(130);
    expect(child.stderr).toBe("line 7: submitted task t7\n");
  });
});
