import { describe, expect, it } from "vitest";
import {
  compareDelivered,
  describeDelivery,
  requestedShapeOf,
} from "../../src/core/media/delivered-check.js";

const params = { prompt: "a fox", images: [] };

describe("what was asked", () => {
  it("a generation is checked on its length, ratio and resolution where they were given", () => {
    expect(requestedShapeOf({ ...params, duration: 6, ratio: "9:16", resolution: 720 })).toEqual({
      durationSec: 6,
      ratio: "9:16",
      resolution: 720,
    });
    expect(requestedShapeOf(params)).toEqual({});
    // The journal's expected length (a model's documented default) counts as asked.
    expect(requestedShapeOf({ ...params, seconds: 8 })).toEqual({ durationSec: 8 });
  });

  it("an edit or extension is checked only on the length the journal expects of it", () => {
    const source = { operation: "extend" as const, from: "xai_1" };
    expect(requestedShapeOf({ ...params, source, duration: 4, seconds: 12, ratio: "1:1" })).toEqual({
      durationSec: 12,
    });
    expect(requestedShapeOf({ ...params, source, duration: 4 })).toEqual({});
  });
});

describe("what was delivered", () => {
  it("the report's own case: 720p 9:16 asked, 480p landscape delivered", () => {
    const got = compareDelivered(
      { ratio: "9:16", resolution: 720 },
      { width: 854, height: 480, durationSec: 6 },
    );
    expect(got).toEqual(["854x480 landscape where 9:16 was asked", "480p where 720p was asked"]);
  });

  it("what was asked, within rounding, is no difference", () => {
    expect(
      compareDelivered(
        { durationSec: 6, ratio: "16:9", resolution: 480 },
        { width: 854, height: 480, durationSec: 6.04 },
      ),
    ).toEqual([]);
    expect(
      compareDelivered({ ratio: "19.5:9", resolution: 720 }, { width: 1560, height: 720, durationSec: 1 }),
    ).toEqual([]);
    // A macroblock crop is still 720p; a higher resolution than asked is not a complaint.
    expect(compareDelivered({ resolution: 720 }, { width: 1280, height: 718, durationSec: 1 })).toEqual([]);
    expect(compareDelivered({ resolution: 480 }, { width: 1920, height: 1080, durationSec: 1 })).toEqual([]);
  });

  it("more than half a second off is a difference; exactly half is not", () => {
    expect(compareDelivered({ durationSec: 10 }, { width: 2, height: 2, durationSec: 9.5 })).toEqual([]);
    expect(compareDelivered({ durationSec: 10 }, { width: 2, height: 2, durationSec: 9.4 })).toEqual([
      "9.4 s where 10 s was asked",
    ]);
  });

  it("4:3 is not 16:9, and a square says so", () => {
    expect(compareDelivered({ ratio: "16:9" }, { width: 960, height: 720, durationSec: 1 })).toEqual([
      "960x720 landscape where 16:9 was asked",
    ]);
    expect(compareDelivered({ ratio: "9:16" }, { width: 720, height: 720, durationSec: 1 })).toEqual([
      "720x720 square where 9:16 was asked",
    ]);
  });

  it("one warning line per video, naming the task; an unreadable header is reported, never passed", () => {
    const saved = { path: "/v/a.mp4", delivered: { width: 854, height: 480, durationSec: 6 } };
    expect(describeDelivery("t1", { ...params, ratio: "9:16" }, saved)).toEqual([
      "task t1: the gateway delivered 854x480 landscape where 9:16 was asked",
    ]);
    expect(describeDelivery("t1", { ...params, ratio: "16:9" }, saved)).toEqual([]);
    expect(describeDelivery("t1", undefined, saved)).toEqual([]);
    expect(describeDelivery("t1", undefined, { path: "/v/a.mp4", headerProblem: "no moov box" })).toEqual([
      "task t1: /v/a.mp4 has no readable video header (no moov box); it may not play",
    ]);
  });
});
