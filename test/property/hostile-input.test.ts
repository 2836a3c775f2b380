import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/registry.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { PNG_1X1 } from "../fixtures/images.js";
import { steppingClock } from "../helpers/clock.js";
import { type InProcessResult, runInProcess } from "../helpers/in-process.js";

/** Every target runs this many generated inputs (the issue asks for at least 1,000). */
const RUNS = 1000;
const CANARY = "sk-canary-prop-8d2f4b6a1c";
const providers = ["apimart", "xcompute", "jimmyai", "duoyuanx"] as const;

let sandbox: Sandbox;
/** Exit codes a target produced: a generator that only ever fails (or only succeeds) tests little. */
let seen = new Set<number>();
let dir: string;

beforeAll(async () => {
  // Every request moves time 10 s on, so a task is done by its first status check.
  sandbox = await startSandbox({ now: steppingClock(10_000) });
  dir = await mkdtemp(join(tmpdir(), "grokvid-prop-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

function env(withKeys: boolean): Record<string, string> {
  const vars: Record<string, string> = {
    HOME: dir,
    GROKVID_HOME: join(dir, "state"),
    GROKVID_SANDBOX_DELAY: "0",
  };
  for (const p of providers) {
    vars[`GROKVID_${p.toUpperCase()}_BASE_URL`] = sandbox.baseUrl(p);
    if (withKeys) vars[`GROKVID_${p.toUpperCase()}_API_KEY`] = CANARY;
  }
  return vars;
}

/** The contract for any input: it works, or it is refused with exit 2/3, one message, nothing sent. */
function checkContract(
  r: InProcessResult,
  requestsBefore: number,
  allowed: readonly number[] = [0, 2, 3],
): void {
  seen.add(r.code);
  const context = `exit ${r.code}\nstderr: ${r.stderr}`;
  expect(allowed, context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(/\n\s+at |internal error/);
  expect(r.stdout + r.stderr).not.toContain(CANARY);
  if (r.code !== 0) {
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0], context).toMatch(/^error:|^line \d+:/);
    expect(sandbox.requests.length, `${context}\nsomething was sent`).toBe(requestsBefore);
  }
}

const oddText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.constantFrom(
    "6",
    "10",
    "15",
    "30",
    "720p",
    "480P",
    "1080p",
    "16:9",
    "21:9",
    "0:0",
    "1e3",
    "NaN",
    " ",
    "..",
    "-1",
    "6.5",
  ),
);
const value = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** Mostly plausible values, so the accepted path is exercised as often as the refusals. */
const likely = (good: readonly string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 4 }, { arbitrary: oddText, weight: 1 });

interface CreateFlags {
  provider: string;
  model: string | undefined;
  duration: string | undefined;
  ratio: string | undefined;
  resolution: string | undefined;
  interval: string | undefined;
  images: string[];
}

/** Usually absent, sometimes junk: for a flag the model does not take. */
const rarely = fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: oddText, weight: 1 });

/** Values each provider's own model limits allow (the registry's data), each sometimes swapped for junk. */
function fittingFlags(localImage: string): fc.Arbitrary<CreateFlags> {
  return fc.constantFrom(...providers).chain((id) => {
    const provider = getProvider(id);
    return fc.constantFrom(...provider.models).chain((m) => {
      const names = [m.id, ...(m.aliases ?? [])];
      const durations =
        m.durations.kind === "set"
          ? m.durations.values.map(String)
          : [m.durations.min, m.durations.max ?? m.durations.min + 9].map(String);
      const image = m.images.accepts === "url" ? "https://example.com/a.png" : localImage;
      const count = fc.integer({ min: m.images.min, max: Math.min(m.images.max, m.images.min + 1) });
      return fc.record({
        provider: fc.constant(id),
        model: m.id === provider.defaultModel ? value(likely(names)) : likely(names),
        duration: value(likely(durations)),
        ratio: m.ratios.length > 0 ? value(likely(m.ratios)) : rarely,
        resolution: m.resolutions.length > 0 ? value(likely(m.resolutions.map((r) => `${r}p`))) : rarely,
        interval: value(likely(["5s", "250ms", "1m"])),
        images: fc.oneof(
          { arbitrary: count.map((n) => Array.from({ length: n }, () => image)), weight: 4 },
          { arbitrary: fc.array(oddText, { maxLength: 2 }), weight: 1 },
        ),
      });
    });
  });
}

/** Any provider with any other provider's values: mostly refusals, which must still be clean. */
const anyFlags: fc.Arbitrary<CreateFlags> = fc.record({
  provider: likely(providers),
  model: value(likely(["grok-video-1.5-pro", "grok-1.5", "grok_1_5", "grok-imagine-video-1.5-preview"])),
  duration: value(likely(["6", "8", "10", "15", "30"])),
  ratio: value(likely(["16:9", "9:16", "1:1", "21:9"])),
  resolution: value(likely(["480p", "720p", "720", "1080p"])),
  interval: value(likely(["5s", "250ms", "1m"])),
  images: fc.oneof(
    { arbitrary: fc.constant<string[]>([]), weight: 2 },
    { arbitrary: fc.constant<string[]>(["https://example.com/a.png"]), weight: 2 },
    {
      arbitrary: fc.array(fc.oneof(fc.constant("data:image/png;base64,iVBORw0KGgo="), oddText), {
        maxLength: 3,
      }),
      weight: 1,
    },
  ),
});

describe("hostile input never crashes, never sends on refusal", () => {
  beforeEach(() => {
    seen = new Set();
  });

  it(`create flags (${RUNS} cases)`, async () => {
    await writeFile(join(dir, "ref.png"), PNG_1X1);
    await fc.assert(
      fc.asyncProperty(
        // Mostly a provider's own values (so acceptance and the missing-key refusal are common),
        // sometimes any value from anywhere.
        fc.oneof(
          { arbitrary: fittingFlags(join(dir, "ref.png")), weight: 3 },
          { arbitrary: anyFlags, weight: 1 },
        ),
        fc.option(
          fc.oneof(
            { arbitrary: fc.string({ minLength: 1, maxLength: 30 }), weight: 5 },
            { arbitrary: fc.string({ minLength: 4090, maxLength: 4100 }), weight: 1 },
          ),
          { nil: undefined, freq: 8 },
        ),
        fc.boolean(),
        fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
        async (flags, prompt, dryRun, keys) => {
          const argv = ["create", "--provider", flags.provider];
          if (prompt !== undefined) argv.push("--prompt", prompt);
          for (const [flag, v] of [
            ["--model", flags.model],
            ["--duration", flags.duration],
            ["--ratio", flags.ratio],
            ["--resolution", flags.resolution],
            ["--interval", flags.interval],
          ] as const) {
            if (v !== undefined) argv.push(flag, v);
          }
          for (const image of flags.images) argv.push("--image", image);
          if (dryRun) argv.push("--dry-run");
          const before = sandbox.requests.length;
          checkContract(await runInProcess(argv, { env: env(keys), cwd: dir }), before);
        },
      ),
      { numRuns: RUNS },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 2, 3]));
  }, 120_000);

  it(`batch lines (${RUNS} cases)`, async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer({ min: -1, max: 40 }),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
    );
    const jsonLine = fc
      .dictionary(
        fc.constantFrom(
          "prompt",
          "provider",
          "model",
          "duration",
          "ratio",
          "resolution",
          "image",
          "images",
          "output",
          "promt",
        ),
        field,
        { maxKeys: 5 },
      )
      .map((o) => JSON.stringify(o));
    const line = fc.oneof(
      jsonLine,
      fc.string({ maxLength: 20 }),
      fc.constant(JSON.stringify({ prompt: "fine", provider: "apimart" })),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 3 }), async (lines) => {
        const file = join(dir, `batch-${n++}.jsonl`);
        await writeFile(file, lines.join("\n"));
        const before = sandbox.requests.length;
        const r = await runInProcess(
          ["batch", file, "--provider", "apimart", "--out-dir", join(dir, "out"), "--interval", "100ms"],
          { env: env(true), cwd: dir },
        );
        // A batch that ran may end 7 (a job failed). Not 6: a line grokvid accepted must never be one
        // the gateway refuses after it was paid for.
        checkContract(r, r.code === 2 || r.code === 3 ? before : sandbox.requests.length, [0, 2, 3, 7]);
        if (r.code === 2) expect(sandbox.requests.length).toBe(before);
      }),
      { numRuns: RUNS },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 2]));
  }, 180_000);

  it(`config files (${RUNS} cases)`, async () => {
    const setting = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant("https://x.example"),
      fc.constant("5s"),
    );
    const config = fc.oneof(
      fc
        .record(
          {
            defaultProvider: setting,
            providers: fc.dictionary(
              fc.oneof(fc.constantFrom(...providers), fc.string({ maxLength: 6 })),
              fc.dictionary(fc.constantFrom("apiKey", "baseUrl", "model", "defaults", "extra"), setting, {
                maxKeys: 3,
              }),
              { maxKeys: 2 },
            ),
            poll: fc.dictionary(fc.constantFrom("interval", "timeout", "every"), setting, { maxKeys: 2 }),
            download: fc.dictionary(fc.constantFrom("dir", "template"), setting, { maxKeys: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 40 }),
      fc.constantFrom("{", "[1,2]", "null", "key: [unclosed", "providers:\n  apimart:\n    apiKey: 5"),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(config, async (text) => {
        const cwd = join(dir, `cfg-${n++}`);
        await mkdir(cwd, { recursive: true });
        await writeFile(join(cwd, ".grokvideorc"), text);
        const before = sandbox.requests.length;
        const r = await runInProcess(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"], {
          env: { ...env(true), HOME: cwd },
          cwd,
        });
        checkContract(r, before);
        expect(sandbox.requests.length).toBe(before);
      }),
      { numRuns: RUNS },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 3]));
  }, 120_000);
});
