import { mkdir, readdir, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PNG_1X1 } from "../fixtures/images.js";
import { useE2e } from "../helpers/e2e.js";
import { type McpSession, startMcp } from "../helpers/mcp.js";
import { posts, PNG_DATA_URI } from "../helpers/platform-e2e.js";

// Issue 24, acceptance 3: local images only from --allow-read, downloads only into --out-dir.
const e2e = useE2e();
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const at = (...parts: string[]) => join(e2e.dir, ...parts);

beforeEach(async () => {
  await mkdir(at("pictures", "sub"), { recursive: true });
  await mkdir(at("private"));
  await mkdir(at("videos"));
  await writeFile(at("pictures", "sub", "cat.png"), PNG_1X1);
  await writeFile(at("pictures", "notes.png"), "a shopping list, not an image\n");
  await writeFile(at("private", "secret.png"), PNG_1X1);
  // Planted in the allowed folder: a link to a file outside it, and one to a folder outside it.
  await symlink(at("private", "secret.png"), at("pictures", "innocent.png"));
  await symlink(at("private"), at("pictures", "more"));
  // And in the output folder, a link that leads out of it.
  await symlink(at("private"), at("videos", "elsewhere"));
});

async function serve(extra: string[]): Promise<McpSession> {
  const env = { ...e2e.envFor("fal"), GROKVID_HOME: at("home") };
  session = await startMcp(["--provider", "fal", "--interval", "100ms", "--out-dir", "videos", ...extra], {
    cwd: e2e.dir,
    env,
  });
  return session;
}

const fields = (image: string) =>
  [
    ["image", { image }],
    ["reference_images", { model: "grok-imagine-video-1.5", reference_images: [image] }],
  ] as const;

describe("--allow-read: local images only from inside the folder, only real images", () => {
  it("reads an image inside it and sends it inline; a relative path is taken from the folder", async () => {
    const mcp = await serve(["--allow-read", "pictures"]);
    for (const image of [at("pictures", "sub", "cat.png"), "sub/cat.png"]) {
      const r = await mcp.call("create_video", { prompt: "a cat", image });
      expect(r.isError, r.text).toBeFalsy();
    }
    const sent = ["/fal/xai/grok-imagine-video/image-to-video", { prompt: "a cat", image_url: PNG_DATA_URI }];
    expect(posts(e2e.sandbox.requests)).toEqual([sent, sent]);
  });

  const OUTSIDE = "outside the folders local images may be read from";
  it.each([
    ["a file outside it", ["private", "secret.png"], OUTSIDE],
    ["a link in it that leads out", ["pictures", "innocent.png"], OUTSIDE],
    ["a path through a linked folder", ["pictures", "more", "secret.png"], OUTSIDE],
    ["a file in it that is no image", ["pictures", "notes.png"], "not a PNG, JPEG, WebP or GIF image"],
  ])("refuses %s, as image and as a reference image, and sends nothing", async (_name, parts, reason) => {
    const path = at(...parts);
    const mcp = await serve(["--allow-read", "pictures"]);
    for (const [field, args] of fields(path)) {
      const r = await mcp.call("create_video", { prompt: "a cat <IMAGE_0>", ...args });
      expect(r.isError, field).toBe(true);
      expect(r.text).toBe(
        `${field} ${path}: ${reason}${reason.startsWith("outside") ? ` (${at("pictures")})` : ""}`,
      );
    }
    expect(e2e.sandbox.requests).toEqual([]);
    // Nothing was counted either: the refused creates sent nothing.
    const listed = await mcp.call("list_providers");
    expect(listed.structuredContent?.budget).toMatchObject({ jobs: { created: 0 } });
  });

  it("without --allow-read, reads no local file at all, but takes URLs and data: URIs", async () => {
    const mcp = await serve([]);
    const r = await mcp.call("create_video", { prompt: "a cat", image: at("pictures", "sub", "cat.png") });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("local image files cannot be read here");
    expect(e2e.sandbox.requests).toEqual([]);
    const inline = await mcp.call("create_video", { prompt: "a cat", image: PNG_DATA_URI });
    expect(inline.isError, inline.text).toBeFalsy();
    const tools = await mcp.client.listTools();
    const image = tools.tools.find((t) => t.name === "create_video")?.inputSchema.properties?.image;
    expect(JSON.stringify(image)).toContain("this server reads no local files");
  });
});

describe("--out-dir: downloads only inside it", () => {
  it.each([
    ["a path that climbs out", "../stolen.mp4", "is outside this server's output folder"],
    ["an absolute path elsewhere", "/tmp/grokvid-mcp-stolen.mp4", "is outside this server's output folder"],
    ["a path through a link in it", "elsewhere/stolen.mp4", "is a link"],
  ])("refuses %s, before any request", async (_name, path, reason) => {
    const mcp = await serve([]);
    const created = await mcp.call("create_video", { prompt: "a fox", wait_seconds: 20 });
    const id = (created.structuredContent?.task as { id: string }).id;
    const before = e2e.sandbox.requests.length;
    const r = await mcp.call("download_job", { id, path });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(`path ${path}`);
    expect(r.text).toContain(reason);
    expect(e2e.sandbox.requests.length).toBe(before);
    expect(await readdir(at("private"))).toEqual(["secret.png"]);
    expect((await readdir(e2e.dir)).filter((f) => f.endsWith(".mp4"))).toEqual([]);
  });

  it("writes a path inside it, creating the folders on the way", async () => {
    const mcp = await serve([]);
    const created = await mcp.call("create_video", { prompt: "a fox", wait_seconds: 20 });
    const id = (created.structuredContent?.task as { id: string }).id;
    const r = await mcp.call("download_job", { id, path: "foxes/first.mp4" });
    expect(r.structuredContent).toMatchObject({ downloaded: true, path: at("videos", "foxes", "first.mp4") });
  });
});

describe("fences that stay where the server found them (security review)", () => {
  it("an allowed folder swapped for a link while serving holds nothing: no file behind the link is read", async () => {
    const mcp = await serve(["--allow-read", "pictures"]);
    await rename(at("pictures"), at("pictures.bak"));
    await symlink(at("private"), at("pictures"));
    const r = await mcp.call("create_video", { prompt: "a cat", image: at("private", "secret.png") });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("outside the folders local images may be read from");
    const through = await mcp.call("create_video", { prompt: "a cat", image: at("pictures", "secret.png") });
    expect(through.isError).toBe(true);
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("an output folder swapped for a link while serving takes no download", async () => {
    const mcp = await serve([]);
    const created = await mcp.call("create_video", { prompt: "a fox", wait_seconds: 20 });
    const id = (created.structuredContent?.task as { id: string }).id;
    await rename(at("videos"), at("videos.bak"));
    await symlink(at("private"), at("videos"));
    const r = await mcp.call("download_job", { id, path: "evil.mp4" });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("is not where it was when this server started");
    expect(await readdir(at("private"))).toEqual(["secret.png"]);
  });

  it("a text file that starts with GIF is no image; a NUL in a download path is a usage error", async () => {
    await writeFile(at("pictures", "gift.gif"), "GIFT card codes: 1234\n");
    const mcp = await serve(["--allow-read", "pictures"]);
    const r = await mcp.call("create_video", { prompt: "a cat", image: at("pictures", "gift.gif") });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("not a PNG, JPEG, WebP or GIF image");
    const nul = await mcp.call("download_job", { id: "fal_x", path: "a\u0000b.mp4" });
    expect(nul.isError).toBe(true);
    expect(nul.text).toBe("path holds a NUL character");
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
