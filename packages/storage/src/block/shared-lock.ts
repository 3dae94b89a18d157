/**
 * A fair reader-writer lock for async code: `shared` tasks run side by
 * side, an `exclusive` task runs alone; both are served in the order they
 * asked, so a waiting exclusive task holds back shared ones that come
 * after it (a stream of shared tasks cannot starve it).
 */
export class SharedLock {
  private sharedRunning = 0;
  private exclusiveRunning = false;
  private readonly waiting: { exclusive: boolean; start: () => void }[] = [];

  async shared<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await task();
    } finally {
      this.sharedRunning--;
      this.startWaiting();
    }
  }

  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      return await task();
    } finally {
      this.exclusiveRunning = false;
      this.startWaiting();
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    return new Promise((start) => {
      this.waiting.push({ exclusive, start });
      this.startWaiting();
    });
  }

  /** Let in the waiting tasks at the head of the queue that may run now. */
  private startWaiting(): void {
    for (let next = this.waiting[0]; next !== undefined && !this.exclusiveRunning; next = this.waiting[0]) {
      if (next.exclusive) {
        if (this.sharedRunning > 0) return;
        this.exclusiveRunning = true;
      } else {
        this.sharedRunning++;
      }
      this.waiting.shift();
      next.start();
    }
  }
}
