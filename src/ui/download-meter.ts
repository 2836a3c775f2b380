/** Binary units, as file managers and curl show sizes: 40.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function formatEta(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The rate is measured over the last few seconds, so a stall shows at once and ETA follows it. */
const WINDOW_MS = 3000;
/** Samples closer than this are merged (see record). */
const SAMPLE_MS = 50;
/** Off a terminal: a line at most this often, unless a quarter of the file has gone by meanwhile. */
export const PLAIN_EVERY_MS = 5000;

/**
 * Bytes, percent, rate and ETA of one download, with time from an injected clock so what it says
 * is the same on every run of a test: `12.3 MiB / 40.0 MiB (31%) 5.2 MiB/s ETA 5s`.
 */
export class DownloadMeter {
  private samples: { at: number; bytes: number }[] = [];
  private lastPlain: { at: number; quarter: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** Records how far the download is and describes it. */
  update(received: number, total: number | undefined): string {
    this.record(received);
    return this.describe(received, total);
  }

  /**
   * Records how far the download is. A download reports every chunk (thousands a second), so
   * samples closer than SAMPLE_MS only move the newest one: the window stays a few dozen long.
   */
  record(received: number): void {
    const at = this.now();
    const newest = this.samples[this.samples.length - 1];
    const second = this.samples[this.samples.length - 2];
    if (newest && second && at - second.at < SAMPLE_MS) {
      newest.at = at;
      newest.bytes = received;
    } else {
      this.samples.push({ at, bytes: received });
    }
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= at - WINDOW_MS) this.samples.shift();
  }

  /**
   * Whether a log (stderr off a terminal) gets this update as a line: the first one, then one
   * every PLAIN_EVERY_MS or each time another quarter of the file is in, never one per chunk.
   */
  plainDue(received: number, total: number | undefined): boolean {
    const at = this.now();
    const quarter = total && total > 0 ? Math.floor((4 * Math.min(received, total)) / total) : 0;
    const last = this.lastPlain;
    if (last && at - last.at < PLAIN_EVERY_MS && quarter <= last.quarter) return false;
    this.lastPlain = { at, quarter };
    return true;
  }

  /** Bytes a second over the window, once it spans enough time to mean something. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 250) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  describe(received: number, total: number | undefined): string {
    const parts = [
      total === undefined
        ? formatBytes(received)
        : `${formatBytes(received)} / ${formatBytes(total)} (${Math.floor((100 * Math.min(received, total)) / Math.max(total, 1))}%)`,
    ];
    const rate = this.rate();
    if (rate !== undefined) {
      parts.push(`${formatBytes(Math.round(rate))}/s`);
      if (total !== undefined && rate > 0 && received < total)
        parts.push(`ETA ${formatEta((total - received) / rate)}`);
    }
    return parts.join(" ");
  }
}
