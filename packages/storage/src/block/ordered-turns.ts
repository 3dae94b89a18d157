/**
 * Hands out turns in the order they were asked for: a task takes a turn
 * when it starts and waits for it before its ordered step (a write), so
 * that tasks running side by side still write in disk order.
 */
export class OrderedTurns {
  private last: Promise<void> = Promise.resolve();

  /** Reserve the next turn: `wait` resolves once every earlier turn is `pass`ed. */
  take(): { wait: Promise<void>; pass: () => void } {
    const previous = this.last;
    let pass!: () => void;
    this.last = new Promise<void>((resolve) => (pass = resolve));
    return { wait: previous, pass };
  }
}
