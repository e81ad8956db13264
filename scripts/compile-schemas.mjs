#!/usr/bin/env node
/** Writes src/image/schema/_compiled.ts from the built definitions (run `npm run schemas`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCompiledSchemas } from '../dist/image/schema/_codegen.js';

const target = fileURLToPath(new URL('../src/image/schema/_compiled.ts', import.meta.url));
writeFileSync(target, generateCompiledSchemas());
console.log(`wrote ${target}`);
