import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // the images every script starts from are made once, with qemu-img and qemu-io
    globalSetup: ['test/global-setup.ts'],
    // each case runs both tools; two files side by side use both cores
    maxWorkers: 2,
  },
});
