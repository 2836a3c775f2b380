/**
 * A push-fed async iterable: the producer pushes events as they happen, the consumer reads them
 * with `for await`. A failure of the producer is thrown to the consumer after the events before it.
 */
export interface EventQueue<T> extends AsyncIterable<T> {
  push: (event: T) => void;
  end: () => void;
  fail: (err: unknown) => void;
}

export function eventQueue<T>(): EventQueue<T> {
  const items: T[] = [];
  let done = false;
  let failure: { err: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push: (event) => {
      items.push(event);
      notify();
    },
    end: () => {
      done = true;
      notify();
    },
    fail: (err) => {
      failure = { err };
      done = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (failure) throw failure.err;
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
