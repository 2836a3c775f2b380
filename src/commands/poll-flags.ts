/** The waiting flags every waiting command shares (--interval, --timeout, --[no-]cancel-on-timeout). */
export interface PollFlags {
  interval?: string;
  timeout?: string;
  /** Undefined: the config's poll.cancelOnTimeout decides; --no-cancel-on-timeout gives false. */
  cancelOnTimeout?: boolean;
}

/** Only what was typed: the config's `poll` settings apply to the rest. */
export function pollOptions(flags: PollFlags): PollFlags {
  return {
    ...(flags.interval === undefined ? {} : { interval: flags.interval }),
    ...(flags.timeout === undefined ? {} : { timeout: flags.timeout }),
    ...(flags.cancelOnTimeout === undefined ? {} : { cancelOnTimeout: flags.cancelOnTimeout }),
  };
}
