#!/usr/bin/env node
/**
 * Builds native/isal-inflate.c, the gzip inflater on ISA-L (docs/decisions/archive.md), into
 * native/build/addon/isal-inflate.node. npm runs it at install (`install` in package.json).
 * It needs a C compiler, Node's headers (node_api.h) and ISA-L's (Debian: `apt-get install
 * libisal-dev`). Without them it says so in one line and exits 0: imgslim then inflates gzip with
 * node:zlib, the same bytes ~1.3× slower. `--require` makes a missing prerequisite an error (CI).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const output = path.join(here, 'build', 'addon', 'isal-inflate.node');
const required = process.argv.includes('--require');

function giveUp(reason) {
  const line = `imgslim: the ISA-L gzip inflater was not built (${reason}); gzip layers will use node:zlib`;
  process.stderr.write(`${line}\n`);
  process.exit(required ? 1 : 0);
}

/** Node's own headers: beside the binary (official builds), else a distribution's include dir. */
function nodeHeaders() {
  const candidates = [
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    process.config.variables?.node_prefix && path.join(process.config.variables.node_prefix, 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

/** Built already, from these sources (`npx imgslim` in the repository runs `install` again). */
function upToDate() {
  const built = statSync(output, { throwIfNoEntry: false });
  const sources = [path.join(here, 'isal-inflate.c'), fileURLToPath(import.meta.url)].map((file) => statSync(file).mtimeMs);
  return built !== undefined && sources.every((mtime) => mtime <= built.mtimeMs);
}

if (upToDate()) process.exit(0);
if (process.platform !== 'linux') giveUp(`${process.platform} is not supported`);
const headers = nodeHeaders();
if (!headers) giveUp("Node's headers (node_api.h) were not found");

const compiler = process.env.CC || 'cc';
const flags = ['-O2', '-std=c11', '-Wall', '-Wextra', '-fPIC', '-shared', '-DNODE_GYP_MODULE_NAME=isal_inflate', '-DNAPI_VERSION=8'];
const partial = `${output}.tmp-${process.pid}`;
mkdirSync(path.dirname(output), { recursive: true });
try {
  execFileSync(compiler, [...flags, `-I${headers}`, path.join(here, 'isal-inflate.c'), '-lisal', '-o', partial], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (error) {
  const detail = error.code === 'ENOENT' ? `no C compiler (${compiler})` : String(error.stderr || error.message).trim().split('\n')[0];
  giveUp(/isa-l|isal/i.test(detail) ? `ISA-L's headers or library are missing (Debian: libisal-dev): ${detail}` : detail);
}
renameSync(partial, output);
