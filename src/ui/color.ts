export type ColorLevel = 0 | 1 | 2 | 3;

/** What a terminal stream knows about itself (Node's tty.WriteStream has both). */
export interface ColorStream {
  readonly isTTY?: boolean;
  getColorDepth?(env?: object): number;
}

/** getColorDepth's bits per pixel, as chalk's levels. */
function levelOfDepth(depth: number): ColorLevel {
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  return depth >= 4 ? 1 : 0;
}

/**
 * --no-color and NO_COLOR switch colour off; FORCE_COLOR turns it on (or off with 0/false)
 * even when stderr is not a terminal; TERM=dumb is off; otherwise colour is what the stderr
 * terminal itself reports (its getColorDepth, under the command's environment), not a guess
 * made from stdout or the process as a whole. A bare `true` means a terminal of basic colours.
 */
export function resolveColorLevel(
  env: Readonly<Record<string, string | undefined>>,
  stream: boolean | ColorStream,
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
  if (env.TERM === "dumb") return 0;
  if (typeof stream === "boolean") return stream ? 1 : 0;
  if (stream.isTTY !== true) return 0;
  return stream.getColorDepth ? levelOfDepth(stream.getColorDepth(env)) : 1;
}
