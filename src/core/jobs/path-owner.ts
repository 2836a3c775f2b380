import { basename, dirname } from "node:path";
import { UsageError } from "../../util/errors.js";
import { isTerminal } from "../../util/task-status.js";
import { shellQuote } from "../../util/format.js";
import { errnoOf, journalError } from "../journal/journal-error.js";
import { eventSchema, type JournalEvent } from "../journal/events.js";
import { scanLines } from "../journal/scan.js";
import { type JobRecord, type Journal, jobKey, type UncertainCreate } from "../journal/journal.js";
import { displayPath, renderPlan } from "../download/output-plan.js";
import { MAX_NAME_BYTES } from "../download/output-path.js";
import { partTask } from "../download/part-file.js";

/**
 * Where a journaled job will still write its video, if anywhere: a download under way keeps its
 * `.part` where it started; a job saved (anywhere) or ended without a video writes nowhere; any
 * other paid job goes where it was planned when it was created (its `-o`, or its folder and name).
 */
export function claimedPath(job: JobRecord): string | undefined {
  if (job.pendingPath !== null) return job.pendingPath;
  if (job.download !== null) return undefined;
  if (isTerminal(job.status) && job.status !== "succeeded") return undefined;
  return job.output && renderPlan(job.output, job.provider, job.id);
}

/** What the owner check needs to know of the journal's jobs. */
export interface JobLookup {
  /** The newest job whose claimed path is `path`. */
  claiming(path: string): Promise<JobRecord | undefined>;
  byId(id: string): Promise<JobRecord | undefined>;
  /**
   * A create for `path` that may have reached its gateway with no answer (killed, or cut off,
   * before the id came back): it may be paid, and its video would be owed that path.
   */
  uncertainFor(path: string): Promise<UncertainCreate | undefined>;
}

/** Newest by creation time (what lookupInJournal can tell without the whole fold), ties to the later. */
const isNewer = (job: JobRecord, than: JobRecord | undefined) => !than || job.createdAt >= than.createdAt;

/** Over jobs already folded (a batch has them all): indexed once, for every line's lookup. */
export function lookupInJobs(
  jobs: readonly JobRecord[],
  uncertain: Iterable<UncertainCreate> = [],
): JobLookup {
  const unanswered = new Map<string, UncertainCreate>();
  for (const create of uncertain) if (create.output?.path) unanswered.set(create.output.path, create);
  const byPath = new Map<string, JobRecord>();
  const byId = new Map<string, JobRecord>();
  // In journal order, so the newest job wins each key.
  for (const job of jobs) {
    byId.set(job.id, job);
    const path = claimedPath(job);
    if (path !== undefined && isNewer(job, byPath.get(path))) byPath.set(path, job);
  }
  return {
    claiming: (path) => Promise.resolve(byPath.get(path)),
    byId: (id) => Promise.resolve(byId.get(id)),
    uncertainFor: (path) => Promise.resolve(unanswered.get(path)),
  };
}

const TEMPLATE_WITH_ID = /"template":"(?:[^"\\]|\\.)*\{id\}/;
/**
 * A create line's own id (a JSON string holds no unescaped `":"`), when it is plain characters
 * that making a name safe never changes, not even at its ends.
 */
const PLAIN_ID = /"id":"(\w(?:[\w.-]*\w)?)"/;

/**
 * True when a create line plans a name that cannot be `name`, told without parsing it: a
 * template with {id} puts a plain id whole into the name (making names safe leaves such ids
 * alone, and only names near the length limit are cut). Most jobs are planned so (`{provider}-
 * {id}.mp4` in the working folder), and parsing them all would cost a big journal's whole fold.
 */
function namesOtherFile(line: string, name: string): boolean {
  if (!TEMPLATE_WITH_ID.test(line)) return false;
  const id = PLAIN_ID.exec(line)?.[1];
  return id !== undefined && !name.includes(id) && Buffer.byteLength(name) < MAX_NAME_BYTES - 64;
}

function parseEvent(line: string): JournalEvent | undefined {
  try {
    const parsed = eventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Over the journal file, without folding it whole (a create must not pay for a 100,000-job
 * journal): only lines naming the path's folder can plan or start a download there, so the
 * bytes are searched for it, and each job found is then read alone (journal.findJob).
 */
export function lookupInJournal(journal: Journal): JobLookup {
  const path = journal.file;
  // A database journal has no bytes to search: its jobs, folded (incrementally), are asked instead.
  if (path === undefined) return lookupInFold(journal);
  return lookupInFile(journal, path);
}

function lookupInFold(journal: Journal): JobLookup {
  // Read and indexed once for the check it serves (claiming, then uncertainFor), not per question.
  let indexed: Promise<JobLookup> | undefined;
  const lookup = () =>
    (indexed ??= journal.readState().then(({ jobs, uncertain }) => lookupInJobs(jobs, uncertain.values())));
  return {
    byId: (id) => journal.findJob(id),
    uncertainFor: async (path) => (await lookup()).uncertainFor(path),
    claiming: async (path) => (await lookup()).claiming(path),
  };
}

function lookupInFile(journal: Journal, file: string): JobLookup {
  return {
    byId: (id) => journal.findJob(id),
    async uncertainFor(path) {
      // Creates planned for this very path, then whether any of them was answered since.
      const planned: UncertainCreate[] = [];
      const answered = new Set<string>();
      try {
        scanLines(file, Buffer.from(JSON.stringify(path)), (line) => {
          const event = parseEvent(line);
          if (event?.type === "submitting" && event.output?.path === path)
            planned.push({ provider: event.provider, at: event.at, requestHash: event.requestHash });
        });
        for (const create of planned)
          scanLines(file, Buffer.from(`"requestHash":"${create.requestHash}"`), (line) => {
            const event = parseEvent(line);
            if (event?.type === "created" || event?.type === "abandoned") answered.add(event.requestHash);
          });
      } catch (err) {
        if (errnoOf(err) === "ENOENT") return undefined;
        throw journalError(err, file, "read");
      }
      return planned.filter((c) => !answered.has(c.requestHash)).at(-1);
    },
    async claiming(path) {
      const name = basename(path);
      const found = new Map<string, { id: string; provider: string }>();
      const consider = (line: string) => {
        const event = parseEvent(line);
        if (!event || !("id" in event)) return;
        const there =
          event.type === "downloading"
            ? event.path === path
            : event.type === "created" &&
              event.output !== undefined &&
              renderPlan(event.output, event.provider, event.id) === path;
        if (there) found.set(jobKey(event.provider, event.id), { id: event.id, provider: event.provider });
      };
      try {
        // Two byte searches, each for what JSON writes: the path itself (an -o, a download
        // started there), then plans of a folder and a name (a batch's template, a config's).
        scanLines(file, Buffer.from(JSON.stringify(path)), consider);
        scanLines(file, Buffer.from(`"dir":${JSON.stringify(dirname(path))}`), (line) => {
          if (!namesOtherFile(line, name)) consider(line);
        });
      } catch (err) {
        if (errnoOf(err) === "ENOENT") return undefined;
        throw journalError(err, file, "read");
      }
      let newest: JobRecord | undefined;
      for (const { id, provider } of found.values()) {
        const job = await journal.findJob(id, provider);
        if (job && claimedPath(job) === path && isNewer(job, newest)) newest = job;
      }
      return newest;
    },
  };
}

/** A paid job that may still write to a path, and why it is said to. */
export interface PathOwner {
  id: string;
  /** The journal's record of it; absent when only a `.part.json` names it. */
  job?: JobRecord;
  /** `<path>.part` holds the start of its video. */
  partial: boolean;
}

/**
 * Who a path (absolute) belongs to: the task whose half-downloaded bytes sit in `<path>.part`
 * (those bytes were paid for, and are the job's nearest to done), else the newest unsaved job the
 * journal plans or downloads there.
 */
export async function findPathOwner(path: string, lookup: JobLookup): Promise<PathOwner | undefined> {
  const partial = await partTask(`${path}.part`);
  if (partial !== undefined) {
    const job = await lookup.byId(partial);
    return { id: partial, partial: true, ...(job ? { job } : {}) };
  }
  const job = await lookup.claiming(path);
  return job && { id: job.id, job, partial: false };
}

/** The one-line refusal, with the command that finishes the owner as its hint. */
export function pathTakenError(path: string, owner: PathOwner, cwd: string): UsageError {
  const shown = displayPath(path, cwd);
  const id = shellQuote(owner.id);
  const { job } = owner;
  if (!job) {
    return new UsageError(
      `${shown}.part holds part of the video of task ${owner.id}, which this journal does not know`,
      {
        hint: `finish it with: grokvid download ${id} --provider PROVIDER -o ${shellQuote(shown)}, or pass --force to replace it`,
      },
    );
  }
  const meant = claimedPath(job);
  if (meant !== path) {
    const since =
      meant !== undefined
        ? `now meant for ${displayPath(meant, cwd)}`
        : job.download
          ? `saved since to ${displayPath(job.download.path, cwd)}`
          : job.status;
    return new UsageError(`${shown}.part is left from task ${owner.id} (${since})`, {
      hint: `remove ${shellQuote(`${shown}.part`)}, or pass --force to replace it`,
    });
  }
  const how = owner.partial
    ? "its download stopped part-way"
    : job.status === "succeeded"
      ? "finished, never downloaded"
      : `${job.status} when last seen`;
  return new UsageError(
    `${shown} belongs to task ${owner.id} on ${job.provider}, paid and not yet saved (${how})`,
    { hint: `finish it with: grokvid download ${id}, or pass --force to take the path anyway` },
  );
}

/**
 * Refuses a path (absolute) that a paid job other than `self` may still write to, so no new job
 * (or another job's download) takes a file that an unsaved paid job is owed. --force takes it.
 */
export async function assertPathFree(
  path: string,
  lookup: JobLookup,
  opts: {
    force: boolean;
    cwd: string;
    self?: string;
    /** The request being sent (a batch line's): its own unanswered create is not another's. */
    selfRequest?: string;
  },
): Promise<void> {
  if (opts.force) return;
  const owner = await findPathOwner(path, lookup);
  if (owner && owner.id !== opts.self) throw pathTakenError(path, owner, opts.cwd);
  if (owner || opts.self !== undefined) return;
  const unanswered = await lookup.uncertainFor(path);
  if (unanswered && unanswered.requestHash !== opts.selfRequest) {
    const { provider, at } = unanswered;
    throw new UsageError(
      `${displayPath(path, opts.cwd)} was planned for a create sent to ${provider} at ${at} whose answer never came; it may have made a paid job, and nothing was sent now`,
      {
        hint: `check your ${provider} dashboard for it (grokvid jobs lists it as uncertain), then pass --force to send a new job to this path`,
      },
    );
  }
}
