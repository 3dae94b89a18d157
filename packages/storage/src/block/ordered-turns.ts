/** One task's turn. */
export interface Turn {
  /** Settles once every earlier turn is passed. */
  wait: Promise<void>;
  pass(): void;
}

/**
 * Hands out turns in the order they were asked for: a task takes a turn
 * when it starts and waits for it before its ordered step (convert's
 * writes, a qcow2 request's allocations), so that tasks running side by
 * side still take those steps in order. Passing a turn twice is harmless.
 */
export class OrderedTurns {
  private last: Promise<void> = Promise.resolve();

  /** Reserve the next turn: `wait` resolves once every earlier turn is `pass`ed. */
  take(): Turn {
    const previous = this.last;
    let pass!: () => void;
    this.last = new Promise<void>((resolve) => (pass = resolve));
    return { wait: previous, pass };
  }
}
