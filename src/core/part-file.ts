import { open, readFile, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { DownloadError } from "./download-error.js";

/**
 * A `.part` file is continued only by a download of the same task: `<file>.part.json` says whose
 * bytes it holds and the server's ETag for them, sent back as If-Range so a changed file restarts.
 */
const metaSchema = z.object({ taskId: z.string(), etag: z.string().nullable() });

export interface PartState {
  /** Bytes to continue from; 0 when there is nothing of this task to continue. */
  have: number;
  etag: string | undefined;
}

const metaPath = (part: string) => `${part}.json`;

export async function readPart(part: string, taskId: string, size: number): Promise<PartState> {
  if (size === 0) return { have: 0, etag: undefined };
  const raw = await readFile(metaPath(part), "utf8").catch(() => undefined);
  let meta: z.infer<typeof metaSchema> | undefined;
  try {
    const parsed = metaSchema.safeParse(raw === undefined ? undefined : JSON.parse(raw));
    meta = parsed.success ? parsed.data : undefined;
  } catch {
    meta = undefined;
  }
  // Another task's bytes, or bytes of unknown origin, are never spliced into this video.
  if (meta?.taskId !== taskId) return { have: 0, etag: undefined };
  return { have: size, etag: meta.etag ?? undefined };
}

export async function writePartMeta(part: string, taskId: string, etag: string | undefined): Promise<void> {
  await writeFile(metaPath(part), JSON.stringify({ taskId, etag: etag ?? null }));
}

export async function clearPartMeta(part: string): Promise<void> {
  await rm(metaPath(part), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !!(err && typeof err === "object" && "code" in err && err.code === "EPERM");
  }
}

/**
 * Two commands downloading to the same file would append to one `.part` at once. The lock holds
 * the owner's pid; one left by a process that died (kill -9, power cut) is taken over.
 */
export async function lockPart(part: string): Promise<() => Promise<void>> {
  const lock = `${part}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lock, "wx");
      await file.write(String(process.pid));
      await file.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if (!(err && typeof err === "object" && "code" in err && err.code === "EEXIST")) throw err;
      const owner = Number(await readFile(lock, "utf8").catch(() => ""));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DownloadError(`another grokvid (pid ${owner}) is downloading to ${part}`, "final");
      }
      await rm(lock, { force: true });
    }
  }
  throw new DownloadError(`could not lock ${part}`, "final");
}
