import type { GrokvidConfig } from "../../config/schema.js";
import type { Journal } from "../journal/journal.js";
import type { GatewayChoice, Reporter, Runtime } from "./context.js";
import { openSession, type Session } from "./session.js";

/**
 * Commands that handle many jobs open one session (one connection pool, one in-process sandbox)
 * per gateway, not per job.
 */
export class SessionPool {
  private readonly sessions = new Map<string, Promise<Session>>();
  private readonly opened: Session[] = [];

  constructor(
    private readonly flags: GatewayChoice,
    private readonly runtime: Runtime,
    private readonly report: Reporter,
    private readonly config: GrokvidConfig,
    readonly journal: Journal,
  ) {}

  /** `baseUrl` is the journaled one for a known job; new jobs use the configured one. */
  get(provider: string, baseUrl?: string): Promise<Session> {
    const key = `${provider} ${provider === "sandbox" ? "" : (baseUrl ?? "")}`;
    let session = this.sessions.get(key);
    if (!session) {
      const flags = { ...this.flags, provider };
      // A shared journal's record is checked before this machine's key follows it (resolve-gateway.ts).
      const job = baseUrl === undefined ? undefined : { provider, baseUrl, host: this.journal.host };
      session = openSession(flags, this.runtime, this.report, this.config, {
        journal: this.journal,
        remembered: job,
        many: true,
      }).then((s) => {
        this.opened.push(s);
        return s;
      });
      this.sessions.set(key, session);
    }
    return session;
  }

  /** Whether any gateway answered any job of the run: then exit 2 ("nothing was sent") is not true. */
  sent(): boolean {
    return this.opened.some((s) => s.sent());
  }

  async closeAll(): Promise<void> {
    const opened = await Promise.allSettled(this.sessions.values());
    for (const s of opened) if (s.status === "fulfilled") await s.value.close();
  }
}
