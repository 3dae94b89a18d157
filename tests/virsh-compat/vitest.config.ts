import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // each script spawns two processes; a few files run side by side
    maxWorkers: 2,
  },
});
