import { basename } from "node:path";
import { UsageError } from "../../util/errors.js";
import type { CreateParams, ImageRef, ImageRule, LoadedImage, ModelSpec } from "../../providers/types.js";
import { type FileAccess, readImageFile } from "./image-file.js";

export { type FileAccess, MAX_IMAGE_BYTES, sniffImageType } from "./image-file.js";

const anywhere = (): FileAccess => ({ cwd: process.cwd() });

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
  access: FileAccess = anywhere(),
): Promise<LoadedMedia> {
  const images = await loadImages(params.images, model, access);
  const refs = params.referenceImages ?? [];
  if (refs.length === 0 || !model.references) return { images };
  return { images, references: await loadRefs(refs, model.references.accepts, "--reference-image", access) };
}

/** Turns validated `--image` values into what the model's dialect sends: URLs, data URIs or file parts. */
export function loadImages(
  refs: readonly ImageRef[],
  model: ModelSpec,
  access: FileAccess = anywhere(),
): Promise<LoadedImage[]> {
  return loadRefs(refs, model.images.accepts, "--image", access);
}

async function loadRefs(
  refs: readonly ImageRef[],
  accepts: ImageRule["accepts"],
  flag: string,
  access: FileAccess,
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
          : await readImageFile(ref.path, flag, access).then(
              ({ data, mime }) => `data:${mime};base64,${Buffer.from(data).toString("base64")}`,
            );
      loaded.push({ kind: "data-uri", uri });
    } else {
      const { data, mime } =
        ref.kind === "file" ? await readImageFile(ref.path, flag, access) : decodeDataUri(ref.uri, flag);
      const filename = ref.kind === "file" ? basename(ref.path) : `reference.${mime.split("/")[1] ?? "img"}`;
      loaded.push({ kind: "file", path: ref.kind === "file" ? ref.path : filename, filename, mime, data });
    }
  }
  return loaded;
}
