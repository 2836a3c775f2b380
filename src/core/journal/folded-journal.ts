import { type JobRecord, JournalState, type UncertainCreate } from "./journal.js";

/**
 * What the file journal and the shared one do alike: they keep one fold of everything read so
 * far and read forward from where it ends. Refreshes are chained: two reads from the same point
 * would fold the same records twice and skip others.
 */
export abstract class FoldedJournal {
  protected readonly state = new JournalState();
  private pending: Promise<unknown> = Promise.resolve();

  /** Folds into `state` what was appended since the last call (by this or any other process). */
  protected abstract foldNew(): Promise<JournalState>;

  refresh(): Promise<JournalState> {
    const next = this.pending.then(() => this.foldNew());
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Every job, oldest first, and the creates whose fate is unknown (by request hash). */
  async readState(): Promise<{ jobs: JobRecord[]; uncertain: Map<string, UncertainCreate> }> {
    return (await this.refresh()).snapshot();
  }

  /** Every job, oldest first. */
  async readJobs(): Promise<JobRecord[]> {
    return (await this.readState()).jobs;
  }
}
