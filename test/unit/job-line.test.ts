import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeJobLine, fitJobLine, type JobLine } from "../../src/ui/job-line.js";
import { textWidth } from "../../src/ui/text-width.js";

const ID = "task_an000a40mxcv4ic04hv540nq0dci5bu";
const FOX: JobLine = {
  label: "line 3",
  prompt: "fox in fresh snow, slow motion",
  id: ID,
  state: "running 45% (12s)",
};

describe("a job's line off a terminal (a log line)", () => {
  it("names the job by its label and the start of its prompt, on one line", () => {
    expect(describeJobLine(FOX)).toBe(`line 3 "fox in fresh snow, slow motion": ${ID}: running 45% (12s)`);
    const long = { ...FOX, prompt: "a very\tlong prompt\nthat goes on and on about a fox in the snow" };
    expect(describeJobLine(long)).toBe(
      `line 3 "a very long prompt that goes on and on…": ${ID}: running 45% (12s)`,
    );
    expect(describeJobLine({ ...FOX, prompt: "", label: "" })).toBe(`${ID}: running 45% (12s)`);
    expect(describeJobLine({ ...FOX, id: "", state: "submitting to sandbox" })).toBe(
      'line 3 "fox in fresh snow, slow motion": submitting to sandbox',
    );
  });

  it("takes no control sequence from a prompt or an id", () => {
    const hostile = { ...FOX, prompt: "fox\u001b[2Jin snow", id: "task_\u001b]0;x\u0007a" };
    expect(describeJobLine(hostile)).not.toContain("\u001b");
  });
});

describe("fitting a job's line to a terminal's width", () => {
  it("a line that fits is the log line", () => {
    expect(fitJobLine(FOX, 200)).toBe(describeJobLine(FOX));
  });

  it("gives up the middle of the id first", () => {
    const line = fitJobLine(FOX, 79);
    expect(textWidth(line)).toBe(79);
    expect(line).toMatch(
      /^line 3 "fox in fresh snow, slow motion": task_an0\w+…\w+ci5bu: running 45% \(12s\)$/,
    );
  });

  it("then cuts the prompt at its end, the id keeping both its ends", () => {
    expect(fitJobLine(FOX, 56)).toBe('line 3 "fox in fre…": task_an…0dci5bu: running 45% (12s)');
  });

  it("with a prompt beside it, an id is shown by both its ends or not at all", () => {
    for (let width = 30; width <= 80; width++) {
      const line = fitJobLine(FOX, width);
      const id = /task_\S*(?=: )/.exec(line)?.[0];
      if (id !== undefined) expect(textWidth(id), line).toBeGreaterThanOrEqual(15);
    }
  });

  it("at 40 columns keeps the label, the prompt's start, status, percent and elapsed time", () => {
    const line = fitJobLine(FOX, 39);
    expect(textWidth(line)).toBeLessThanOrEqual(39);
    expect(line).toMatch(/^line 3 "fox in f\S*…": /);
    expect(line).toMatch(/: running 45% \(12s\)$/);
  });

  it("narrower still: the label and the state, then the state alone, cut at its end", () => {
    expect(fitJobLine(FOX, 26)).toBe("line 3: running 45% (12s)");
    expect(fitJobLine(FOX, 17)).toBe("running 45% (12s)");
    expect(fitJobLine(FOX, 12)).toBe("running 45%…");
  });

  it("a single job (no label, no prompt) keeps its id down to 5 cells before giving it up", () => {
    const single = { ...FOX, label: "", prompt: "" };
    expect(fitJobLine(single, 30)).toBe("task_…ci5bu: running 45% (12s)");
    expect(fitJobLine(single, 24)).toBe("ta…bu: running 45% (12s)");
    expect(fitJobLine(single, 20)).toBe("running 45% (12s)");
  });

  it("counts wide characters and emoji as two cells and never cuts one in half", () => {
    const wide = { ...FOX, prompt: "一只狗在海滩上奔跑的慢动作镜头 🐕🌊 and more" };
    for (const width of [39, 45, 60, 79]) {
      const line = fitJobLine(wide, width);
      expect(textWidth(line), line).toBeLessThanOrEqual(width);
      expect(line, line).toMatch(/^line 3 "一只狗/);
      expect(line.endsWith(": running 45% (12s)"), line).toBe(true);
      expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it("never passes the width, and keeps the state whole wherever the state alone fits", () => {
    const text = fc.string({ unit: fc.constantFrom("a", " ", "狗", "🐕", "\t", "\n", "é"), maxLength: 80 });
    fc.assert(
      fc.property(
        fc.record({
          label: fc.constantFrom("", "line 12"),
          prompt: text,
          id: fc.constantFrom("", ID, "t1"),
          state: fc.constantFrom("queued (0s)", "running 100% (12m30s)"),
        }),
        fc.integer({ min: 1, max: 160 }),
        (line, width) => {
          const fitted = fitJobLine(line, width);
          expect(textWidth(fitted)).toBeLessThanOrEqual(width);
          if (width >= textWidth(line.state)) expect(fitted.endsWith(line.state)).toBe(true);
        },
      ),
    );
  });
});
