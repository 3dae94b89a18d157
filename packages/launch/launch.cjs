'use strict';
/*
 * Run a CLI bundle with V8's code cache. Most of a short command's start-up
 * is Node compiling the bundle; V8 can instead load the compiled code it
 * saved on an earlier run. The cache lives in the user's cache folder
 * (per program), keyed by Node version and bundle, and is written once
 * after a run that had none (or whose cache V8 rejected). Any failure
 * around the cache just means compiling as usual. (CommonJS, as the
 * bundles: an ES module entry point would start Node's ESM loader, which
 * costs more than it loads.)
 */
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

/*
 * V8 optimises a function (TurboFan, on another thread) once it has run
 * for this many bytecode bytes; its default, 67584, suits long-lived
 * programs. A command mostly lives for a moment: optimising its warm code
 * costs more CPU than it saves, taken from the work itself on a busy
 * machine (10% of convert -O qcow2's time on two cores). Thirty times the
 * default leaves that to code that stays hot, as in a long check or copy.
 */
const INTERRUPT_BUDGET = 2000000;

function cachePath(bundle, program) {
  const { size, mtimeMs } = statSync(bundle);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, program, `code-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`);
}

/** Write the code V8 compiled for `script` to `cache`, replacing older caches of the program. */
function saveCache(script, cache) {
  try {
    mkdirSync(dirname(cache), { recursive: true });
    const partial = `${cache}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cache);
    // caches of earlier builds or Node versions will not be used again
    for (const old of readdirSync(dirname(cache))) {
      if (old.startsWith('code-') && old !== basename(cache)) rmSync(join(dirname(cache), old), { force: true });
    }
  } catch {
    // a read-only or full cache folder: next run compiles again
  }
}

/**
 * Run the CommonJS bundle at `bundle` as the main program; `program` names
 * its cache folder (~/.cache/<program>).
 */
function launch(bundle, program) {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  const source = readFileSync(bundle, 'utf8');
  let cache;
  let cachedData;
  try {
    cache = cachePath(bundle, program);
    cachedData = readFileSync(cache);
  } catch {
    // no cache yet
  }

  // the bundle must not use import(): V8 drops the import hook from cached code
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) process.once('exit', () => saveCache(script, cache));

  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, dirname(bundle));
}

module.exports = { launch, writeAllSync: require('./write-all.cjs').writeAllSync };
