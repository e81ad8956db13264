/** Report builders for policy tests, on top of the shared report fixtures. */
import type { Binary, Report } from '../../src/report/index.js';
import { configurePolicy, mergeSettings, parsePolicyDocument, type Policy } from '../../src/policy/index.js';
import { makeBinary, makeDynamicGlibcBinary, makeEntry, makeLayer, makeReport } from '../helpers/report-fixture.js';

export { makeBinary, makeDynamicGlibcBinary, makeEntry, makeLayer, makeReport };

/** A musl dynamic executable resolved against /lib/ld-musl-x86_64.so.1. */
export function makeMuslBinary(overrides: Partial<Binary> = {}): Binary {
  const path = overrides.path ?? '/app/hello';
  return makeBinary({
    path,
    type: 'DYN',
    linkage: 'dynamic',
    libc: 'musl',
    interpreter: '/lib/ld-musl-x86_64.so.1',
    needed: ['libc.so'],
    resolved: [
      { name: '/lib/ld-musl-x86_64.so.1', path: '/lib/ld-musl-x86_64.so.1', via: 'interpreter', viaDetail: null, neededBy: path, chain: ['/lib/ld-musl-x86_64.so.1'], depth: 0, problem: null },
      { name: 'libc.so', path: '/lib/ld-musl-x86_64.so.1', via: 'musl-builtin', viaDetail: null, neededBy: path, chain: [], depth: 1, problem: null },
    ],
    hardening: { relro: 'partial', canary: false, nx: true, pie: true, fortify: 'n/a', textrel: false, wx: false, stripped: true, rpath: false, runpath: false },
    ...overrides,
  });
}

/** glibc's libc.so.6 itself: defines GLIBC_* versions and needs the loader. */
export function makeGlibcLibrary(): Binary {
  return makeDynamicGlibcBinary({
    path: '/lib/x86_64-linux-gnu/libc.so.6',
    role: 'library',
    interpreter: '/lib64/ld-linux-x86-64.so.2',
    needed: ['ld-linux-x86-64.so.2'],
    soname: 'libc.so.6',
    versionNeeds: { 'ld-linux-x86-64.so.2': ['GLIBC_2.2.5', 'GLIBC_2.35', 'GLIBC_PRIVATE'] },
    versionDefs: ['libc.so.6', 'GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_2.36', 'GLIBC_PRIVATE'],
    glibcFloor: 'GLIBC_2.35',
    glibcProvided: 'GLIBC_2.36',
    resolved: [],
  });
}

/** A Go binary with build info. */
export function makeGoBinary(cgo: boolean | null, overrides: Partial<Binary> = {}): Binary {
  const base = cgo ? makeDynamicGlibcBinary({ path: '/app/gosrv' }) : makeBinary({ path: '/app/gosrv' });
  return {
    ...base,
    go: {
      version: cgo === null ? 'go1.17' : 'go1.22.0',
      path: 'example.com/gosrv',
      mainModule: 'example.com/gosrv@(devel)',
      settings: cgo === null ? {} : { CGO_ENABLED: cgo ? '1' : '0', GOOS: 'linux', GOARCH: 'amd64' },
      deps: [],
      cgoEnabled: cgo,
    },
    hardening: { ...base.hardening, canary: false },
    ...overrides,
  };
}

/** A report with dive's efficiency figures set. */
export function makeEfficiencyReport(efficiency: Partial<Report['efficiency']>, layers = 3): Report {
  return makeReport({
    layers: Array.from({ length: layers }, (_, index) => makeLayer({ index, size: 10_000_000, compressedSize: 4_000_000 })),
    efficiency: {
      score: 1,
      wastedBytes: 0,
      userWastedPercent: 0,
      reclaimableBytes: 0,
      topWasted: [{ path: '/data/blob.bin', count: 2, cumulativeSize: 4_000_000 }],
      ...efficiency,
    },
  });
}

/** A policy from a document as the policy file would give it. */
export function policyOf(document: unknown, source = 'policy.yaml'): Policy {
  return configurePolicy(mergeSettings([parsePolicyDocument(document, source)], []), [source]);
}

/** A policy with one rule set to `value`. */
export function oneRule(rule: string, value: unknown = true): Policy {
  return policyOf({ rules: { [rule]: value } });
}
