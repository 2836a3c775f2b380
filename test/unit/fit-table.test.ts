import { describe, expect, it } from "vitest";
import { abbreviateList, type Column, describeFit, fitTable } from "../../src/ui/fit-table.js";
import { renderTable } from "../../src/ui/table.js";
import { fitMiddle, textWidth } from "../../src/ui/text-width.js";

const ID = "task_an000a40mxcv4ic04hv540nq0dci5bu";
const FILE = "videos/sandbox-task_an000a40mxcv4ic04hv540nq0dci5bu.mp4";
const COLUMNS: Column[] = [
  { header: "ID", giveWay: 3, min: 15, floor: 9, cut: fitMiddle },
  { header: "STATUS" },
  { header: "PROMPT", giveWay: 2, min: 10, optional: true },
  { header: "FILE", giveWay: 1, min: 12, optional: true, cut: fitMiddle },
];
const ROWS = [
  [ID, "succeeded", "fox in fresh snow, slow motion", FILE],
  ["task_2", "running", "dog", ""],
];

function fits(lines: readonly string[], width: number): void {
  for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(width);
}

describe("fitting a table to a terminal's width", () => {
  it("a table that fits is drawn whole, as renderTable draws it", () => {
    const table = fitTable(COLUMNS, ROWS, 200);
    expect(table.lines).toEqual(renderTable(["ID", "STATUS", "PROMPT", "FILE"], ROWS));
    expect(table).toMatchObject({ omitted: [], shortened: [] });
    expect(describeFit(table, 200)).toBeUndefined();
  });

  it("the column that gives way first is cut first, in its own way (a path in its middle)", () => {
    const table = fitTable(COLUMNS, ROWS, 100);
    fits(table.lines, 100);
    expect(table.lines[1]).toBe(`${ID}  succeeded  fox in fresh snow, slow motion  videos/sa…ci5bu.mp4`);
    expect(table).toMatchObject({ omitted: [], shortened: ["FILE"] });
  });

  it("then the next, each down to its least before the one after it is touched", () => {
    const table = fitTable(COLUMNS, ROWS, 80);
    fits(table.lines, 80);
    expect(table.lines[1]).toBe(`${ID}  succeeded  fox in fresh sno…  videos…u.mp4`);
    expect(table.shortened).toEqual(["PROMPT", "FILE"]);
  });

  it("a column that cannot fit at its least is left out, and the others get its room back", () => {
    const table = fitTable(COLUMNS, ROWS, 45);
    fits(table.lines, 45);
    expect(table.lines[0]).toMatch(/^ID +STATUS +PROMPT$/);
    expect(table.lines[1]).toBe("task_an000a…0nq0dci5bu  succeeded  fox in fr…");
    expect(table).toMatchObject({ omitted: ["FILE"], shortened: ["ID", "PROMPT"] });
    expect(describeFit(table, 45)).toBe("FILE left out to fit 45 columns; --wide shows all");
    expect(describeFit(fitTable(COLUMNS, ROWS, 100), 100)).toBe(
      "values cut (…) to fit 100 columns; --wide shows all",
    );
  });

  it("with every optional column gone, columns are cut to their floor", () => {
    const table = fitTable(COLUMNS, ROWS, 20);
    fits(table.lines, 20);
    expect(table.lines[1]).toBe("task…i5bu  succeeded");
    expect(table.omitted).toEqual(["PROMPT", "FILE"]);
    expect(describeFit(table, 20)).toBe("PROMPT and FILE left out to fit 20 columns; --wide shows all");
  });

  it("pads by cells, so wide characters and emoji keep the columns aligned", () => {
    const rows = [
      ["t1", "queued", "一只狗在海滩上奔跑 🐕", "a.mp4"],
      ["t2", "running", "a fox", "b.mp4"],
    ];
    const table = fitTable(COLUMNS, rows, 30);
    fits(table.lines, 30);
    const at = (line: string, cell: string) => textWidth(line.slice(0, line.indexOf(cell)));
    expect(at(table.lines[1] ?? "", "a.mp4")).toBe(at(table.lines[2] ?? "", "b.mp4"));
  });
});

describe("abbreviateList", () => {
  const ratios = "16:9 9:16 1:1 4:3 3:4 3:2 2:3";
  it("keeps the first items that fit and says how many more there are", () => {
    expect(abbreviateList(ratios, 40)).toBe(ratios);
    expect(abbreviateList(ratios, 12)).toBe("16:9 9:16 +5");
    expect(abbreviateList(ratios, 8)).toBe("16:9 +6");
    expect(abbreviateList(ratios, 4)).toBe("16:…");
  });
});
