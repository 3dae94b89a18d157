import { readFileSync } from 'node:fs';
import { cliBundle } from '../../tsup.cli.js';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as { version: string };

// @virt/storage's native addon is found through the package itself, not bundled
export default cliBundle('virt-img', { define: { VIRT_IMG_VERSION: JSON.stringify(version) } });
