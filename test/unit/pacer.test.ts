import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPacer } from "../../src/core/gateway/pacer.js";
import { ConfigError, InterruptedError } from "../../src/util/errors.js";
import { ManualClock } from "../helpers/clock.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "grokvid-pacer-unit-"));
});
afterEach(() => rm(home, { recursive: true, force: true }));

/** A key of its own per test: the in-process budget is shared by every pacer of one key. */
let keys = 0;
function pacer(clock = new ManualClock(), rate = 1) {
  keys++;
  const key = `xai-key-${keys}-${Date.now()}`;
  return { clock, key, pacer: createPacer(home, "https://api.x.ai", key, rate, clock) };
}

describe("createPacer", () => {
  it("spaces creates a full interval from the previous answer, and polls within the process", async () => {
    const { clock, pacer: p } = pacer();
    const start = clock.ms;
    const first = await p.turn("create");
    clock.ms += 300; // the answer took 300 ms
    await first();
    await (
      await p.turn("create")
    )();
    // The second went a second after the first was answered, not after it was sent.
    expect(clock.ms - start).toBeGreaterThanOrEqual(1300);
    const before = clock.ms;
    await (
      await p.turn("query")
    )();
    expect(clock.ms - before).toBeGreaterThanOrEqual(1000);
  });

  it("leaves nothing behind but the stamp once every turn is let go", async () => {
    const { pacer: p } = pacer();
    await (
      await p.turn("create")
    )();
    expect(await readdir(join(home, "claims"))).toEqual([]);
    expect((await readdir(join(home, "pacing"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("letting go never throws, even when the stamp cannot be written (the answer must not be lost)", async () => {
    const { pacer: p } = pacer();
    const done = await p.turn("create");
    await rm(join(home, "pacing"), { recursive: true });
    await writeFile(join(home, "pacing"), "not a folder");
    await expect(done()).resolves.toBeUndefined();
    // The claim was let go all the same.
    expect(await readdir(join(home, "claims"))).toEqual([]);
  });

  it("a home it cannot use is a configuration error that says nothing was sent", async () => {
    await writeFile(join(home, "claims"), "not a folder");
    const err = await pacer()
      .pacer.turn("create")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).nothingSent).toBe(true);
    expect((err as ConfigError).message).toMatch(/nothing was sent/);
  });

  it("Ctrl-C while waiting behind another create of this process ends the wait, nothing sent", async () => {
    const { pacer: p } = pacer();
    const held = await p.turn("create");
    const ctrlC = new AbortController();
    const waiting = p.turn("create", ctrlC.signal).catch((e: unknown) => e);
    ctrlC.abort();
    const err = await waiting;
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).nothingSent).toBe(true);
    await held();
    // The next create is not stuck behind the one that gave up.
    await expect(p.turn("create").then((done) => done())).resolves.toBeUndefined();
  });

  it("a FIFO, or a link to one, planted at the stamp is refused (exit 3, nothing sent), never read or replaced", async () => {
    const { pacer: first, key } = pacer();
    await (
      await first.turn("create")
    )();
    const [stamp] = (await readdir(join(home, "pacing"))).filter((n) => !n.endsWith(".tmp"));
    if (!stamp) throw new Error("no stamp");
    const path = join(home, "pacing", stamp);
    await rm(path);
    execFileSync("mkfifo", [join(home, "fifo")]);
    for (const plant of [() => symlink(join(home, "fifo"), path), () => rename(join(home, "fifo"), path)]) {
      await plant();
      // Same key as `first`: its stamp is the planted name, read (or not) on the next turn.
      const again = createPacer(home, "https://api.x.ai", key, 1, new ManualClock());
      const err = await again.turn("create").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).nothingSent).toBe(true);
      expect((err as ConfigError).message).toMatch(
        new RegExp(
          `^the pacing stamp ${path} is a (symbolic link|FIFO), not a regular file; move it away; nothing was sent$`,
        ),
      );
    }
    // Left where it was, still a FIFO: nothing was written through the link or into the FIFO.
    execFileSync("test", ["-p", path]);
  });
});
