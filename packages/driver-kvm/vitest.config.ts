import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // a test may start VMM processes and boot guests: seconds, more on a loaded machine
    testTimeout: 30_000,
    // the guests of one file at a time, so their timing does not depend on the others
    fileParallelism: false,
  },
});
