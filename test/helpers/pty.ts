import { spawn } from "node:child_process";
import { BIN, secretsIn, testJournalEnv } from "./run-cli.js";

export interface PtyRun {
  /** Everything the terminal received (stdout and stderr share it), escapes included. */
  output: string;
  code: number | null;
}

export interface PtyOptions {
  cwd: string;
  env?: Record<string, string>;
  columns: number;
  rows: number;
  /** Typed into the terminal (Ctrl-C is "\u0003") the first time `when` holds for the output. */
  type?: { text: string; when: (output: string) => boolean };
  limitMs?: number;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the built binary inside a real pseudo-terminal (util-linux `script`), sized by `stty`
 * first, so isTTY, columns, rows and Ctrl-C are the terminal's own rather than faked.
 */
export function runInPty(args: readonly string[], opts: PtyOptions): Promise<PtyRun> {
  const command = `stty cols ${opts.columns} rows ${opts.rows}; exec ${[process.execPath, BIN, ...args].map(quote).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: opts.cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: opts.cwd,
        TERM: "xterm-256color",
        ...testJournalEnv(),
        ...opts.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let typed = false;
    const limit = setTimeout(() => child.kill("SIGKILL"), opts.limitMs ?? 15_000);
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
      if (opts.type && !typed && opts.type.when(output)) {
        typed = true;
        child.stdin.write(opts.type.text);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(limit);
      const leaked = secretsIn(opts.env ?? {}).find((k) => output.includes(k));
      if (leaked) reject(new Error(`an API key was printed by: grokvid ${args.join(" ")}`));
      else resolve({ output, code });
    });
  });
}

export interface Screen {
  /** The visible lines at the end, trailing spaces and empty lines at the bottom dropped. */
  lines: string[];
  /** Whether any text ran past the last column (a line that wrapped breaks in-place redraws). */
  wrapped: boolean;
}

/**
 * Replays what a terminal received on a grid `columns` wide: printable characters (one cell
 * each, enough for the ASCII these tests draw; a tab is one cell too), CR, LF, cursor up (CSI n A), erase below
 * (CSI J) and erase line (CSI K); colours and other sequences are ignored.
 */
export function replayScreen(output: string, columns: number): Screen {
  const grid: string[][] = [[]];
  let row = 0;
  let col = 0;
  let wrapped = false;
  const line = (): string[] => (grid[row] ??= []);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i] ?? "";
    if (ch === "\u001b") {
      // eslint-disable-next-line no-control-regex -- escapes are what is being replayed
      const m = /^\u001b\[([?\d;]*)([A-Za-z])/.exec(output.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      const n = Number(m[1] || "1");
      if (m[2] === "A") row = Math.max(0, row - n);
      else if (m[2] === "J") {
        grid.splice(row + 1, Infinity);
        line().splice(col, Infinity);
      } else if (m[2] === "K") line().splice(col, Infinity);
      else if (m[2] === "G") col = n - 1;
      continue;
    }
    if (ch === "\r") col = 0;
    else if (ch === "\n") row++;
    else if (ch >= " " || ch === "\t") {
      if (col >= columns) {
        wrapped = true;
        row++;
        col = 0;
      }
      const cells = line();
      while (cells.length < col) cells.push(" ");
      cells[col++] = ch;
    }
  }
  const lines = Array.from(grid, (cells) => (cells ?? []).join("").trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return { lines, wrapped };
}
