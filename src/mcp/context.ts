import { type GrokvidClient, type NormalizedTask, UsageError } from "../index.js";
import type { Budget } from "./budget.js";

/** The server's own settings, fixed when it starts: what the person who started it allows. */
export interface ServerSettings {
  /** Where jobs may go, lower-case; undefined: every provider grokvid knows. */
  providers: readonly string[] | undefined;
  /** The real path of the only folder downloads are written to. */
  outDir: string;
  /** The longest a call may wait: agents' tool calls time out. */
  maxWaitSeconds: number;
  /** How often a wait polls (--interval); undefined: the config's, else grokvid's default. */
  interval: string | undefined;
  /** The first --allow-read folder (real path), where a relative image path is taken from. */
  imagesFrom: string | undefined;
}

/** What every tool call has: the library, the budget, the settings, and a way to report progress. */
export interface CallContext {
  client: GrokvidClient;
  budget: Budget;
  settings: ServerSettings;
  /** Told each status a wait sees, for the client's progress notifications. */
  onUpdate: (task: NormalizedTask) => void;
}

/** A provider outside the allow-list is refused before anything is sent. */
export function assertAllowed(settings: ServerSettings, provider: string | undefined): void {
  const allowed = settings.providers;
  if (!allowed || provider === undefined) return;
  if (!allowed.includes(provider.trim().toLowerCase())) {
    throw new UsageError(
      `provider ${provider} is not allowed by this server; allowed: ${allowed.join(", ")}`,
      {
        option: "provider",
      },
    );
  }
}

/**
 * The provider a call about an existing job goes to, checked against the allow-list: the one
 * named, else the one the journal remembers; a job the journal does not know goes to the default.
 */
export async function jobProvider(ctx: CallContext, id: string, named: string | undefined): Promise<void> {
  assertAllowed(ctx.settings, named);
  if (named !== undefined) return;
  const job = await ctx.client.findJob(id);
  assertAllowed(ctx.settings, job?.provider);
}

/** A reported cost of a job this server created counts against its dollar limit. */
export function noteCost(ctx: CallContext, task: NormalizedTask): void {
  if (task.cost) ctx.budget.reported(task.id, task.cost.usd);
}

/** Polling options for a wait of at most `seconds`. */
export function pollFor(ctx: CallContext, seconds: number) {
  return {
    timeout: `${seconds}s`,
    ...(ctx.settings.interval === undefined ? {} : { interval: ctx.settings.interval }),
    onUpdate: ctx.onUpdate,
  };
}
