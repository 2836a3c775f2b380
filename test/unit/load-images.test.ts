import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadImages, MAX_IMAGE_BYTES, sniffImageType } from "../../src/core/jobs/load-images.js";
import { UsageError } from "../../src/util/errors.js";
import { duoyuanx } from "../../src/providers/duoyuanx.js";
import { findModel } from "../../src/providers/registry.js";
import type { ModelSpec } from "../../src/providers/types.js";
import { rejected } from "./support.js";

/** Real 1x1 images (the smallest well-formed file of each format). */
const IMAGES = {
  png: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  jpeg: "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  gif: "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
  webp: "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==",
} as const;

function model(name: string): ModelSpec {
  const found = findModel(duoyuanx, name);
  if (!found) throw new Error(`no model ${name}`);
  return found;
}
const preview = model("grok-imagine-video-1.5-preview");
const pro = model("grok-video-1.5-pro");

let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-images-"));
  for (const [kind, b64] of Object.entries(IMAGES))
    await writeFile(file(`tiny.${kind}`), Buffer.from(b64, "base64"));
  // Named .png, but it is a JPEG: the type must come from the bytes.
  await writeFile(file("mislabelled.png"), Buffer.from(IMAGES.jpeg, "base64"));
  await writeFile(file("notes.png"), "this is text, not an image\n");
  await writeFile(file("empty.png"), "");
  await mkdir(file("folder.png"));
  // Sparse: no 20 MB is written, the size alone trips the limit.
  await writeFile(file("huge.png"), Buffer.from(IMAGES.png, "base64"));
  await truncate(file("huge.png"), MAX_IMAGE_BYTES + 1);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("sniffImageType", () => {
  it.each(Object.entries(IMAGES))("recognises %s from its bytes", (kind, b64) => {
    expect(sniffImageType(Buffer.from(b64, "base64"))).toBe(`image/${kind}`);
  });

  it.each([
    ["empty", new Uint8Array()],
    ["text", Buffer.from("hello world")],
    ["RIFF but not WEBP (a WAV)", Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1")],
    ["truncated PNG signature", new Uint8Array([0x89, 0x50])],
  ])("returns undefined for %s", (_name, bytes) => {
    expect(sniffImageType(bytes)).toBeUndefined();
  });
});

describe("loadImages", () => {
  it("passes URLs through untouched", async () => {
    const ref = { kind: "url", url: "https://example.com/a.png" } as const;
    expect(await loadImages([ref], preview)).toEqual([ref]);
  });

  it.each(Object.entries(IMAGES))(
    "turns a local .%s into a data URI for the preview model",
    async (kind, b64) => {
      const [loaded] = await loadImages([{ kind: "file", path: file(`tiny.${kind}`) }], preview);
      expect(loaded).toEqual({ kind: "data-uri", uri: `data:image/${kind};base64,${b64}` });
    },
  );

  it("takes the mime type from the bytes, not the file name", async () => {
    const [loaded] = await loadImages([{ kind: "file", path: file("mislabelled.png") }], preview);
    expect(loaded).toMatchObject({ kind: "data-uri" });
    expect(loaded?.kind === "data-uri" && loaded.uri.startsWith("data:image/jpeg;base64,")).toBe(true);
  });

  it("keeps a well-formed data URI as it is for the preview model", async () => {
    const uri = `data:image/png;base64,${IMAGES.png}`;
    expect(await loadImages([{ kind: "data-uri", uri }], preview)).toEqual([{ kind: "data-uri", uri }]);
  });

  it("reads a local file into a multipart part for the grok-video-1.5 family", async () => {
    const path = file("tiny.png");
    const [loaded] = await loadImages([{ kind: "file", path }], pro);
    expect(loaded).toMatchObject({ kind: "file", path, filename: "tiny.png", mime: "image/png" });
    expect(
      loaded?.kind === "file" && Buffer.from(loaded.data).equals(Buffer.from(IMAGES.png, "base64")),
    ).toBe(true);
  });

  it("decodes a data URI into a multipart part for the grok-video-1.5 family", async () => {
    const [loaded] = await loadImages(
      [{ kind: "data-uri", uri: `data:image/gif;base64,${IMAGES.gif}` }],
      pro,
    );
    expect(loaded).toMatchObject({ kind: "file", filename: "reference.gif", mime: "image/gif" });
  });

  it.each([
    ["a missing file", "missing.png", "no such file"],
    ["a folder", "folder.png", "no such file"],
    ["a text file", "notes.png", "not a PNG, JPEG, WebP or GIF"],
    ["an empty file", "empty.png", "not a PNG, JPEG, WebP or GIF"],
    ["a file over 20 MB", "huge.png", "limit"],
  ])("refuses %s with a UsageError naming --image and the path", async (_name, name, reason) => {
    const err = await rejected(() => loadImages([{ kind: "file", path: file(name) }], preview));
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ exitCode: 2 });
    expect(String(err)).toContain("--image");
    expect(String(err)).toContain(file(name));
    expect(String(err)).toContain(reason);
  });

  it("refuses a malformed data URI for both dialects", async () => {
    for (const spec of [preview, pro]) {
      const err = await rejected(() =>
        loadImages([{ kind: "data-uri", uri: "data:text/plain;base64,aGk=" }], spec),
      );
      expect(err).toBeInstanceOf(UsageError);
      expect(String(err)).toContain("data:image/png;base64");
    }
  });

  it("keeps the order of several references", async () => {
    const loaded = await loadImages(
      [
        { kind: "file", path: file("tiny.gif") },
        { kind: "file", path: file("tiny.webp") },
      ],
      preview,
    );
    expect(loaded.map((l) => (l.kind === "data-uri" ? l.uri.slice(0, 16) : l.kind))).toEqual([
      "data:image/gif;b",
      "data:image/webp;",
    ]);
  });
});

describe("loadImages with allowRead: local images only from inside the allowed folders", () => {
  let root = "";
  const at = (...parts: string[]) => join(root, ...parts);
  const access = (allowRead: string[]) => ({ cwd: root, allowRead });
  const png = Buffer.from(IMAGES.png, "base64");

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "grokvid-fence-"));
    await mkdir(at("allowed", "sub"), { recursive: true });
    await mkdir(at("outside"));
    await writeFile(at("allowed", "sub", "in.png"), png);
    await writeFile(at("allowed", "notes.png"), "text, not an image\n");
    await writeFile(at("outside", "secret.png"), png);
    // Links planted inside the folder: to a file outside, to a folder outside, and one that stays inside.
    await symlink(at("outside", "secret.png"), at("allowed", "link-out.png"));
    await symlink(at("outside"), at("allowed", "dir-out"));
    await symlink(at("allowed", "sub", "in.png"), at("allowed", "link-in.png"));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const load = (path: string, allowRead = ["allowed"]) =>
    loadImages([{ kind: "file", path }], preview, access(allowRead));

  it("reads an image that lies inside, by a relative or an absolute path", async () => {
    const [loaded] = await load("allowed/sub/in.png");
    expect(loaded).toEqual({ kind: "data-uri", uri: `data:image/png;base64,${IMAGES.png}` });
    expect(await load(at("allowed", "sub", "in.png"))).toEqual([loaded]);
    // A link that stays inside the folder is the file it names.
    expect(await load(at("allowed", "link-in.png"))).toEqual([loaded]);
  });

  it.each([
    ["a file outside", "outside/secret.png"],
    ["a path that climbs out", "allowed/../outside/secret.png"],
    ["a link to a file outside", "allowed/link-out.png"],
    ["a path through a link to a folder outside", "allowed/dir-out/secret.png"],
  ])("refuses %s, naming the folders", async (_name, path) => {
    const err = await rejected(() => load(path));
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toContain(
      `--image ${path}: outside the folders local images may be read from (allowed)`,
    );
  });

  it("refuses a file inside that is no image by its bytes", async () => {
    expect(String(await rejected(() => load("allowed/notes.png")))).toContain("not a PNG, JPEG, WebP or GIF");
  });

  it("with no folder allowed, refuses every local file but still takes URLs and data: URIs", async () => {
    const err = await rejected(() => load("allowed/sub/in.png", []));
    expect(String(err)).toContain("local image files cannot be read here");
    const url = { kind: "url", url: "https://example.com/a.png" } as const;
    const uri = { kind: "data-uri", uri: `data:image/png;base64,${IMAGES.png}` } as const;
    expect(await loadImages([url, uri], preview, access([]))).toEqual([url, uri]);
  });

  it("a missing file is missing, inside or out", async () => {
    expect(String(await rejected(() => load("allowed/none.png")))).toContain("no such file");
  });
});
