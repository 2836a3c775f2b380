import { UsageError, type CostEstimate } from "../index.js";
import { formatUsd, plural } from "../util/format.js";

/** What the person who started the server allows it to spend; null: no limit of that kind. */
export interface SpendingLimits {
  maxJobs: number | null;
  maxUsd: number | null;
}

/** Where the server stands against its limits, as a tool result shows it. */
export interface BudgetState {
  jobs: { created: number; limit: number | null };
  usd: { counted: number; limit: number | null };
}

/** A job's place in the budget, taken before its create is sent. */
export interface Reservation {
  /** The create went out (or may have): the job counts, under its id once known. */
  keep(id: string | undefined): void;
  /** Nothing was sent: the job and its dollars are given back. */
  release(): void;
}

const micros = (usd: number): number => Math.round(usd * 1e6);

/**
 * The server's spending, per process: every create takes its place (a job, its estimated
 * dollars) before it is sent, synchronously after its estimate, so two calls at once cannot both
 * take the last place. A create that sent nothing gives its place back; one that went out keeps it,
 * since a job may be billed even when its answer was lost. A job's dollars become what the
 * gateway later reports, where that is more than its estimate.
 */
export class Budget {
  private jobs = 0;
  private readonly counted = new Map<object, number>();
  private readonly byId = new Map<string, object>();

  constructor(private readonly limits: SpendingLimits) {}

  state(): BudgetState {
    return {
      jobs: { created: this.jobs, limit: this.limits.maxJobs },
      usd: { counted: this.totalMicros() / 1e6, limit: this.limits.maxUsd },
    };
  }

  /** Why a job with this estimate would be refused now, or undefined when it would be taken. */
  refusal(estimate: CostEstimate): string | undefined {
    const { maxJobs, maxUsd } = this.limits;
    if (maxJobs !== null && this.jobs >= maxJobs) {
      return `this server may create ${plural(maxJobs, "job")} (--max-jobs ${maxJobs}) and has created ${this.jobs}; nothing was sent`;
    }
    if (maxUsd === null) return undefined;
    if (estimate.usd === null) {
      return `the price of this job is not known before it runs (${estimate.basis}), and this server spends at most ${formatUsd(maxUsd)} (--max-usd ${maxUsd}); nothing was sent`;
    }
    const after = this.totalMicros() + micros(estimate.usd);
    if (after > micros(maxUsd)) {
      const left = Math.max(0, micros(maxUsd) - this.totalMicros()) / 1e6;
      return `this job's estimate of ${formatUsd(estimate.usd)} is more than the ${formatUsd(left)} left of this server's ${formatUsd(maxUsd)} (--max-usd ${maxUsd}); nothing was sent`;
    }
    return undefined;
  }

  /** Takes the job's place, or throws the refusal (a usage error: nothing was sent). */
  reserve(estimate: CostEstimate): Reservation {
    const why = this.refusal(estimate);
    if (why !== undefined) throw new UsageError(why);
    const token = {};
    this.jobs += 1;
    this.counted.set(token, micros(estimate.usd ?? 0));
    let settled = false;
    return {
      keep: (id) => {
        settled = true;
        if (id !== undefined) this.byId.set(id, token);
      },
      release: () => {
        if (settled) return;
        settled = true;
        this.jobs -= 1;
        this.counted.delete(token);
      },
    };
  }

  /** A cost the gateway reported for a job of this server: it counts where it is above the estimate. */
  reported(id: string, usd: number): void {
    const token = this.byId.get(id);
    const before = token && this.counted.get(token);
    if (token && before !== undefined && micros(usd) > before) this.counted.set(token, micros(usd));
  }

  private totalMicros(): number {
    let sum = 0;
    for (const value of this.counted.values()) sum += value;
    return sum;
  }
}
