/**
 * Realistic Reports for UI tests: a six-layer Debian-based service image with glibc, musl, Go
 * and static binaries, two that will fail, findings of every severity, a file tree of a few
 * thousand entries with symlinks and a hard link, and (for slim) the before → after figures.
 */
import type { Binary, FsEntry, Layer, Report, SlimSummary } from '../../src/report/schema.js';
import { makeBinary, makeDynamicGlibcBinary, makeEntry, makeLayer, makeReport } from '../helpers/report-fixture.js';

const MiB = 1024 * 1024;
const LIB = '/usr/lib/x86_64-linux-gnu';

function layers(): Layer[] {
  const specs: Array<[string | null, number, number, Partial<Layer['files']>, number]> = [
    ['/bin/sh -c #(nop) ADD file:5d6b639e8b6bcc011b5d in / ', 74.8 * MiB, 28.2 * MiB, { added: 3120 }, 0],
    ['/bin/sh -c apt-get update && apt-get install -y --no-install-recommends libssl3 ca-certificates python3 && rm -rf /var/lib/apt/lists/*', 52.1 * MiB, 19.7 * MiB, { added: 1840, modified: 12 }, 1.2 * MiB],
    ['COPY build/server /app/server # buildkit', 9.4 * MiB, 3.9 * MiB, { added: 3 }, 0],
    ['RUN /bin/sh -c pip install --no-cache-dir flask==3.0.0 # buildkit', 18.3 * MiB, 6.1 * MiB, { added: 902, modified: 4 }, 0.4 * MiB],
    ['COPY --from=tools /usr/local/bin/ /usr/local/bin/ # buildkit', 14.6 * MiB, 6.0 * MiB, { added: 3 }, 0],
    [null, 0.2 * MiB, 0.1 * MiB, { added: 0, removed: 214 }, 0],
  ];
  return specs.map(([createdBy, size, compressedSize, files, reclaimable], index) =>
    makeLayer({
      index,
      createdBy,
      size: Math.round(size),
      tarSize: Math.round(size + 512 * 1024),
      compressedSize: Math.round(compressedSize),
      files: { entries: (files.added ?? 0) + (files.modified ?? 0), added: 0, modified: 0, removed: 0, addedBytes: Math.round(size), modifiedBytes: 0, ...files },
      reclaimableBytes: Math.round(reclaimable),
    }),
  );
}

function glibcLibrary(path: string, soname: string, size: number, needed: string[] = ['libc.so.6']): Binary {
  return makeDynamicGlibcBinary({ path, soname, size, role: 'library', needed, layer: 1, interpreter: null, resolved: [] });
}

function binaries(): Binary[] {
  const server = makeDynamicGlibcBinary({ path: '/app/server', size: 9.4 * MiB, layer: 2, needed: ['libssl.so.3', 'libcrypto.so.3', 'libc.so.6'], toolchain: ['GCC: (Debian 12.2.0-14) 12.2.0'] });
  server.resolved.push(
    { name: 'libssl.so.3', path: `${LIB}/libssl.so.3`, via: 'default-path', viaDetail: LIB, neededBy: '/app/server', chain: [`${LIB}/libssl.so.3`], depth: 1, problem: null },
    { name: 'libcrypto.so.3', path: `${LIB}/libcrypto.so.3`, via: 'default-path', viaDetail: LIB, neededBy: '/app/server', chain: [`${LIB}/libcrypto.so.3`], depth: 1, problem: null },
  );
  const broken = makeDynamicGlibcBinary({
    path: '/usr/local/bin/exporter',
    size: 4.1 * MiB,
    layer: 4,
    needed: ['libpq.so.5', 'libc.so.6'],
    status: 'will-fail',
    problems: ['libpq.so.5: not found (needed by /usr/local/bin/exporter; searched /usr/lib/x86_64-linux-gnu, /lib/x86_64-linux-gnu)'],
  });
  broken.resolved.push({ name: 'libpq.so.5', path: null, via: 'not-found', viaDetail: null, neededBy: '/usr/local/bin/exporter', chain: [], depth: 1, problem: 'not found' });
  const muslTool = makeBinary({
    path: '/usr/local/bin/healthcheck',
    size: 0.9 * MiB,
    layer: 4,
    type: 'DYN',
    linkage: 'dynamic',
    libc: 'musl',
    interpreter: '/lib/ld-musl-x86_64.so.1',
    needed: ['libc.musl-x86_64.so.1'],
    status: 'will-fail',
    problems: ['interpreter /lib/ld-musl-x86_64.so.1 is missing: built for musl, the image has glibc'],
    resolved: [{ name: '/lib/ld-musl-x86_64.so.1', path: null, via: 'not-found', viaDetail: null, neededBy: '/usr/local/bin/healthcheck', chain: [], depth: 0, problem: 'interpreter missing' }],
  });
  const goTool = makeBinary({
    path: '/usr/local/bin/migrate',
    size: 9.6 * MiB,
    layer: 4,
    type: 'DYN',
    linkage: 'static-pie',
    hardening: { ...makeBinary().hardening, pie: true, relro: 'full' },
    go: {
      version: 'go1.22.1',
      path: 'example.com/migrate/cmd/migrate',
      mainModule: 'example.com/migrate@v1.4.0',
      settings: { CGO_ENABLED: '0', GOARCH: 'amd64', GOOS: 'linux', '-buildmode': 'pie' },
      deps: [
        { path: 'github.com/lib/pq', version: 'v1.10.9', sum: 'h1:YXG7RB+JIjhP29X+OtkiDnYaXQwpS4JEWq7dtCCRUEw=', replace: null },
        { path: 'golang.org/x/sys', version: 'v0.18.0', sum: null, replace: { path: '../sys', version: '(devel)', sum: null } },
      ],
      cgoEnabled: false,
    },
  });
  return [
    server,
    broken,
    muslTool,
    goTool,
    makeBinary({ path: '/bin/busybox', size: 1.1 * MiB, layer: 0 }),
    makeDynamicGlibcBinary({ path: '/usr/bin/python3.11', size: 6.6 * MiB, layer: 1, needed: ['libm.so.6', 'libz.so.1', 'libexpat.so.1', 'libc.so.6'], glibcFloor: 'GLIBC_2.35' }),
    makeDynamicGlibcBinary({ path: '/usr/bin/openssl', size: 1.0 * MiB, layer: 1, needed: ['libssl.so.3', 'libcrypto.so.3', 'libc.so.6'], hardening: { ...makeDynamicGlibcBinary().hardening, wx: true, nx: false } }),
    glibcLibrary(`${LIB}/libc.so.6`, 'libc.so.6', 1.9 * MiB, []),
    glibcLibrary(`${LIB}/libssl.so.3`, 'libssl.so.3', 0.7 * MiB, ['libcrypto.so.3', 'libc.so.6']),
    glibcLibrary(`${LIB}/libcrypto.so.3`, 'libcrypto.so.3', 4.5 * MiB),
    glibcLibrary(`${LIB}/libz.so.1.2.13`, 'libz.so.1', 0.1 * MiB),
    glibcLibrary(`${LIB}/libLLVM-15.so.1`, 'libLLVM-15.so.1', 98.1 * MiB, ['libstdc++.so.6', 'libc.so.6']),
  ].map((binary) => ({ ...binary, size: Math.round(binary.size) }));
}

/** A few thousand entries: the binaries, docs, Python modules, configs, symlinks and a hard link. */
function entries(list: Binary[]): FsEntry[] {
  const out: FsEntry[] = [];
  const dirs = new Set<string>();
  const add = (entry: FsEntry) => {
    for (let dir = entry.path.slice(0, entry.path.lastIndexOf('/')); dir; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      if (dirs.has(dir)) break;
      dirs.add(dir);
      out.push(makeEntry({ path: dir, type: 'directory', mode: 0o755 }));
    }
    out.push(entry);
  };
  for (const binary of list) add(makeEntry({ path: binary.path, size: binary.size, mode: 0o755, layer: binary.layer }));
  for (let i = 0; i < 600; i++) add(makeEntry({ path: `/usr/share/doc/pkg-${String(i).padStart(3, '0')}/copyright`, size: 1500 + i * 7, layer: 1 }));
  for (let i = 0; i < 900; i++) add(makeEntry({ path: `/usr/lib/python3/dist-packages/mod${i % 30}/file${i}.py`, size: 2048 + (i % 97) * 113, layer: 3 }));
  for (let i = 0; i < 120; i++) add(makeEntry({ path: `/etc/conf.d/service-${i}.conf`, size: 300 + i, layer: 0 }));
  add(makeEntry({ path: '/etc/ssl/certs/ca-certificates.crt', size: 213_777, layer: 1 }));
  add(makeEntry({ path: '/lib64/ld-linux-x86-64.so.2', type: 'symlink', linkTarget: `${LIB}/ld-linux-x86-64.so.2`, layer: 0 }));
  add(makeEntry({ path: `${LIB}/ld-linux-x86-64.so.2`, size: 210_968, mode: 0o755, layer: 0 }));
  add(makeEntry({ path: '/usr/bin/python3', type: 'symlink', linkTarget: 'python3.11', layer: 1 }));
  add(makeEntry({ path: '/usr/bin/sh', type: 'hardlink', size: 1.1 * MiB, linkTarget: '/bin/busybox', layer: 0 }));
  out.push(makeEntry({ path: '/tmp', type: 'directory', mode: 0o1777 }));
  return out;
}

export function makeServiceImageReport(overrides: Partial<Report> = {}): Report {
  const list = binaries();
  const fsEntries = entries(list);
  const base = makeReport({
    binaries: list,
    layers: layers(),
    filesystem: {
      files: fsEntries.filter((e) => e.type === 'file' || e.type === 'hardlink').length,
      directories: fsEntries.filter((e) => e.type === 'directory').length,
      symlinks: fsEntries.filter((e) => e.type === 'symlink').length,
      hardlinks: 1,
      other: 0,
      totalSize: fsEntries.filter((e) => e.type === 'file').reduce((sum, e) => sum + e.size, 0),
      entries: fsEntries,
    },
    efficiency: {
      score: 0.873,
      wastedBytes: 13_421_772,
      userWastedPercent: 0.142,
      reclaimableBytes: 1_677_722,
      topWasted: [
        { path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', count: 2, cumulativeSize: 9_123_456 },
        { path: '/usr/lib/python3/dist-packages/mod1/__init__.py', count: 3, cumulativeSize: 12_345 },
      ],
    },
    entrypoint: {
      argv: ['/app/server', '--listen', ':8080'],
      path: '/app/server',
      binary: '/app/server',
      command: null,
      interpreters: [],
      applet: null,
      startable: true,
      reasons: ['/app/server is a dynamic glibc executable', 'its 4 dependencies resolve in the image'],
    },
    findings: [
      { id: 'glibc-version', severity: 'warning', path: '/usr/bin/python3.11', message: 'needs GLIBC_2.35 but the image provides GLIBC_2.36: fine here, but a base image older than bookworm would break it' },
      { id: 'missing-library', severity: 'error', path: '/usr/local/bin/exporter', message: 'libpq.so.5 not found in the image (searched /usr/lib/x86_64-linux-gnu, /lib/x86_64-linux-gnu)' },
      { id: 'wrong-libc', severity: 'error', path: '/usr/local/bin/healthcheck', message: 'built for musl (/lib/ld-musl-x86_64.so.1) but the image only has glibc' },
      { id: 'wx-segment', severity: 'warning', path: '/usr/bin/openssl', message: 'has a writable and executable segment' },
      { id: 'large-layer', severity: 'info', path: null, message: 'layer 1 holds 52.1 MiB, 43% of the image' },
    ],
    ...overrides,
  });
  return base;
}

export function makeSlimReport(overrides: Partial<Report> = {}): Report {
  const report = makeServiceImageReport(overrides);
  const keptPaths: Array<[string, string[]]> = [
    ['/app/server', ['entrypoint']],
    ['/lib64/ld-linux-x86-64.so.2', ['interpreter of /app/server']],
    [`${LIB}/ld-linux-x86-64.so.2`, ['symlink target of /lib64/ld-linux-x86-64.so.2']],
    [`${LIB}/libc.so.6`, ['needed by /app/server (libc.so.6)']],
    [`${LIB}/libssl.so.3`, ['needed by /app/server (libssl.so.3)']],
    [`${LIB}/libcrypto.so.3`, ['needed by /app/server (libcrypto.so.3)', 'needed by /usr/lib/x86_64-linux-gnu/libssl.so.3']],
    ['/etc/ssl/certs/ca-certificates.crt', ['--keep /etc/ssl/certs']],
  ];
  const sizeOf = (path: string) => report.filesystem.entries.find((e) => e.path === path)?.size ?? 0;
  const kept = keptPaths.map(([path, reasons]) => ({ path, size: sizeOf(path), reasons }));
  const keptSize = kept.reduce((sum, file) => sum + file.size, 0);
  const slim: SlimSummary = {
    before: { size: report.filesystem.totalSize, compressedSize: report.layers.reduce((s, l) => s + l.compressedSize, 0), files: report.filesystem.files, layers: report.layers.length, binaries: report.binaries.length },
    after: { size: keptSize, compressedSize: Math.round(keptSize * 0.41), files: kept.length - 1, layers: 1, binaries: 4 },
    kept,
    created: 0,
    dropped: {
      count: report.filesystem.files - (kept.length - 1),
      size: report.filesystem.totalSize - keptSize,
      largest: [
        { path: `${LIB}/libLLVM-15.so.1`, size: 102_865_715 },
        { path: '/usr/bin/python3.11', size: 6_920_601 },
        { path: '/usr/local/bin/migrate', size: 10_066_329 },
      ],
    },
    risks: [{ path: '/usr/local/bin/migrate', message: 'executable not reachable from the entrypoint was dropped; run it from another image' }],
    compressedSizeEstimated: false,
    output: { path: 'slim.tar', format: 'oci-archive', manifestDigest: `sha256:${'e'.repeat(64)}`, configDigest: `sha256:${'f'.repeat(64)}` },
  };
  return { ...report, slim };
}
