import { isAbsolute, relative, sep } from "node:path";

/** True when `path` (absolute) lies inside `folder` (absolute) and not at it. */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** How a path is shown: relative to the working folder when it lies inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  return isInside(cwd, path) ? relative(cwd, path) : path;
}
