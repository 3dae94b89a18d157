'use strict';
/*
 * Write all of `bytes` to a file descriptor synchronously, as the CLIs
 * print: output must be complete before process.exit, even on a
 * non-blocking pipe that is momentarily full (EAGAIN: give the reader a
 * moment). A reader that went away (EPIPE) ends the output quietly, as
 * for C programs that ignore SIGPIPE.
 */
const { writeSync } = require('node:fs');

function writeAllSync(fd, bytes) {
  let rest = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (err) {
      if (err.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (err.code === 'EPIPE') return;
      throw err;
    }
  }
}

module.exports = { writeAllSync };
