/**
 * Run asynchronous tasks with at most `limit` in flight, so that a large
 * request keeps the thread pool busy without starting everything at once.
 * `drain()` waits for all of them and rethrows the first failure.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Start `task` once a slot is free. */
  async add(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) return;
    const promise = task().then(
      () => void this.running.delete(promise),
      (error: unknown) => {
        this.running.delete(promise);
        this.failure ??= { error };
      },
    );
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}
