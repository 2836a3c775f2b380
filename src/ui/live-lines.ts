import { describeJobLine, fitJobLine, type JobLine } from "./job-line.js";
import { type LiveLine, LiveRegion } from "./live-region.js";
import { type Output, safeText } from "./output.js";

export interface LiveLineOptions {
  /** What a log line is printed for (a job's status, not its elapsed seconds); default its text. */
  state?: string;
  /** A log's words where they differ from the line's (`submitted task ID`, which scripts look for). */
  log?: string;
}

/**
 * One line per running job, redrawn in place on a terminal (plus a totals line) by a LiveRegion,
 * which fits each line to the terminal's width and erases the block on stop, Ctrl-C or exit;
 * elsewhere a plain line whenever a job's line changes, so logs read top to bottom.
 */
export class LiveLines {
  /** Each key's line as drawn, and the text it was set from (to skip a redraw that changes nothing). */
  private readonly lines = new Map<string, { text: string; drawn: LiveLine }>();
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
   * A job's line (shortened part by part on a narrow terminal: its id's middle before its status)
   * or plain text (cut at its end). On a terminal every change is drawn; a log gets a line when
   * `state` changes.
   */
  set(key: string, line: string | JobLine, { state, log }: LiveLineOptions = {}): void {
    const describe = () => (typeof line === "string" ? line : describeJobLine(line));
    if (!this.region) {
      // Off a terminal only a changed state is printed: a line's text (its prompt measured and
      // cut, every part cleaned) is made only then, not for each of a batch's thousands of polls.
      const said = state ?? log ?? describe();
      if (this.printed.get(key) === said) return;
      this.printed.set(key, said);
      this.out.info(log ?? describe());
      return;
    }
    const text = describe();
    if (this.lines.get(key)?.text === text) return;
    const drawn = typeof line === "string" ? safeText(line) : (width: number) => fitJobLine(line, width);
    this.lines.set(key, { text, drawn });
    this.redraw();
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
    const rows = [...this.lines.values()].map((line) => line.drawn);
    this.region?.show(this.footer ? [...rows, safeText(this.footer)] : rows);
  }
}
