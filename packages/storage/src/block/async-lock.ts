/**
 * A mutual-exclusion lock for async code: `run` calls queue up and each
 * runs alone, in the order they were made, whatever the others throw.
 */
export class AsyncLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
