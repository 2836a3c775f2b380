import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * Several processes finding the same dead owner's claim at once: exactly one may take it over.
 * The first version removed "the stale file" without a lock, and a second taker could remove the
 * first one's fresh claim: both then paid for the same request.
 */
const CLAIMS = fileURLToPath(new URL("../../dist/files/claims.js", import.meta.url));
/** Many keys per process, so each round holds many chances to hit the window. */
const KEYS = Array.from({ length: 24 }, (_, i) => i.toString(16).padStart(2, "0").repeat(32));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-claims-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/**
 * One process: one take() per key at once. It holds what it won until the test has every answer
 * (its stdin closes), so a slow starter can never see a claim released by a winner and win it too.
 */
function startTaker(home: string): { answer: Promise<string>; finish: () => Promise<void> } {
  const script = `
    const { Claims } = await import(${JSON.stringify(CLAIMS)});
    const claims = new Claims(${JSON.stringify(home)});
    const got = await Promise.all(${JSON.stringify(KEYS)}.map((k) => claims.take(k)));
    process.stdout.write(got.map((g) => ("claim" in g ? "1" : "0")).join("") + "\\n");
    process.stdin.resume();
    await new Promise((r) => process.stdin.on("end", r));
    for (const g of got) if ("claim" in g) await g.claim.release();
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const answer = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.endsWith("\n")) resolve(out.trim());
    });
    child.on("error", reject);
    void closed.then(() => resolve(out.trim()));
  });
  return {
    answer,
    finish: async () => {
      child.stdin.end();
      await closed;
    },
  };
}

describe("taking over a dead owner's claim", () => {
  it("six processes at once, 24 claims each, ten rounds: one winner per claim", async () => {
    for (let round = 0; round < 10; round++) {
      const home = join(dir, `r${round}`);
      await mkdir(join(home, "claims"), { recursive: true });
      // A pid that cannot be alive: the owner died (kill -9) holding the claim.
      for (const key of KEYS) await writeFile(join(home, "claims", key), "2147483646 12345");
      const takers = Array.from({ length: 6 }, () => startTaker(home));
      const results = await Promise.all(takers.map((t) => t.answer));
      await Promise.all(takers.map((t) => t.finish()));
      const winners = KEYS.map((_, k) => results.filter((r) => r[k] === "1").length);
      expect(winners, `round ${round}`).toEqual(KEYS.map(() => 1));
    }
  }, 60_000);
});
