import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // the fuzz and kill tests each use the whole machine
    fileParallelism: false,
  },
});
