import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../src/core/client/context.js";

/**
 * Node's timers hold at most 2^31-1 ms: a longer delay printed a TimeoutOverflowWarning and fired
 * after 1 ms (issue 20, finding 12d), so a pacer's long interval paced nothing. The real clock's
 * sleep must really wait, in steps, and stop on its signal. Nothing here waits: each sleep is
 * aborted, and the test only looks at what happened before that.
 */
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

afterEach(() => {
  process.off("warning", onWarning);
  warnings.length = 0;
});

describe("realClock.sleep", () => {
  it.each([2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER])(
    "%s ms: no overflow warning, still asleep, ends on abort",
    async (ms) => {
      process.on("warning", onWarning);
      const stop = new AbortController();
      let settled = false;
      const sleeping = realClock.sleep(ms, stop.signal).finally(() => (settled = true));
      // A timer that overflowed fires after 1 ms; give it several to show itself.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      stop.abort();
      await expect(sleeping).rejects.toMatchObject({ name: "AbortError" });
      expect(warnings.map((w) => w.name)).not.toContain("TimeoutOverflowWarning");
    },
  );

  it("a short sleep still ends by itself", async () => {
    await expect(realClock.sleep(1)).resolves.toBeUndefined();
  });
});
