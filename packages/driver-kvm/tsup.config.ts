import { defineConfig } from 'tsup';
import library from '../../tsup.library.js';

// the library, and the VMM process the driver starts for each running domain
export default defineConfig({
  ...(library as object),
  entry: { index: 'src/index.ts', vmm: 'src/vmm-process/main.ts' },
});
