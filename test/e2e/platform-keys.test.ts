import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import type { PlatformDialect } from "../../src/sandbox/types.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { expectSaved, FAST, onApi, onCdn, platformCli } from "../helpers/platform-e2e.js";

// Issue 22 item 3: the platforms' videos are on another origin (fal.media, replicate.delivery...),
// which never gets the key; and the key shows nowhere: not on stdout, stderr or in the journal.
const e2e = useE2e();

async function expectNoKeyIn(...texts: string[]): Promise<void> {
  const journal = await readFile(join(e2e.dir, "home", "journal.jsonl"), "utf8");
  for (const text of [...texts, journal]) expect(text.includes(E2E_KEY)).toBe(false);
  // The canary is real: the journal holds the job, and the key was sent (masked in the sandbox's log).
  expect(journal.length).toBeGreaterThan(0);
}

describe("the CDN origin never gets the key", () => {
  it.each<[PlatformDialect, string]>([
    ["fal", "Key [redacted]"],
    ["replicate", "Bearer [redacted]"],
    ["openrouter", "Bearer [redacted]"],
    ["aimlapi", "Bearer [redacted]"],
  ])("%s: create --download and a later download fetch the video without it", async (provider, auth) => {
    const cli = platformCli(e2e, provider);
    const r = await cli([
      "create",
      "--provider",
      provider,
      "--prompt",
      "a comet over the mountains",
      "--wait",
      "--download",
      "-o",
      "comet.mp4",
      "--verbose",
      ...FAST,
      "--json",
    ]);
    const doc = await expectSaved(r, e2e.dir, "comet.mp4");
    const again = await cli(["download", doc.id, "-o", "again.mp4", "--verbose"]);
    expect(again.code, again.stderr).toBe(0);
    expect((await readFile(join(e2e.dir, "again.mp4"))).equals(generateTaskVideo(doc.id))).toBe(true);

    const cdn = onCdn(e2e.sandbox.requests);
    const api = onApi(e2e.sandbox.requests);
    // Every request to the API carried the key in the platform's scheme; none to the CDN did.
    expect(api.length).toBeGreaterThan(0);
    expect(api.map((q) => q.headers?.authorization)).toEqual(api.map(() => auth));
    expect(cdn.map((q) => [q.path, q.headers?.authorization, q.sentKey])).toEqual(
      cdn.map(() => [`/files/${doc.id}.mp4`, undefined, false]),
    );
    // Both saves came from the CDN; OpenRouter may serve the video through /content with the key instead.
    const throughApi = api.filter((q) => q.path.startsWith(`/openrouter/api/v1/videos/${doc.id}/content`));
    if (provider === "openrouter") expect(cdn.length + throughApi.length).toBeGreaterThanOrEqual(2);
    else expect(cdn.filter((q) => q.method === "GET").length).toBeGreaterThanOrEqual(2);
    await expectNoKeyIn(r.stdout, r.stderr, again.stdout, again.stderr);
  });
});

describe("a platform that echoes the key back", () => {
  it.each<PlatformDialect>(["replicate", "openrouter", "aimlapi"])(
    "%s: a failure message quoting the key shows it nowhere (exit 7)",
    async (provider) => {
      e2e.sandbox.setFaults([{ kind: "echo-key", target: "query", times: Infinity, dialect: provider }]);
      try {
        const cli = platformCli(e2e, provider);
        const r = await cli([
          "create",
          "--provider",
          provider,
          "--prompt",
          "a comet",
          "--wait",
          "--verbose",
          ...FAST,
          "--json",
        ]);
        expect(r.code, r.stderr).toBe(7);
        const doc = JSON.parse(r.stdout) as { id: string; status: string; error: { message: string } };
        expect(doc.status).toBe("failed");
        // The message is there, the key in it is not.
        expect(doc.error.message).toMatch(/sandbox fault: rejected key/);
        const status = await cli(["status", doc.id, "--json"]);
        const jobs = await cli(["jobs", "--json"]);
        await expectNoKeyIn(r.stdout, r.stderr, status.stdout, status.stderr, jobs.stdout, jobs.stderr);
        const base64 = Buffer.from(E2E_KEY).toString("base64");
        expect([r.stdout, r.stderr, status.stdout].some((text) => text.includes(base64))).toBe(false);
      } finally {
        e2e.sandbox.setFaults([]);
      }
    },
  );
});
