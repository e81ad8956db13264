/** Shared helpers for the ELF tests: peer-corpus bytes (decompressed in memory), tools, parsing. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bufferByteSource, parseElf, type ElfInfo, type GoBuildInfo } from '../../src/elf/index.js';
import { unquoteGoBytes } from '../../src/elf/go-modinfo.js';

export { peerCorpus } from '../helpers/peer-corpus.js';

export { hasTool } from '../helpers/tools.js';

export function parseBytes(bytes: Uint8Array): ElfInfo {
  return parseElf(bufferByteSource(bytes));
}

export function read(dir: string, name: string): Uint8Array {
  return readFileSync(path.join(dir, name));
}

export function gunzip(dir: string, name: string): Uint8Array {
  return gunzipSync(readFileSync(path.join(dir, name)));
}

export function bunzip(dir: string, name: string): Uint8Array {
  return execFileSync('bzcat', [path.join(dir, name)], { maxBuffer: 64 << 20 });
}

export function base64(dir: string, name: string): Uint8Array {
  return Buffer.from(readFileSync(path.join(dir, name), 'utf8'), 'base64');
}

/** A Go fuzz-corpus file (`go test fuzz v1` then one `[]byte("…")` literal) decoded to its bytes. */
export function goFuzzBytes(dir: string, name: string): Uint8Array {
  const text = readFileSync(path.join(dir, name), 'utf8');
  const literal = /\[\]byte\(("(?:[^"\\]|\\.)*")\)/s.exec(text)?.[1];
  const bytes = literal ? unquoteGoBytes(literal) : null;
  if (!bytes) throw new Error(`${name}: no []byte literal`);
  return bytes;
}

/** A scratch directory under /tmp/elf for this test file. */
export function scratch(name: string): string {
  const dir = path.join('/tmp/elf', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const PT = { LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, PHDR: 6, TLS: 7, GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552 };

/** `go version -m FILE` as GoBuildInfo (quoted build values unquoted). */
export function goVersionM(file: string): GoBuildInfo {
  const out = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const [first = '', ...lines] = out.trimEnd().split('\n');
  const info: GoBuildInfo = { version: first.slice(first.lastIndexOf(': ') + 2), path: null, mainModule: null, settings: {}, deps: [] };
  for (const line of lines) {
    const [kind, ...cols] = line.replace(/^\t/, '').split('\t');
    if (kind === 'path') info.path = cols[0] ?? null;
    else if (kind === 'mod') info.mainModule = `${cols[0]}@${cols[1]}`;
    else if (kind === 'dep') info.deps.push({ path: cols[0] ?? '', version: cols[1] ?? '', sum: cols[2] || null, replace: null });
    else if (kind === '=>') {
      const dep = info.deps.at(-1);
      if (dep) dep.replace = { path: cols[0] ?? '', version: cols[1] ?? '', sum: cols[2] || null };
    } else if (kind === 'build') {
      const kv = cols.join('\t');
      const eq = kv.indexOf('=');
      const raw = kv.slice(eq + 1);
      info.settings[kv.slice(0, eq)] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    }
  }
  return info;
}


/** parseBytes with `importDetails` (weak binding and version of every import) filled in. */
export function parseBytesWithImports(bytes: Uint8Array): ElfInfo {
  return parseElf(bufferByteSource(bytes), { importDetails: true });
}
