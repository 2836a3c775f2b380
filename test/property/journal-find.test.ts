import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalEvent } from "../../src/core/journal/journal.js";
import { FileJournal as Journal } from "../../src/core/journal/file-journal.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-find-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Few ids, some prefixes of others, some with characters JSON escapes; few providers: collisions.
const ids = ["t1", "t10", 'q"x', "é\u2028"];
const providers = ["apimart", "jimmyai"];
const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();

const event: fc.Arbitrary<JournalEvent | "torn" | "junk"> = fc.oneof(
  fc
    .record({
      id: fc.constantFrom(...ids),
      provider: fc.constantFrom(...providers),
      n: fc.nat(999),
      prompt: fc.constantFrom(...ids),
    })
    .map(({ id, provider, n, prompt }): JournalEvent => ({
      type: "created",
      at: at(n),
      id,
      provider,
      baseUrl: "https://gw",
      model: "m",
      // A prompt naming another job's id: the byte search must not be fooled by it.
      params: { prompt, images: [] },
      requestHash: `h${n}`,
    })),
  fc
    .record({
      id: fc.constantFrom(...ids),
      provider: fc.constantFrom(...providers),
      n: fc.nat(999),
      status: fc.constantFrom("queued", "running", "succeeded", "failed" as const),
    })
    .map(({ id, provider, n, status }): JournalEvent => ({
      type: "status",
      at: at(n),
      id,
      provider,
      status,
      progress: status === "running" ? 50 : null,
      videoUrl: status === "succeeded" ? `https://cdn/${n}.mp4` : null,
      error: null,
    })),
  fc
    .record({ id: fc.constantFrom(...ids), provider: fc.constantFrom(...providers), n: fc.nat(999) })
    .map(({ id, provider, n }): JournalEvent => ({
      type: "downloaded",
      at: at(n),
      id,
      provider,
      path: `/v/${n}.mp4`,
      bytes: n,
      sha256: "ab",
      sourceUrl: "https://cdn/x.mp4",
    })),
  fc
    .record({ id: fc.constantFrom(...ids), provider: fc.constantFrom(...providers) })
    .map(({ id, provider }): JournalEvent => ({
      type: "downloading",
      at: at(0),
      id,
      provider,
      path: "/v/p.mp4",
    })),
  fc.constant("torn" as const),
  fc.constant("junk" as const),
);

function render(events: Array<JournalEvent | "torn" | "junk">): string {
  return events
    .map((e) =>
      e === "torn" ? '{"type":"created","id":"t1","prov' : e === "junk" ? '{"id":"t1"}' : JSON.stringify(e),
    )
    .join("\n")
    .concat("\n");
}

describe("Journal.findJob", () => {
  it("finds exactly what folding the whole journal finds, for any journal", async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 5, maxLength: 60, size: "max" }),
        fc.constantFrom(...ids),
        fc.constantFrom(undefined, ...providers),
        async (events, id, provider) => {
          const home = join(dir, String(round++));
          const journal = new Journal(home);
          await import("node:fs/promises").then((fs) => fs.mkdir(home, { recursive: true }));
          await writeFile(journal.path, render(events));
          const whole = (await new Journal(home).readJobs())
            .reverse()
            .find((j) => j.id === id && (provider === undefined || j.provider === provider));
          expect(await journal.findJob(id, provider)).toEqual(whole);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads a journal far bigger than its chunk, across chunk edges", async () => {
    const home = join(dir, "big");
    const journal = new Journal(home);
    await import("node:fs/promises").then((fs) => fs.mkdir(home, { recursive: true }));
    const filler = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({
        type: "created",
        at: at(i),
        id: `other-${i}`,
        provider: "apimart",
        baseUrl: "b",
        model: "m",
        params: { prompt: "p".repeat(400), images: [] },
        requestHash: `h${i}`,
      }),
    );
    // A first line longer than the 4 MiB read buffer: the buffer must grow, not cut the line.
    const first = {
      type: "created",
      at: at(0),
      id: "wanted",
      provider: "apimart",
      baseUrl: "b",
      model: "m",
      params: { prompt: "x".repeat(5 * 1024 * 1024), images: [] },
      requestHash: "hw",
    };
    const last = {
      type: "status",
      at: at(9),
      id: "wanted",
      provider: "apimart",
      status: "succeeded",
      progress: null,
      videoUrl: "https://cdn/w.mp4",
      error: null,
    };
    await writeFile(
      journal.path,
      [JSON.stringify(first), ...filler, JSON.stringify(last)].join("\n").concat("\n"),
    );
    expect(await journal.findJob("wanted")).toMatchObject({
      id: "wanted",
      status: "succeeded",
      videoUrl: "https://cdn/w.mp4",
    });
    expect((await journal.findJob("wanted"))?.params.prompt).toHaveLength(5 * 1024 * 1024);
    expect(await journal.findJob("other-19999")).toMatchObject({ requestHash: "h19999" });
    expect(await journal.findJob("other-7")).toMatchObject({ requestHash: "h7" });
    expect(await journal.findJob("missing")).toBeUndefined();
  });
});
