/**
 * Valid synthetic Reports for tests of code that consumes a Report (policy, UI), without
 * reading an image. Every builder returns a value that validates against the Report schema.
 */
import { SCHEMA_VERSION, type Binary, type FsEntry, type Layer, type Report } from '../../src/report/schema.js';
import { summarizeReport } from '../../src/report/summarize.js';

export function makeBinary(overrides: Partial<Binary> = {}): Binary {
  return {
    path: '/app/server',
    hardLinks: [],
    size: 1_234_567,
    layer: 0,
    digest: null,
    class: 'ELF64',
    endian: 'little',
    machine: 'x86-64',
    osabi: 'SYSV',
    type: 'EXEC',
    role: 'executable',
    linkage: 'static',
    libc: 'none',
    interpreter: null,
    needed: [],
    soname: null,
    rpath: [],
    runpath: [],
    versionNeeds: {},
    versionDefs: [],
    glibcFloor: null,
    glibcProvided: null,
    muslVersion: null,
    sha1: null,
    resolved: [],
    vdso: { uses: false, evidence: null },
    go: null,
    toolchain: [],
    buildId: null,
    package: null,
    hardening: {
      relro: 'none',
      canary: false,
      nx: true,
      pie: false,
      fortify: 'n/a',
      textrel: false,
      wx: false,
      stripped: true,
      rpath: false,
      runpath: false,
    },
    neverLoaded: null,
    status: 'ok',
    problems: [],
    diagnostics: [],
    ...overrides,
  };
}

/** A glibc dynamic PIE executable with its resolved closure. */
export function makeDynamicGlibcBinary(overrides: Partial<Binary> = {}): Binary {
  return makeBinary({
    type: 'DYN',
    linkage: 'dynamic',
    libc: 'glibc',
    interpreter: '/lib64/ld-linux-x86-64.so.2',
    needed: ['libc.so.6'],
    versionNeeds: { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.34'] },
    glibcFloor: 'GLIBC_2.34',
    resolved: [
      {
        name: '/lib64/ld-linux-x86-64.so.2',
        path: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
        via: 'interpreter',
        viaDetail: null,
        neededBy: overrides.path ?? '/app/server',
        chain: ['/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'],
        depth: 0,
        problem: null,
      },
      {
        name: 'libc.so.6',
        path: '/lib/x86_64-linux-gnu/libc.so.6',
        via: 'default-path',
        viaDetail: '/lib/x86_64-linux-gnu',
        neededBy: overrides.path ?? '/app/server',
        chain: ['/lib/x86_64-linux-gnu/libc.so.6'],
        depth: 1,
        problem: null,
      },
    ],
    vdso: { uses: true, evidence: 'libc.so.6 looks up __vdso_clock_gettime' },
    hardening: {
      relro: 'full',
      canary: true,
      nx: true,
      pie: true,
      fortify: 'yes',
      textrel: false,
      wx: false,
      stripped: true,
      rpath: false,
      runpath: false,
    },
    ...overrides,
  });
}

export function makeLayer(overrides: Partial<Layer> = {}): Layer {
  const index = overrides.index ?? 0;
  const hex = String(index).padStart(64, 'a');
  return {
    index,
    digest: `sha256:${hex}`,
    diffId: `sha256:${hex.replace(/a/g, 'b')}`,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    compression: 'gzip',
    compressedSize: 1_000_000,
    size: 2_500_000,
    tarSize: 2_600_000,
    createdBy: `RUN step ${index}`,
    created: '2026-01-01T00:00:00Z',
    comment: null,
    files: { entries: 10, added: 10, modified: 0, removed: 0, addedBytes: 2_500_000, modifiedBytes: 0 },
    reclaimableBytes: 0,
    changes: [],
    ...overrides,
  };
}

export function makeEntry(overrides: Partial<FsEntry> & { path: string }): FsEntry {
  return {
    type: 'file',
    size: 0,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
    layer: 0,
    xattrs: [],
    capabilities: null,
    ...overrides,
  };
}

/** A Report with its summary derived from the rest, as analysis builds it (unless `overrides.summary` is given). */
export function makeReport(overrides: Partial<Report> = {}): Report {
  const report = reportWithoutSummary(overrides);
  return { ...report, summary: overrides.summary ?? summarizeReport(report) };
}

function reportWithoutSummary(overrides: Partial<Report>): Omit<Report, 'summary'> {
  const binaries = overrides.binaries ?? [makeBinary()];
  const entries =
    overrides.filesystem?.entries ??
    binaries.map((binary) => makeEntry({ path: binary.path, size: binary.size, mode: 0o755, layer: binary.layer }));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'imgslim', version: '0.0.0-test' },
    source: {
      path: 'image.tar',
      format: 'docker-archive',
      manifestDigest: `sha256:${'c'.repeat(64)}`,
      manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      configDigest: `sha256:${'d'.repeat(64)}`,
      platform: 'linux/amd64',
      reference: 'example/app:1.0',
      tags: ['example/app:1.0'],
    },
    config: {
      entrypoint: ['/app/server'],
      cmd: null,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      user: '65532',
      workingDir: '/',
      exposedPorts: { '8080/tcp': {} },
      labels: null,
      volumes: null,
      stopSignal: null,
      os: 'linux',
      architecture: 'amd64',
      variant: null,
      created: '2026-01-01T00:00:00Z',
    },
    layers: [makeLayer()],
    filesystem: {
      files: entries.filter((e) => e.type === 'file' || e.type === 'hardlink').length,
      directories: entries.filter((e) => e.type === 'directory').length,
      symlinks: entries.filter((e) => e.type === 'symlink').length,
      hardlinks: entries.filter((e) => e.type === 'hardlink').length,
      other: 0,
      totalSize: entries.filter((e) => e.type === 'file').reduce((sum, e) => sum + e.size, 0),
      entries,
    },
    efficiency: { score: 1, wastedBytes: 0, userWastedPercent: 0, reclaimableBytes: 0, topWasted: [] },
    binaries,
    entrypoint: {
      argv: ['/app/server'],
      path: '/app/server',
      binary: '/app/server',
      command: null,
      interpreters: [],
      applet: null,
      startable: true,
      reasons: ['/app/server is a static ELF executable'],
    },
    findings: [],
    distro: null,
    packages: [],
    packageDatabases: [],
    ...overrides,
  };
}
