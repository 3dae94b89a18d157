/** A claimed range; `release` ends the claim (once). */
export interface Claim {
  release(): void;
}

interface Held {
  start: number;
  end: number;
  released: Promise<void>;
}

/**
 * Ranges of a disk that requests are working on outside the image's
 * metadata lock (QEMU's in-flight cluster allocations): a request about
 * to touch a claimed range waits for the claim to end, so that two
 * writes never allocate the same cluster and metadata changes never pull
 * clusters out from under a write in flight.
 */
export class RangeClaims {
  private readonly held = new Set<Held>();

  /** Claim [start, end) until released. */
  claim(start: number, end: number): Claim {
    let release!: () => void;
    const held: Held = { start, end, released: new Promise<void>((resolve) => (release = resolve)) };
    this.held.add(held);
    return {
      release: () => {
        this.held.delete(held);
        release();
      },
    };
  }

  /** Settles when a claim overlapping [start, end) ends; undefined when none overlaps. */
  overlapping(start: number, end: number): Promise<void> | undefined {
    for (const held of this.held) if (held.start < end && start < held.end) return held.released;
    return undefined;
  }
}
