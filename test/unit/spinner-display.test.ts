import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NormalizedTask } from "../../src/providers/types.js";
import { Output } from "../../src/ui/output.js";
import { FRAME_MS } from "../../src/ui/spinner-display.js";
import { createStatusDisplay } from "../../src/ui/status-display.js";
import { fitTaskLine } from "../../src/ui/task-line.js";
import { fitMiddle, textWidth } from "../../src/ui/text-width.js";
import { replayScreen } from "../helpers/pty.js";

const ID = "task_an000a40mxcv4ic04hv540nq0dci5bu";
const FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

function task(status: NormalizedTask["status"], progress: number | null): NormalizedTask {
  return {
    id: ID,
    provider: "sandbox",
    model: "m",
    status,
    progress,
    videoUrl: null,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    raw: {},
  };
}

/** A terminal as a test sees it: a size, and everything written to it. */
function terminal(columns: number, env: Record<string, string> = {}) {
  const stream = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns,
    rows: 24,
    text: "",
    write(text: string | Uint8Array) {
      stream.text += typeof text === "string" ? text : Buffer.from(text).toString();
      return true;
    },
  });
  const mode = { json: false, quiet: false, verbose: false, color: true };
  const out = new Output(
    { stdout: { write: () => true }, stderr: stream, env: { TERM: "xterm", ...env } },
    mode,
  );
  return { stream, out };
}

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe("the single-job spinner (ora) on a terminal stream", () => {
  it("ticks the elapsed time between polls, and prints other lines above itself", async () => {
    const { stream, out } = terminal(80, { NO_COLOR: "1" });
    const display = await createStatusDisplay(out, Date.now);
    display.update(task("running", 45), 1000);
    vi.advanceTimersByTime(3 * FRAME_MS);
    expect(replayScreen(stream.text, 80).lines).toEqual([expect.stringMatching(/running 45% \(1s\)$/)]);
    vi.advanceTimersByTime(2000);
    out.warn("the gateway is slow");
    vi.advanceTimersByTime(FRAME_MS);
    const screen = replayScreen(stream.text, 80).lines;
    expect(screen).toEqual(["warning: the gateway is slow", expect.stringMatching(/running 45% \(3s\)$/)]);
    expect(screen[1]).toMatch(FRAME);
    display.stop();
    expect(replayScreen(stream.text, 80).lines).toEqual(["warning: the gateway is slow"]);
    const written = stream.text.length;
    vi.advanceTimersByTime(10 * FRAME_MS);
    expect(stream.text.length).toBe(written);
  });

  it("shows the download meter, redrawn once a frame however many chunks come", async () => {
    const { stream, out } = terminal(80, { NO_COLOR: "1" });
    const display = await createStatusDisplay(out, Date.now);
    for (let i = 0; i <= 1000; i++) {
      display.downloading(i * 1000, 1_000_000);
      vi.advanceTimersByTime(1);
    }
    const frames = stream.text.split("downloading").length - 1;
    expect(frames).toBeLessThanOrEqual(1000 / FRAME_MS + 2);
    expect(replayScreen(stream.text, 80).lines).toEqual([
      expect.stringMatching(/^. downloading 9\d\d\.\d KiB \/ 976\.6 KiB \(\d+%\) [\d.]+ KiB\/s ETA \ds$/),
    ]);
    display.stop();
    expect(replayScreen(stream.text, 80).lines).toEqual([]);
  });

  it("a terminal reporting 0 columns is drawn 80 wide: every frame one row, erased exactly", async () => {
    const { stream, out } = terminal(0, { NO_COLOR: "1" });
    const display = await createStatusDisplay(out, Date.now);
    display.update({ ...task("running", 7), id: `${ID}${"x".repeat(200)}` }, 0);
    vi.advanceTimersByTime(1000);
    // Ten frames a second, each erasing one row: before the stream's width was pinned, ora
    // counted Infinity rows here and never returned from erasing them.
    expect(stream.text.length).toBeLessThan(2000);
    expect(stream.text).not.toContain("\u001b[1A");
    const [line] = replayScreen(stream.text, 80).lines;
    expect(textWidth(line ?? "")).toBe(79);
    expect(line).toMatch(/… *\w*: running 7% \(1s\)$/);
    display.stop();
  });

  it("after the terminal narrows, erases every row the reflowed line took and redraws it to fit", async () => {
    const { stream, out } = terminal(80, { NO_COLOR: "1" });
    const display = await createStatusDisplay(out, Date.now);
    display.update(task("running", 45), 0);
    vi.advanceTimersByTime(FRAME_MS);
    // "⠋ " + 35 cells of id + ": running 45% (0s)": 55 cells are 2 rows at 30 columns.
    stream.columns = 30;
    stream.emit("resize");
    const erase = "\r\u001b[1A\u001b[0J\r";
    expect(stream.text).toContain(erase);
    const after = stream.text.slice(stream.text.indexOf(erase));
    vi.advanceTimersByTime(FRAME_MS);
    const [line, ...rest] = replayScreen(after, 30).lines;
    expect(rest).toEqual([]);
    expect(textWidth(line ?? "")).toBeLessThanOrEqual(29);
    expect(line).toMatch(/…\w+: running 45% \(0s\)$/);
    display.stop();
    expect(stream.listenerCount("resize")).toBe(0);
  });

  it("paints the frame at Output's colour level, and only the frame", async () => {
    const colored = terminal(80, { FORCE_COLOR: "1" });
    const display = await createStatusDisplay(colored.out, Date.now);
    display.update(task("queued", null), 0);
    vi.advanceTimersByTime(FRAME_MS);
    // eslint-disable-next-line no-control-regex -- the colour's escapes are what is checked
    expect(colored.stream.text).toMatch(/\u001b\[36m[⠋⠙]\u001b\[39m task_/);
    display.stop();
    const plain = terminal(80, { NO_COLOR: "1" });
    const other = await createStatusDisplay(plain.out, Date.now);
    other.update(task("queued", null), 0);
    vi.advanceTimersByTime(FRAME_MS);
    expect(plain.stream.text).not.toContain("\u001b[3");
    other.stop();
  });
});

describe("fitting a task's line", () => {
  it("cuts the id in its middle so status, percent and elapsed time stay in view", () => {
    const line = fitTaskLine(task("running", 45), 65_000, 37);
    expect(textWidth(line)).toBeLessThanOrEqual(37);
    expect(line).toMatch(/^task_an\w+…\w+i5bu: running 45% \(1m5s\)$/);
    expect(fitTaskLine(task("running", 45), 0, 80)).toBe(`${ID}: running 45% (0s)`);
    // Too narrow for any id: the state alone, cut at its end.
    expect(fitTaskLine(task("running", 45), 0, 12)).toBe("running 45%…");
  });

  it("fitMiddle counts cells and never cuts a wide character in half", () => {
    expect(fitMiddle("abcdefghij", 7)).toBe("abc…hij");
    expect(fitMiddle("狗狗狗狗狗狗", 7)).toBe("狗…狗狗");
    expect(textWidth(fitMiddle("狗狗狗狗狗狗", 7))).toBeLessThanOrEqual(7);
    expect(fitMiddle("short", 5)).toBe("short");
  });
});
