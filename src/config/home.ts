import envPaths from "env-paths";
import type { Env } from "../util/env.js";

/** Where the journal and other state live: GROKVID_HOME, else the platform's data folder. */
export function resolveHome(env: Env): string {
  const home = env.GROKVID_HOME?.trim();
  return home ? home : envPaths("grokvid", { suffix: "" }).data;
}
