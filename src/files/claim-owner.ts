import { randomBytes } from "node:crypto";
import { linkSync, lstatSync, readFileSync } from "node:fs";
import { lstat, mkdir, readdir, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { codeOf, removeName } from "./safe-file.js";
import { readStateFile } from "./state-file.js";

/** An owner's text is "pid start": a few dozen bytes. Anything longer was not written by grokvid. */
export const MAX_OWNER_BYTES = 256;

/** Who holds a claim: enough to tell, from another process, whether it is still alive. */
export interface Owner {
  pid: number;
  /** When that process started (Linux: clock ticks since boot), so a reused pid is not mistaken for it. */
  start: string | undefined;
}

/** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. The name field may hold spaces. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's.
    if (codeOf(err) !== "EPERM") return false;
  }
  const start = owner.start === undefined ? undefined : startTimeOf(owner.pid);
  return start === undefined || start === owner.start;
}

function statOf(path: string): Identity | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export const SELF: Owner = { pid: process.pid, start: startTimeOf(process.pid) };

export function formatOwner(owner: Owner): string {
  return owner.start === undefined ? String(owner.pid) : `${owner.pid} ${owner.start}`;
}

export function parseOwner(text: string): Owner | undefined {
  const [pidText, start] = text.trim().split(" ");
  const pid = Number(pidText);
  return Number.isInteger(pid) && pid > 0 ? { pid, start } : undefined;
}

/** The inode a name was linked to: a name still pointing at it is still ours. */
export interface Identity {
  ino: number;
  dev: number;
}

interface Made extends Identity {
  path: string;
}

/**
 * This process's owner file in one folder, written whole once and then given to every claim (and
 * break lock) it takes as a hard link: taking a name is one link(2), which appears whole or not at
 * all, instead of writing, linking and removing a temp file per claim. The file is removed when
 * the last name linked from it is let go, so a finished process leaves nothing behind.
 */
export class OwnerFile {
  private made: Promise<Made> | undefined;
  private names = 0;

  /** The file lives in `dir`, beside (not among) the names it is linked to, which stay all claims. */
  constructor(private readonly dir: string) {}

  /** Gives `path` this process's owner file; undefined when the name is taken. */
  async linkTo(path: string): Promise<Identity | undefined> {
    this.names++;
    try {
      for (let attempt = 0; ; attempt++) {
        const file = await (this.made ??= this.create());
        try {
          // Synchronous: a link takes microseconds, a trip through the thread pool several wake-ups.
          linkSync(file.path, path);
          return { ino: file.ino, dev: file.dev };
        } catch (err) {
          const code = codeOf(err);
          if (code === "EEXIST") break;
          if ((code !== "ENOENT" && code !== "EMLINK") || attempt >= 2) throw err;
          // The names' folder is missing (first claim, or removed underneath), or our own file is
          // gone, or it has all the names it can take: then the next names come from a fresh one.
          const gone = code === "EMLINK" || !(await lstat(file.path).catch(() => undefined));
          if (gone && this.made && (await this.made) === file) this.made = undefined;
          else await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        }
      }
    } catch (err) {
      await this.letGo();
      throw err;
    }
    await this.letGo();
    return undefined;
  }

  /** Removes `path` if it is still the name this process linked (a taker's own claim never is). */
  async unlinkIfMine(path: string, identity: Identity): Promise<void> {
    try {
      const info = statOf(path);
      if (info?.ino === identity.ino && info.dev === identity.dev) await removeName(path);
    } finally {
      await this.letGo();
    }
  }

  private async letGo(): Promise<void> {
    if (--this.names > 0 || !this.made) return;
    const made = this.made;
    // Forgotten before the await: a claim taken meanwhile makes a fresh file instead of racing this one.
    this.made = undefined;
    const file = await made.catch(() => undefined);
    if (file) await unlink(file.path).catch(() => undefined);
  }

  private swept = false;

  /**
   * Owner files of processes that died without letting go (kill -9, a power cut) are removed: the
   * claims linked to them are judged by their own text, so the file itself serves nobody. One
   * whose text is missing (killed between creating and writing it) is judged by the pid in its name.
   */
  private async sweep(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const fromName = /^\.claim-owner-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
      if (fromName === undefined || Number(fromName) === process.pid) continue;
      const path = join(this.dir, name);
      // Read as a state file: a FIFO or folder with such a name is refused, not waited on.
      const text = readStateFile(path, "the claim owner file", MAX_OWNER_BYTES);
      if (text === undefined) continue;
      const owner = parseOwner(text) ?? { pid: Number(fromName), start: undefined };
      if (!isAlive(owner)) await unlink(path).catch(() => undefined);
    }
  }

  private async create(): Promise<Made> {
    if (!this.swept) {
      this.swept = true;
      await this.sweep();
    }
    const path = join(this.dir, `.claim-owner-${process.pid}-${randomBytes(6).toString("hex")}`);
    const write = () => writeFile(path, formatOwner(SELF), { flag: "wx", mode: 0o600 });
    try {
      await write();
    } catch (err) {
      if (codeOf(err) !== "ENOENT") throw err;
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await write();
    }
    const { ino, dev } = await lstat(path);
    return { path, ino, dev };
  }
}
