import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/shell/table.js';

describe('formatTable', () => {
  it('lays out columns as virsh does', () => {
    expect(formatTable(['Id', 'Name', 'State'], [['1', 'test', 'running'], ['-', 'longer-name', 'shut off']])).toBe(
      [' Id   Name          State', '------------------------------', ' 1    test          running', ' -    longer-name   shut off', ''].join('\n'),
    );
  });

  it('counts wide characters twice and shows control characters escaped', () => {
    expect(formatTable(['Name', 'X'], [['日本', 'a'], ['t\tb', 'b']])).toBe(
      [' Name     X', '-------------', ' 日本     a', ' t\\x09b   b', ''].join('\n'),
    );
  });

  it('prints rows alone without a header, sized by the rows alone (virsh -q)', () => {
    expect(formatTable(['Id', 'Name'], [['1', 'test']], false)).toBe(' 1   test\n');
  });
});
