/**
 * A clock for a sandbox driven by a separate CLI process: every reading moves time forward, so a
 * task walks queued -> running -> completed after a fixed number of requests, whatever the wall clock.
 */
export function steppingClock(stepMs: number, start = Date.UTC(2026, 0, 1)): () => number {
  let t = start;
  return () => {
    t += stepMs;
    return t;
  };
}

/** A clock a test moves by hand, shared by the sandbox and the client's injected sleep. */
export class ManualClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.ms;
  readonly sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
  };
}
