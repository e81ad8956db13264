import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** imgslim's own version, from package.json (one directory above src/ and dist/). */
export const VERSION: string = (require('../../package.json') as { version: string }).version;
