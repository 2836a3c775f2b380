import type { Movie } from "mp4box";
import { createFile, MP4BoxBuffer } from "mp4box";
import { describe, expect, it } from "vitest";
import { generateMp4 } from "../../src/sandbox/mp4.js";

/** Parses the file with mp4box.js (an independent ISO BMFF reader) and returns its movie summary. */
function parseMovie(file: Buffer): Movie {
  const parser = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  parser.onReady = (info) => {
    movie = info;
  };
  parser.onError = (module, message) => {
    failure = `${module}: ${message}`;
  };
  // A fresh, exactly-sized ArrayBuffer: Node may hand out Buffers that are views into a shared pool.
  parser.appendBuffer(MP4BoxBuffer.fromArrayBuffer(new Uint8Array(file).buffer, 0));
  parser.flush();
  if (failure !== undefined) throw new Error(failure);
  if (movie === undefined) throw new Error("mp4box never reported the movie as ready");
  return movie;
}

/** Top-level box types, read straight from the 32-bit size + fourcc headers. */
function listTopLevelBoxes(file: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 0; offset + 8 <= file.length;) {
    const size = file.readUInt32BE(offset);
    types.push(file.toString("latin1", offset + 4, offset + 8));
    if (size < 8) throw new Error(`bad box size ${size} at ${offset}`);
    offset += size;
  }
  return types;
}

describe("generateMp4", () => {
  it("writes one H.264 Baseline video track with the default size, rate and length", () => {
    const file = generateMp4("task_default");
    const movie = parseMovie(file);
    expect(movie.tracks).toHaveLength(1);
    expect(movie.videoTracks).toHaveLength(1);
    const track = movie.videoTracks[0];
    expect(track?.codec).toMatch(/^avc1\.42/);
    expect(track?.video).toEqual({ width: 64, height: 64 });
    expect(track?.nb_samples).toBe(24);
    expect((track?.duration ?? 0) / (track?.timescale ?? 1)).toBe(2);
    expect(movie.duration / movie.timescale).toBe(2);
    expect(file.length).toBeLessThan(64 * 1024);
  });

  it("honours width, height, fps and frames", () => {
    const movie = parseMovie(generateMp4("task_sized", { width: 96, height: 48, fps: 25, frames: 10 }));
    const track = movie.videoTracks[0];
    expect(track?.video).toEqual({ width: 96, height: 48 });
    expect(track?.nb_samples).toBe(10);
    expect((track?.duration ?? 0) / (track?.timescale ?? 1)).toBe(0.4);
  });

  it("puts moov before mdat (faststart)", () => {
    expect(listTopLevelBoxes(generateMp4("task_layout"))).toEqual(["ftyp", "moov", "mdat"]);
  });

  it("is deterministic per seed and differs between seeds", () => {
    const first = generateMp4("task_same");
    expect(generateMp4("task_same").equals(first)).toBe(true);
    expect(generateMp4("task_other").equals(first)).toBe(false);
  });

  it("rejects sizes that are not multiples of 16", () => {
    expect(() => generateMp4("task_bad", { width: 60 })).toThrow(RangeError);
    expect(() => generateMp4("task_bad", { height: 0 })).toThrow(RangeError);
    expect(() => generateMp4("task_bad", { frames: 0 })).toThrow(RangeError);
  });
});
