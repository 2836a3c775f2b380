import { lstat, realpath } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { UsageError } from "../index.js";
import { isInside } from "../util/paths.js";

/**
 * Where download_job may write: inside the output folder the server was started with (its real
 * path), never through a link. The folders between it and the file are looked at one by one: one
 * that is a link (which could lead anywhere) is refused, and so is a file in the way. The file
 * itself is created by the library exclusively, without following a link, as every grokvid file is.
 */
export async function downloadTarget(outDir: string, given: string | undefined): Promise<string> {
  // A trailing separator makes the library treat it as a folder and name the file itself.
  // The folder itself (and every one above it) must still be where the server found it: one swapped
  // for a link since would carry the download wherever the link points.
  if ((await realpath(outDir).catch(() => undefined)) !== outDir) {
    throw new UsageError(
      `the output folder ${outDir} is not where it was when this server started; nothing was written`,
    );
  }
  if (given === undefined) return `${outDir}${sep}`;
  if (given.includes("\0")) throw new UsageError("path holds a NUL character", { option: "path" });
  const folderWanted = /[\\/]$/.test(given);
  const target = resolve(outDir, given);
  if (target !== outDir && !isInside(outDir, target)) {
    throw new UsageError(
      `path ${given} is outside this server's output folder ${outDir}; give a path inside it`,
      {
        option: "path",
      },
    );
  }
  const parts = relative(outDir, target)
    .split(sep)
    .filter((p) => p !== "");
  let at = outDir;
  for (const [i, part] of parts.entries()) {
    at = resolve(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (!info) break;
    const last = i === parts.length - 1;
    if (info.isSymbolicLink()) {
      throw new UsageError(`path ${given}: ${at} is a link, and this server writes only inside ${outDir}`, {
        option: "path",
      });
    }
    if (!last && !info.isDirectory()) {
      throw new UsageError(`path ${given}: ${at} is not a folder`, { option: "path" });
    }
  }
  return folderWanted || target === outDir ? `${target}${sep}` : target;
}
