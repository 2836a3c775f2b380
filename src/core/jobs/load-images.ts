import { basename, resolve } from "node:path";
import { UsageError } from "../../util/errors.js";
import type { CreateParams, ImageRef, ImageRule, LoadedImage, ModelSpec } from "../../providers/types.js";

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

async function readImageFile(
  path: string,
  flag: string,
  cwd: string,
): Promise<{ data: Uint8Array; mime: string }> {
  // Messages name the path as given; it is read relative to the caller's folder (a library
  // client's `cwd`), not wherever the process happens to be.
  const full = resolve(cwd, path);
  // Loaded only here: a create without a local image never needs node:fs/promises.
  const { readFile, stat } = await import("node:fs/promises");
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${flag} ${path}: no such file`);
  if (info.size > MAX_IMAGE_BYTES) {
    throw new UsageError(`${flag} ${path}: ${info.size} bytes is over the ${MAX_IMAGE_BYTES}-byte limit`);
  }
  const data = await readFile(full);
  const mime = sniffImageType(data);
  if (!mime) throw new UsageError(`${flag} ${path}: not a PNG, JPEG, WebP or GIF image`);
  return { data, mime };
}

function decodeDataUri(uri: string, flag: string): { data: Uint8Array; mime: string } {
  const m = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i.exec(uri);
  if (!m?.[1] || !m[2]) throw new UsageError(`${flag}: a data URI must look like data:image/png;base64,...`);
  return { mime: m[1].toLowerCase(), data: Buffer.from(m[2], "base64") };
}

/** Images after local files were read: what a dialect's request builder takes. */
export interface LoadedMedia {
  images: LoadedImage[];
  references?: LoadedImage[];
}

/** Reads both image lists of validated params (reference images only where the model takes them). */
export async function loadMedia(
  params: CreateParams,
  model: ModelSpec,
  cwd = process.cwd(),
): Promise<LoadedMedia> {
  const images = await loadImages(params.images, model, cwd);
  const refs = params.referenceImages ?? [];
  if (refs.length === 0 || !model.references) return { images };
  return { images, references: await loadRefs(refs, model.references.accepts, "--reference-image", cwd) };
}

/** Turns validated `--image` values into what the model's dialect sends: URLs, data URIs or file parts. */
export function loadImages(
  refs: readonly ImageRef[],
  model: ModelSpec,
  cwd = process.cwd(),
): Promise<LoadedImage[]> {
  return loadRefs(refs, model.images.accepts, "--image", cwd);
}

async function loadRefs(
  refs: readonly ImageRef[],
  accepts: ImageRule["accepts"],
  flag: string,
  cwd: string,
): Promise<LoadedImage[]> {
  const loaded: LoadedImage[] = [];
  for (const ref of refs) {
    if (ref.kind === "url") {
      loaded.push(ref);
    } else if (accepts === "data-uri" || accepts === "url-or-data-uri") {
      if (ref.kind === "data-uri") decodeDataUri(ref.uri, flag);
      const uri =
        ref.kind === "data-uri"
          ? ref.uri
          : await readImageFile(ref.path, flag, cwd).then(
              ({ data, mime }) => `data:${mime};base64,${Buffer.from(data).toString("base64")}`,
            );
      loaded.push({ kind: "data-uri", uri });
    } else {
      const { data, mime } =
        ref.kind === "file" ? await readImageFile(ref.path, flag, cwd) : decodeDataUri(ref.uri, flag);
      const filename = ref.kind === "file" ? basename(ref.path) : `reference.${mime.split("/")[1] ?? "img"}`;
      loaded.push({ kind: "file", path: ref.kind === "file" ? ref.path : filename, filename, mime, data });
    }
  }
  return loaded;
}
