import type { DomainSnapshotDef } from '@virt/core-api';

export interface TestSnapshot {
  def: DomainSnapshotDef & { name: string };
}

/**
 * A domain's snapshots as libvirt keeps them: a tree in which a new child
 * goes first among its siblings (so walks list the newest first), and one
 * current snapshot.
 */
export class SnapshotTree {
  private readonly byName = new Map<string, TestSnapshot>();
  /** Children of each snapshot, and of the tree root under the key ''. */
  private readonly children = new Map<string, string[]>([['', []]]);
  current: string | undefined;

  get size(): number {
    return this.byName.size;
  }

  get(name: string): TestSnapshot | undefined {
    return this.byName.get(name);
  }

  all(): TestSnapshot[] {
    return [...this.byName.values()];
  }

  /** Add a snapshot under its parent (def.parent), first among its siblings. */
  add(snap: TestSnapshot): void {
    this.byName.set(snap.def.name, snap);
    this.children.set(snap.def.name, []);
    this.childList(snap.def.parent).unshift(snap.def.name);
  }

  private childList(parent: string | undefined): string[] {
    const key = parent ?? '';
    let list = this.children.get(key);
    if (!list) {
      list = [];
      this.children.set(key, list);
    }
    return list;
  }

  childrenOf(name: string | undefined): TestSnapshot[] {
    return this.childList(name).map((n) => this.byName.get(n)!);
  }

  /** All descendants, parents before children, siblings newest first. */
  descendantsOf(name: string | undefined): TestSnapshot[] {
    const out: TestSnapshot[] = [];
    const walk = (n: string | undefined): void => {
      for (const child of this.childList(n)) {
        out.push(this.byName.get(child)!);
        walk(child);
      }
    };
    walk(name);
    return out;
  }

  /** Every snapshot in tree order (libvirt's topological walk). */
  topological(): TestSnapshot[] {
    return this.descendantsOf(undefined);
  }

  /** Remove one snapshot; its children move, in order, to the front of its parent's children. */
  remove(name: string): void {
    const snap = this.byName.get(name);
    if (!snap) return;
    const parent = snap.def.parent;
    const siblings = this.childList(parent);
    siblings.splice(siblings.indexOf(name), 1);
    const orphans = this.childList(name);
    for (const o of orphans) {
      const child = this.byName.get(o)!;
      child.def.parent = parent;
    }
    siblings.unshift(...orphans);
    this.children.delete(name);
    this.byName.delete(name);
    if (this.current === name) this.current = undefined;
  }

  /** Remove a snapshot's descendants (and the snapshot too unless `keepRoot`). */
  removeSubtree(name: string, keepRoot: boolean): void {
    for (const d of this.descendantsOf(name).reverse()) this.remove(d.def.name);
    if (!keepRoot) this.remove(name);
  }

  clear(): void {
    this.byName.clear();
    this.children.clear();
    this.children.set('', []);
    this.current = undefined;
  }
}
