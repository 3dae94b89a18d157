'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readdirSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

test('runs a bundle as the main program and keeps its compiled code for the next run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'launch-'));
  try {
    const bundle = join(dir, 'tool.cjs');
    writeFileSync(bundle, "console.log(process.argv.slice(2).join(' '), typeof require('node:path').join, __filename.endsWith('tool.cjs'));\n");
    // a bin script as the apps have: argv is [node, script, ...arguments]
    const bin = join(dir, 'tool-bin.cjs');
    writeFileSync(bin, `require(${JSON.stringify(join(__dirname, '..', 'launch.cjs'))}).launch(${JSON.stringify(bundle)}, 'tool');\n`);
    const run = () =>
      execFileSync(process.execPath, [bin, 'a', 'b'], {
        env: { ...process.env, XDG_CACHE_HOME: dir },
        encoding: 'utf8',
      });
    assert.strictEqual(run(), 'a b function true\n');
    const caches = readdirSync(join(dir, 'tool'));
    assert.strictEqual(caches.length, 1);
    assert.match(caches[0], /^code-v\d+/);
    assert.strictEqual(run(), 'a b function true\n');
    assert.deepStrictEqual(readdirSync(join(dir, 'tool')), caches);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
