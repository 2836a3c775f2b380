import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
import { kindOf, otherOwner } from "../files/state-file.js";
import { ConfigError } from "../util/errors.js";

/**
 * Reading one config file, whoever planted it. A config file may be a symlink (dotfiles managers
 * link them), so links are followed, but what is read must be a plain file of a sane size, opened
 * without blocking (a FIFO named `.grokvidrc` must not hang every command, and a TAB press with
 * it), and owned by the user who runs grokvid: a file another user could write (a `/tmp/.grokvidrc`
 * planted above a working folder outside the home folder) is never read, as git's `safe.directory`
 * refuses repositories owned by someone else. Root's files count as the user's own: root can
 * replace grokvid itself.
 */
export const MAX_CONFIG_BYTES = 1 << 20;

/** Why a config file cannot be read, worded to follow "config file PATH ". */
export class ConfigFileProblem extends Error {
  constructor(
    readonly filepath: string,
    readonly reason: string,
    /** Missing altogether: a search moves on silently; anything else is worth a word. */
    readonly missing = false,
  ) {
    super(`config file ${filepath} ${reason}`);
  }
}

const codeOf = (err: unknown): string =>
  err && typeof err === "object" && "code" in err && typeof err.code === "string" ? err.code : "";

/** The problem with an open file (or the link that led to it), if any. */
function problemWith(filepath: string, info: Stats, link: Stats | undefined): ConfigFileProblem | undefined {
  const owner = (link && otherOwner(link)) ?? otherOwner(info);
  if (owner !== undefined)
    return new ConfigFileProblem(filepath, `belongs to another user (uid ${owner}) and is not read`);
  if (!info.isFile())
    return new ConfigFileProblem(filepath, `is ${kindOf(info)}, not a regular file; move it away`);
  if (info.size > MAX_CONFIG_BYTES)
    return new ConfigFileProblem(
      filepath,
      `is larger than ${MAX_CONFIG_BYTES} bytes, too large for a config file`,
    );
  return undefined;
}

/** The text of a config file, or a ConfigFileProblem saying why it is not read. */
export function readConfigText(filepath: string): string {
  let fd: number;
  try {
    fd = openSync(filepath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = codeOf(err);
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new ConfigFileProblem(filepath, "does not exist", true);
    if (code === "EACCES" || code === "EPERM")
      throw new ConfigFileProblem(filepath, "cannot be read (permission denied)");
    if (code === "ENXIO")
      throw new ConfigFileProblem(filepath, "is a FIFO or socket, not a regular file; move it away");
    throw new ConfigFileProblem(filepath, `cannot be read (${code || "unknown error"})`);
  }
  try {
    const link = lstatSync(filepath, { throwIfNoEntry: false });
    const problem = problemWith(filepath, fstatSync(fd), link?.isSymbolicLink() ? link : undefined);
    if (problem) throw problem;
    // One byte more than allowed tells a file that grew since fstat from one that fits.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CONFIG_BYTES)
      throw new ConfigFileProblem(
        filepath,
        `is larger than ${MAX_CONFIG_BYTES} bytes, too large for a config file`,
      );
    return buffer.subarray(0, length).toString("utf8");
  } catch (err) {
    if (err instanceof ConfigFileProblem) throw err;
    throw new ConfigFileProblem(filepath, `cannot be read (${codeOf(err) || "unknown error"})`);
  } finally {
    closeSync(fd);
  }
}

/** readConfigText for a file that may not exist yet: undefined then; any other problem is exit 3. */
export function readConfigIfPresent(filepath: string): string | undefined {
  try {
    return readConfigText(filepath);
  } catch (err) {
    if (!(err instanceof ConfigFileProblem)) throw err;
    if (err.missing) return undefined;
    throw new ConfigError(err.message);
  }
}
