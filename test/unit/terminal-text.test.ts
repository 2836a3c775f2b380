import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NormalizedTask } from "../../src/providers/types.js";
import { resolveColorLevel } from "../../src/ui/color.js";
import { DownloadMeter, formatBytes } from "../../src/ui/download-meter.js";
import { LiveLines } from "../../src/ui/live-lines.js";
import { FRAME_MS, LiveRegion } from "../../src/ui/live-region.js";
import { Output } from "../../src/ui/output.js";
import { createStatusDisplay } from "../../src/ui/status-display.js";
import { fitWidth, textWidth, usableColumns } from "../../src/ui/text-width.js";

const MiB = 1024 * 1024;

function recorder(env: Record<string, string> = {}) {
  const writes: string[] = [];
  const stream = { write: (text: string) => writes.push(text) > 0 };
  const mode = { json: false, quiet: false, verbose: false, color: false };
  return { writes, out: new Output({ stdout: stream, stderr: stream, env }, mode) };
}

describe("usableColumns", () => {
  it.each([
    [0, 80],
    [-5, 80],
    [Number.NaN, 80],
    [undefined, 80],
    [3, 20],
    [132, 132],
    [1e9, 1000],
  ])("a terminal reporting %s columns is drawn %i wide", (reported, columns) => {
    expect(usableColumns(reported)).toBe(columns);
  });
});

describe("fitWidth", () => {
  it("counts East Asian wide characters and emoji as two cells and never cuts one in half", () => {
    expect(textWidth("狗🐕a")).toBe(5);
    expect(fitWidth("狗狗狗狗", 5)).toBe("狗狗…");
    expect(textWidth(fitWidth("狗狗狗狗", 5))).toBeLessThanOrEqual(5);
    expect(fitWidth("👨‍👩‍👧👨‍👩‍👧 family", 4)).toBe("👨‍👩‍👧…");
    expect(fitWidth("short", 5)).toBe("short");
    expect(fitWidth("longer", 5)).toBe("long…");
  });
});

describe("DownloadMeter", () => {
  it("shows bytes, percent, rate and ETA from the injected clock", () => {
    let now = 0;
    const meter = new DownloadMeter(() => now);
    expect(meter.update(0, 40 * MiB)).toBe("0 B / 40.0 MiB (0%)");
    now = 2000;
    expect(meter.update(10.4 * MiB, 40 * MiB)).toBe("10.4 MiB / 40.0 MiB (26%) 5.2 MiB/s ETA 6s");
    now = 2500;
    expect(meter.update(12.3 * MiB, 40 * MiB)).toMatch(
      /^12\.3 MiB \/ 40\.0 MiB \(30%\) [\d.]+ MiB\/s ETA \d+s$/,
    );
    expect(meter.update(40 * MiB, 40 * MiB)).toMatch(/\(100%\) [\d.]+ MiB\/s$/);
    expect(new DownloadMeter(() => 0).update(1536, undefined)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.00 GiB");
  });

  it("off a terminal, says so every 5 s or each quarter, not on every chunk", () => {
    let now = 0;
    const meter = new DownloadMeter(() => now);
    const due: number[] = [];
    for (let i = 0; i <= 100; i++) {
      now = i * 100;
      if (meter.plainDue(i, 100)) due.push(i);
    }
    // 10 s of chunks every 100 ms: the first, each quarter, and the 5-second mark between them.
    expect(due).toEqual([0, 25, 50, 75, 100]);
    const slow = new DownloadMeter(() => now);
    const slowDue: number[] = [];
    for (let i = 0; i <= 120; i++) {
      now = i * 100;
      if (slow.plainDue(i, undefined)) slowDue.push(i);
    }
    expect(slowDue).toEqual([0, 50, 100]);
  });

  it("a download off a terminal prints a few lines, not one per chunk", async () => {
    const { writes, out } = recorder();
    let now = 0;
    const display = await createStatusDisplay(out, () => now);
    for (let i = 0; i <= 1000; i++) {
      now = i * 10;
      display.downloading(i * 1000, 1_000_000);
    }
    expect(writes.length).toBeGreaterThan(2);
    expect(writes.length).toBeLessThan(8);
    expect(writes[0]).toBe("downloading 0 B / 976.6 KiB (0%)\n");
  });
});

describe("resolveColorLevel from the stderr stream itself", () => {
  const tty = (depth: number) => ({ isTTY: true, getColorDepth: () => depth });
  it.each([
    ["a 256-colour terminal", {}, tty(8), 2],
    ["a true-colour terminal", {}, tty(24), 3],
    ["a monochrome terminal", {}, tty(1), 0],
    ["TERM=dumb", { TERM: "dumb" }, tty(8), 0],
    ["TERM=dumb with FORCE_COLOR", { TERM: "dumb", FORCE_COLOR: "1" }, tty(8), 1],
    ["NO_COLOR", { NO_COLOR: "1" }, tty(24), 0],
    ["a stream that is no terminal", {}, { isTTY: false, getColorDepth: () => 24 }, 0],
  ])("%s", (_name, env, stream, level) => {
    expect(resolveColorLevel(env, stream, true)).toBe(level);
  });
});

describe("LiveLines off a terminal", () => {
  const task = (status: NormalizedTask["status"], progress: number): NormalizedTask => ({
    id: "t1",
    provider: "sandbox",
    model: "m",
    status,
    progress,
    videoUrl: null,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    raw: {},
  });

  it("prints a line per status change, not per poll", () => {
    const { writes, out } = recorder();
    const live = new LiveLines(out);
    const polls = [task("queued", 0), task("running", 10), task("running", 50), task("running", 90)];
    polls.forEach((t, i) =>
      live.set("line 1", `line 1: ${t.status} ${t.progress}% (${i}s)`, { state: t.status }),
    );
    live.finish("line 1", "line 1: t1 succeeded");
    live.stop();
    expect(writes.join("")).toBe("line 1: queued 0% (0s)\nline 1: running 10% (1s)\nline 1: t1 succeeded\n");
  });
});

describe("LiveRegion", () => {
  function terminal(columns: number) {
    const stream = Object.assign(new EventEmitter(), {
      isTTY: true,
      columns,
      rows: 24,
      writes: [] as string[],
      write(text: string) {
        stream.writes.push(text);
        return true;
      },
    });
    return stream;
  }

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("draws at most one frame per FRAME_MS however often lines change", () => {
    const tty = terminal(80);
    const region = new LiveRegion(tty, () => Date.now());
    for (let i = 0; i < 1000; i++) {
      region.show([`line ${i}`]);
      vi.advanceTimersByTime(1);
    }
    expect(tty.writes.length).toBeLessThanOrEqual(1000 / FRAME_MS + 1);
    region.stop();
  });

  it("after the terminal narrows, erases every row its reflowed lines now take", () => {
    const tty = terminal(80);
    const region = new LiveRegion(tty, () => Date.now());
    region.show(["x".repeat(50), "short"]);
    vi.advanceTimersByTime(FRAME_MS);
    tty.columns = 20;
    tty.emit("resize");
    vi.advanceTimersByTime(FRAME_MS);
    // 50 cells on 20 columns are 3 rows, "short" 1: up 4, then clear to the end of the screen.
    expect(tty.writes[1]?.slice(0, 9)).toBe("\r\u001b[4A\u001b[0J");
    expect(tty.writes[1]).toContain(`${"x".repeat(18)}…\n`);
    region.stop();
    expect(tty.writes.at(-1)).toBe("\r\u001b[2A\u001b[0J");
    expect(tty.listenerCount("resize")).toBe(0);
  });
});
