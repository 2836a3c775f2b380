export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * --no-color and NO_COLOR switch colour off; FORCE_COLOR turns it on (or off with 0/false)
 * even when stderr is not a terminal; otherwise colour follows the terminal.
 */
export function resolveColorLevel(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
  colorFlag: boolean,
): ColorLevel {
  if (!colorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force.toLowerCase() === "false") return 0;
    if (force === "2" || force === "3") return Number(force) === 2 ? 2 : 3;
    return 1;
  }
  return isTTY ? 1 : 0;
}
