import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { UsageError } from "../errors.js";
import type { ImageRef, LoadedImage, ModelSpec } from "../providers/types.js";

/** new-api forks cap reference uploads at 20 MB; larger inline images are refused by gateways anyway. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const signatures: ReadonlyArray<{ mime: string; test: (b: Uint8Array) => boolean }> = [
  { mime: "image/png", test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mime: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/gif", test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 },
  {
    mime: "image/webp",
    test: (b) =>
      Buffer.from(b.subarray(0, 4)).toString() === "RIFF" &&
      Buffer.from(b.subarray(8, 12)).toString() === "WEBP",
  },
];

/** The type comes from the bytes, not the file name: gateways sniff too and reject mislabelled files. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  return signatures.find((s) => s.test(bytes))?.mime;
}

async function readImageFile(path: string): Promise<{ data: Uint8Array; mime: string }> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`--image ${path}: no such file`);
  if (info.size > MAX_IMAGE_BYTES) {
    throw new UsageError(`--image ${path}: ${info.size} bytes is over the ${MAX_IMAGE_BYTES}-byte limit`);
  }
  const data = await readFile(path);
  const mime = sniffImageType(data);
  if (!mime) throw new UsageError(`--image ${path}: not a PNG, JPEG, WebP or GIF image`);
  return { data, mime };
}

function decodeDataUri(uri: string): { data: Uint8Array; mime: string } {
  const m = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i.exec(uri);
  if (!m?.[1] || !m[2]) throw new UsageError("--image: a data URI must look like data:image/png;base64,...");
  return { mime: m[1].toLowerCase(), data: Buffer.from(m[2], "base64") };
}

/** Turns validated references into what the model's dialect sends: URLs, data URIs or file parts. */
export async function loadImages(refs: readonly ImageRef[], model: ModelSpec): Promise<LoadedImage[]> {
  const loaded: LoadedImage[] = [];
  for (const ref of refs) {
    if (ref.kind === "url") {
      loaded.push(ref);
    } else if (model.images.accepts === "data-uri") {
      if (ref.kind === "data-uri") decodeDataUri(ref.uri);
      const uri =
        ref.kind === "data-uri"
          ? ref.uri
          : await readImageFile(ref.path).then(
              ({ data, mime }) => `data:${mime};base64,${Buffer.from(data).toString("base64")}`,
            );
      loaded.push({ kind: "data-uri", uri });
    } else {
      const { data, mime } = ref.kind === "file" ? await readImageFile(ref.path) : decodeDataUri(ref.uri);
      const filename = ref.kind === "file" ? basename(ref.path) : `reference.${mime.split("/")[1] ?? "img"}`;
      loaded.push({ kind: "file", path: ref.kind === "file" ? ref.path : filename, filename, mime, data });
    }
  }
  return loaded;
}
