/**
 * The version musl's libc.so embeds, read from Debian's musl package against two independent
 * answers: the package version `dpkg-query -W musl` reports (upstream part) and the `Version`
 * line the loader itself prints when run with no arguments. Streamed (collector) and whole
 * parses agree; glibc's objects and a file whose version string is gone carry none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, parseElf } from '../../src/elf/index.js';
import { hasTool, missingPrerequisite } from '../helpers/tools.js';

const MUSL_LIBC = '/lib/x86_64-linux-musl/libc.so';
const GLIBC = ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'];

function muslInstalled(): boolean {
  if (!hasTool('dpkg-query', 'the musl version checks')) return false;
  if (existsSync(MUSL_LIBC)) return true;
  missingPrerequisite(`${MUSL_LIBC} (Debian package musl) is not installed`, 'the musl version checks');
  return false;
}
const hasMuslPackage = muslInstalled();

function streamed(bytes: Buffer) {
  const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
  for (let at = 0; at < bytes.length; at += 65536) collector.push(bytes.subarray(at, at + 65536));
  return collector.finish();
}

describe.skipIf(!hasMuslPackage)("musl's embedded version", () => {
  const bytes = readFileSync(MUSL_LIBC);

  test('equals the package version dpkg records and the Version line the loader prints', () => {
    const packaged = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'musl'], { encoding: 'utf8' }).stdout;
    const upstream = packaged.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
    // Run with no arguments, musl's loader prints its banner and `Version X.Y.Z` and exits 1.
    const run = spawnSync(MUSL_LIBC, [], { encoding: 'utf8' });
    const printed = /^Version (\S+)$/m.exec(`${run.stdout}${run.stderr}`)?.[1];
    const version = parseElf(bufferByteSource(bytes)).muslVersion;
    expect(version).toBe(upstream);
    expect(version).toBe(printed);
  });

  test('a streamed parse (only the kept ranges) finds the same version', () => {
    expect(streamed(bytes).muslVersion).toBe(parseElf(bufferByteSource(bytes)).muslVersion);
  });

  test("glibc's libc and loader, and a musl libc whose version string was overwritten, carry none", () => {
    for (const file of GLIBC.filter(existsSync)) expect(parseElf(bufferByteSource(readFileSync(file))).muslVersion ?? null).toBeNull();
    const version = parseElf(bufferByteSource(bytes)).muslVersion!;
    const at = bytes.indexOf(Buffer.from(`\0${version}\0`, 'latin1'));
    const patched = Buffer.from(bytes);
    patched.write('x', at + 1, 'latin1');
    expect(parseElf(bufferByteSource(patched)).muslVersion).toBeNull();
  });
});
