import { spawn } from "node:child_process";

/**
 * The program that shows a file the way a double-click would: $BROWSER when set (the convention
 * Python's webbrowser and many CLIs follow), else the platform's own opener.
 */
function chooseOpener(path: string, env: Readonly<Record<string, string | undefined>>): [string, string[]] {
  const browser = env.BROWSER?.trim();
  if (browser) return [browser, [path]];
  if (process.platform === "darwin") return ["open", [path]];
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (process.platform === "win32") return ["cmd", ["/c", "start", '""', path]];
  return ["xdg-open", [path]];
}

/**
 * Starts the opener detached, so grokvid exits at once and the browser outlives it. Resolves to an
 * error message when the opener cannot be started (not installed, no display), never rejects.
 */
export function openPath(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const [command, args] = chooseOpener(path, env);
  return new Promise((done) => {
    const child = spawn(command, args, { detached: true, stdio: "ignore", env: { ...process.env, ...env } });
    child.once("error", (err: NodeJS.ErrnoException) =>
      done(`${command} could not be started (${err.code ?? err.message})`),
    );
    child.once("spawn", () => {
      child.unref();
      done(undefined);
    });
  });
}
