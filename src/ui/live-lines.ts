import { LiveRegion } from "./live-region.js";
import { type Output, safeText } from "./output.js";

/**
 * One line per running job, redrawn in place on a terminal (plus a totals line) by a LiveRegion,
 * which cuts each line to the terminal's width and erases the block on stop, Ctrl-C or exit;
 * elsewhere a plain line whenever a job's line changes, so logs read top to bottom.
 */
export class LiveLines {
  private readonly lines = new Map<string, string>();
  /** Off a terminal, what each key's last printed line said, in the terms its caller compares. */
  private readonly printed = new Map<string, string>();
  private footer = "";
  private readonly region: LiveRegion | undefined;

  constructor(private readonly out: Output) {
    if (out.interactive) {
      this.region = new LiveRegion(out.streams.stderr);
      // Lines printed meanwhile (a finished job, a warning) go above the block, never into it.
      out.attachLive(this.region);
    } else {
      // Off a terminal, lines changing at once (many jobs) go out as one write every 100 ms.
      out.hold(100);
    }
  }

  /**
   * `state` is what a log line is printed for (a job's status, not its elapsed seconds or
   * percent, which change on every poll); on a terminal every change of `text` is drawn.
   */
  set(key: string, text: string, state: string = text): void {
    if (this.lines.get(key) === text) return;
    this.lines.set(key, text);
    if (this.region) return this.redraw();
    if (this.printed.get(key) === state) return;
    this.printed.set(key, state);
    this.out.info(text);
  }

  /**
   * A job that is done leaves the live block; its last line stays printed above it, unless
   * `keep` is false: the command's result lines on a terminal stdout tell the same (the job
   * would be on the screen twice).
   */
  finish(key: string, text: string, keep = true): void {
    this.lines.delete(key);
    this.printed.delete(key);
    if (keep) this.out.info(text);
    if (this.region) this.redraw();
  }

  setFooter(text: string): void {
    this.footer = text;
    if (this.region) this.redraw();
  }

  stop(): void {
    if (this.region) {
      this.region.stop();
      this.out.attachLive(undefined);
    } else this.out.release();
  }

  private redraw(): void {
    const rows = [...this.lines.values(), ...(this.footer ? [this.footer] : [])];
    this.region?.show(rows.map(safeText));
  }
}
