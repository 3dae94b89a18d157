import { formatMs, type Timing } from './stats.js';

/** One measurement beside its peer's, from the same run. */
export interface Row {
  what: string;
  ours: Timing;
  peer?: Timing;
  /** Extra columns (e.g. peak memory), ours then the peer's. */
  extra?: readonly [string, string];
}

/** A table of medians with the ratio ours / peer (below 1: ours is faster). */
export function printTable(title: string, names: readonly [string, string], rows: readonly Row[], extraHeader?: string): void {
  const lines = rows.map((r) => [
    r.what,
    formatMs(r.ours.median),
    r.peer ? formatMs(r.peer.median) : '-',
    r.peer ? `${(r.ours.median / r.peer.median).toFixed(2)}×` : '-',
    ...(extraHeader ? (r.extra ?? ['-', '-']) : []),
  ]);
  const header = ['', `${names[0]} (median)`, `${names[1]} (median)`, `${names[0]} / ${names[1]}`, ...(extraHeader ? [`${extraHeader} ${names[0]}`, `${extraHeader} ${names[1]}`] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  console.log(`\n${title}\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  for (const l of lines) console.log(fmt(l));
}
