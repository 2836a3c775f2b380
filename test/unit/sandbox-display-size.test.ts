import { describe, expect, it } from "vitest";
import { capShortSide, computeDisplaySize } from "../../src/sandbox/display-size.js";
import { encodeTaskId } from "../../src/sandbox/ids.js";
import { describeTaskVideo } from "../../src/sandbox/task-video.js";

describe("the sandbox's delivered display sizes", () => {
  it("the resolution names the short side, in either orientation", () => {
    expect(computeDisplaySize("16:9", "720P")).toEqual({ width: 1280, height: 720 });
    expect(computeDisplaySize("9:16", "720P")).toEqual({ width: 720, height: 1280 });
    expect(computeDisplaySize("16:9", "480P")).toEqual({ width: 854, height: 480 });
    expect(computeDisplaySize("1:1", "1080P")).toEqual({ width: 1080, height: 1080 });
    expect(computeDisplaySize("19.5:9", "480P")).toEqual({ width: 1040, height: 480 });
    expect(computeDisplaySize("2:3", "540P")).toEqual({ width: 540, height: 810 });
  });

  it("no ratio or resolution means 16:9 at 720p", () => {
    expect(computeDisplaySize(undefined, undefined)).toEqual({ width: 1280, height: 720 });
    expect(computeDisplaySize("nonsense", "480P")).toEqual({ width: 854, height: 480 });
  });

  it("an edit's 720p cap shrinks the short side and keeps the shape", () => {
    expect(capShortSide({ width: 1920, height: 1080 }, 720)).toEqual({ width: 1280, height: 720 });
    expect(capShortSide({ width: 480, height: 854 }, 720)).toEqual({ width: 480, height: 854 });
  });

  it("a task's video lasts its seconds and declares its size over a small coded picture", () => {
    const id = encodeTaskId({
      dialect: "apimart",
      outcome: "normal",
      createdMs: 0,
      seconds: 10,
      resolution: "720P",
      width: 720,
      height: 1280,
    });
    const video = describeTaskVideo(id);
    expect(video.display).toEqual({ width: 720, height: 1280 });
    expect((video.frames ?? 0) / (video.fps ?? 1)).toBe(10);
    expect(video.width).toBe(64);
    expect(video.height).toBe(112);
  });

  it("an id without a size or length keeps the original 2 s 64x64 clip", () => {
    const id = encodeTaskId({ dialect: "jimmyai", outcome: "normal", createdMs: 0 });
    expect(describeTaskVideo(id)).toEqual({ fps: 12, frames: 24 });
  });
});
