import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { makeTempDir } from "./run-cli.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const manifest = z
  .object({ dependencies: z.record(z.string(), z.string()), license: z.string(), version: z.string() })
  .parse(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")));

export interface InstalledPackage {
  /** The temp folder holding the tarball and the project. */
  dir: string;
  /** The new project a user made: `app/`, with `node_modules/grokvid` in it. */
  app: string;
  /** `app/node_modules/grokvid`. */
  installed: string;
  cleanup: () => Promise<void>;
}

/**
 * `npm pack`, then the tarball unpacked into an empty project's node_modules the way `npm install`
 * lays it out, its dependencies beside it. Tests reach nothing but 127.0.0.1, so npm's registry
 * step is replaced by links to the dependencies this clone already installed (npm ci).
 */
export async function installPackedTarball(): Promise<InstalledPackage> {
  const work = await makeTempDir();
  // dist/ is already built (npm test builds first); packing must not rebuild it underneath the run.
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work.dir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(work.dir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack made no tarball");
  const app = join(work.dir, "app");
  const modules = join(app, "node_modules");
  const installed = join(modules, "grokvid");
  await mkdir(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(work.dir, tarball), "-C", installed, "--strip-components=1"]);
  for (const dep of Object.keys(manifest.dependencies)) {
    await mkdir(dirname(join(modules, dep)), { recursive: true });
    await symlink(join(ROOT, "node_modules", dep), join(modules, dep));
  }
  return { dir: work.dir, app, installed, cleanup: work.cleanup };
}
