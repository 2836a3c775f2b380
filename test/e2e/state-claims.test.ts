import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { KIND_WORDS, OBSTACLES, plant, runBounded } from "../helpers/obstacles.js";

/**
 * A claim or pacing file that is not a regular file (issue 20, finding 8): a folder at a claim
 * left it "held" forever, so a batch line or an xAI create stalled with no message; a FIFO hung
 * past Ctrl-C and SIGTERM; a link to /dev/zero grew the process to gigabytes. Each must now end
 * within seconds, exit 3, name the file and what it is, and send nothing more.
 */
const e2e = useE2e();

const home = () => join(e2e.dir, "state");

/** The xAI pacer's key id: one claim and one stamp per origin and key (src/core/pacer.ts). */
function paceId(): string {
  const origin = new URL(e2e.sandbox.baseUrl("xai")).origin;
  return createHash("sha256").update(`pace\0${origin}\0${E2E_KEY}`).digest("hex");
}

function expectRefused(
  r: Awaited<ReturnType<typeof runBounded>>,
  path: string,
  kind: (typeof OBSTACLES)[number],
): void {
  expect(r.timedOut, "hung").toBe(false);
  expect(r.code, r.stderr).toBe(3);
  const all = `${r.stdout}\n${r.stderr}`;
  expect(all).toContain(`${path} ${KIND_WORDS[kind]}`);
  expect(r.stderr).not.toMatch(/internal error|Warning/);
}

async function batchFile(provider: string): Promise<string[]> {
  const file = join(e2e.dir, `${provider}.jsonl`);
  await writeFile(file, `${JSON.stringify({ prompt: "a fox" })}\n`);
  return ["batch", file, "--provider", provider, "--interval", "100ms"];
}

describe.each(OBSTACLES)("a claim or pacing file that is a %s", (kind) => {
  it("at a batch line's claim: batch and resume end with exit 3, nothing more is sent", async () => {
    const env = { ...e2e.envFor("apimart"), GROKVID_HOME: home() };
    // A first run leaves the job unfinished (one check only), so the next ones take its claim.
    const first = await runBounded([...(await batchFile("apimart")), "--timeout", "0"], {
      cwd: e2e.dir,
      env,
    });
    expect(first.code, first.stderr).toBe(8);
    const created = (await readFile(join(home(), "journal.jsonl"), "utf8"))
      .split("\n")
      .filter((l) => l.includes('"type":"created"'))
      .map((l) => JSON.parse(l) as { requestHash: string });
    const claim = join(home(), "claims", created[0]?.requestHash ?? "missing");
    await plant(claim, kind);
    const sent = e2e.sandbox.requests.length;

    const batch = await runBounded(await batchFile("apimart"), { cwd: e2e.dir, env });
    expectRefused(batch, claim, kind);
    const resume = await runBounded(["resume"], { cwd: e2e.dir, env });
    expectRefused(resume, claim, kind);
    expect(e2e.sandbox.requests.length).toBe(sent);
  });

  it.each(["claims", "pacing"])(
    "at the xAI key's %s file: create and batch end with exit 3, nothing sent",
    async (folder) => {
      const env = { ...e2e.envFor("xai"), GROKVID_HOME: home() };
      const path = join(home(), folder, paceId());
      await plant(path, kind);
      const create = await runBounded(["create", "--provider", "xai", "--prompt", "p"], {
        cwd: e2e.dir,
        env,
      });
      expectRefused(create, path, kind);
      expect(create.stderr.split("\n").filter((l) => l.trim() !== "")).toHaveLength(1);
      const batch = await runBounded(await batchFile("xai"), { cwd: e2e.dir, env });
      expectRefused(batch, path, kind);
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );
});
