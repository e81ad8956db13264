import { describe, expect, test } from 'vitest';
import { evaluatePolicy, type Policy } from '../../src/policy/index.js';
import type { Binary, Report } from '../../src/report/index.js';
import { makeBinary, makeDynamicGlibcBinary, makeEntry, makeGoBinary, makeMuslBinary, makeReport, oneRule } from './fixtures.js';

function messages(report: Report, policy: Policy): string[] {
  return evaluatePolicy(report, policy, { today: '2026-01-15' }).results[0]!.violations.map((v) => v.message);
}

function withHardening(path: string, hardening: Partial<Binary['hardening']>, overrides: Partial<Binary> = {}): Binary {
  const base = makeDynamicGlibcBinary({ path, ...overrides });
  return { ...base, hardening: { ...base.hardening, ...hardening } };
}

const hardened = makeDynamicGlibcBinary({ path: '/app/good' });
const staticExec = makeBinary({ path: '/app/static' }); // ET_EXEC, relro none, no canary
const library = withHardening('/lib/libweak.so', { pie: false, relro: 'partial', canary: false }, { role: 'library', type: 'DYN' });

describe('hardening rules', () => {
  test('require-pie checks executables only', () => {
    expect(messages(makeReport({ binaries: [hardened, staticExec, library] }), oneRule('require-pie'))).toEqual([
      '/app/static is not position-independent (ELF type EXEC, static): no ASLR for its code',
    ]);
  });

  test('require-relro full rejects partial; partial accepts full and partial', () => {
    const report = makeReport({ binaries: [hardened, staticExec, library, makeMuslBinary()] });
    expect(messages(report, oneRule('require-relro', 'full'))).toEqual([
      '/app/static has no RELRO (no PT_GNU_RELRO); full RELRO required',
      '/lib/libweak.so has partial RELRO (PT_GNU_RELRO without BIND_NOW); full RELRO required',
      '/app/hello has partial RELRO (PT_GNU_RELRO without BIND_NOW); full RELRO required',
    ]);
    expect(messages(report, oneRule('require-relro', 'partial'))).toEqual(['/app/static has no RELRO (no PT_GNU_RELRO); partial RELRO required']);
  });

  test('require-nx, no-textrel, no-wx', () => {
    const report = makeReport({
      binaries: [hardened, withHardening('/app/execstack', { nx: false }), withHardening('/app/textrel', { textrel: true }), withHardening('/app/wx', { wx: true })],
    });
    expect(messages(report, oneRule('require-nx'))).toEqual(['/app/execstack has an executable stack (PT_GNU_STACK with PF_X, or no PT_GNU_STACK)']);
    expect(messages(report, oneRule('no-textrel'))).toEqual(['/app/textrel has text relocations (DT_TEXTREL): code pages are written at load time']);
    expect(messages(report, oneRule('no-wx'))).toEqual(['/app/wx has a segment that is both writable and executable (W^X violated)']);
  });

  test('require-canary exempts Go binaries without cgo', () => {
    const report = makeReport({ binaries: [hardened, staticExec, makeGoBinary(false), { ...makeGoBinary(true), path: '/app/cgo' }] });
    expect(messages(report, oneRule('require-canary'))).toEqual([
      '/app/static has no stack canary (no __stack_chk_fail / __stack_chk_guard)',
      '/app/cgo has no stack canary (no __stack_chk_fail / __stack_chk_guard)',
    ]);
  });

  test('no-rpath names RPATH and RUNPATH', () => {
    const report = makeReport({
      binaries: [hardened, makeDynamicGlibcBinary({ path: '/app/greet', rpath: ['$ORIGIN/../lib'] }), makeDynamicGlibcBinary({ path: '/app/greet2', runpath: ['/opt/lib', '$ORIGIN'] })],
    });
    expect(messages(report, oneRule('no-rpath'))).toEqual(['/app/greet has RPATH $ORIGIN/../lib', '/app/greet2 has RUNPATH /opt/lib:$ORIGIN']);
  });
});

describe('no-insecure-rpath', () => {
  test('empty, relative, world-writable and setuid-$ORIGIN entries fail; $ORIGIN and system dirs pass', () => {
    const report = makeReport({
      binaries: [
        makeDynamicGlibcBinary({ path: '/app/ok', runpath: ['$ORIGIN/../lib', '/usr/lib/app'] }),
        makeDynamicGlibcBinary({ path: '/app/empty', rpath: ['', '/usr/lib'] }),
        makeDynamicGlibcBinary({ path: '/app/relative', runpath: ['lib'] }),
        makeDynamicGlibcBinary({ path: '/app/tmp', runpath: ['/tmp/libs'] }),
        makeDynamicGlibcBinary({ path: '/app/shared', runpath: ['${ORIGIN}/../shared'] }),
        makeDynamicGlibcBinary({ path: '/usr/bin/suid', rpath: ['$ORIGIN/../lib'] }),
      ],
      filesystem: {
        ...makeReport().filesystem,
        entries: [
          makeEntry({ path: '/shared', type: 'directory', mode: 0o777 }),
          makeEntry({ path: '/usr/bin/suid', mode: 0o4755 }),
          makeEntry({ path: '/app', type: 'directory', mode: 0o755 }),
        ],
      },
    });
    expect(messages(report, oneRule('no-insecure-rpath'))).toEqual([
      "/app/empty RPATH entry '' is empty: it means the working directory",
      '/app/relative RUNPATH entry lib is relative: it resolves against the working directory',
      '/app/tmp RUNPATH entry /tmp/libs is under world-writable /tmp: any user can add a library there',
      '/app/shared RUNPATH entry ${ORIGIN}/../shared is under world-writable /shared (mode 0777): any user can add a library there',
      '/usr/bin/suid RPATH entry $ORIGIN/../lib uses $ORIGIN in a setuid file (mode 4755): a hard link elsewhere changes what it loads',
    ]);
  });
});
