import { type Output, safeText } from "./output.js";

/**
 * One line per running job, redrawn in place on a terminal (plus a totals line); elsewhere a plain
 * line whenever a job's line changes, so logs read top to bottom.
 */
export class LiveLines {
  private readonly lines = new Map<string, string>();
  private footer = "";
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: Output) {
    // Off a terminal, lines changing at once (many jobs) go out as one write every 100 ms.
    if (!out.interactive) out.hold(100);
  }

  set(key: string, text: string): void {
    if (this.lines.get(key) === text) return;
    this.lines.set(key, text);
    if (this.out.interactive) this.schedule();
    else this.out.info(text);
  }

  /** A job that is done leaves the live block; its last line stays printed above it. */
  finish(key: string, text: string): void {
    this.lines.delete(key);
    if (this.out.interactive) {
      this.clear();
      this.out.info(text);
      this.schedule();
    } else {
      this.out.info(text);
    }
  }

  setFooter(text: string): void {
    this.footer = text;
    if (this.out.interactive) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.out.interactive) this.clear();
    else this.out.release();
  }

  private schedule(): void {
    // Many jobs update at once; one redraw per 100 ms keeps the terminal calm.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, 100);
  }

  private clear(): void {
    if (this.drawn > 0) this.out.streams.stderr.write(`\u001b[${this.drawn}A\u001b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.clear();
    const columns =
      "columns" in this.out.streams.stderr ? Number(this.out.streams.stderr.columns) || 100 : 100;
    const rows = [...this.lines.values(), ...(this.footer ? [this.footer] : [])];
    for (const row of rows) this.out.streams.stderr.write(`${safeText(row).slice(0, columns - 1)}\n`);
    this.drawn = rows.length;
  }
}
