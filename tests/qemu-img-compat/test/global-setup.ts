import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildFixtures } from './fixtures.js';

/** Build the fixture images once for all test files; each case copies them. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-img-fixtures-'));
  buildFixtures(dir);
  project.provide('fixtures', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: string;
  }
}
