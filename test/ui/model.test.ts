import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { lineText } from '../../src/ui/format/palette.js';
import { layoutTable } from '../../src/ui/format/table.js';
import { binariesTable, glibcCell, glibcVersion, hardeningMarks, orderBinaries } from '../../src/ui/model/binaries.js';
import { sortFindings } from '../../src/ui/model/findings.js';
import { cleanCreatedBy, fileChanges } from '../../src/ui/model/layers.js';
import { buildSlimRows, renderBar } from '../../src/ui/model/slim.js';
import { buildEntrypoint, buildHeader, buildSummary } from '../../src/ui/model/summary.js';
import { binaryDetailLines } from '../../src/ui/view/binary-detail.js';
import { headerLine, summaryLines } from '../../src/ui/view/summary-lines.js';
import { buildSlim } from '../../src/ui/model/slim.js';
import { makeBinary, makeDynamicGlibcBinary, makeLayer, makeReport } from '../helpers/report-fixture.js';
import { makeServiceImageReport, makeSlimReport } from './fixtures.js';

test('the rich fixtures are valid Reports', () => {
  expect([...Value.Errors(Report, makeServiceImageReport())]).toEqual([]);
  expect([...Value.Errors(Report, makeSlimReport())]).toEqual([]);
});

describe('summary', () => {
  test('counts binaries by role, status, linkage and libc, and findings by severity', () => {
    const summary = buildSummary(makeServiceImageReport());
    expect(summary.counts).toEqual({
      binaries: 12,
      paths: 12,
      executables: 7,
      libraries: 5,
      failing: 2,
      neverLoaded: 0,
      unknown: 0,
      linkage: { static: 1, 'static-pie': 1, dynamic: 10 },
      libc: { glibc: 9, musl: 1, none: 2, other: 0 },
      findings: { error: 2, warning: 2, info: 1 },
    });
    expect(summary.layers).toBe(6);
    expect(summary.compressedSize).toBe(67_108_864); // the fixture's six layer blobs: 29,569,843 + 20,656,947 + 4,089,446 + 6,396,314 + 6,291,456 + 104,858
  });

  test('the header names the reference, falls back to the path, and shortens the digest', () => {
    const report = makeReport();
    expect(buildHeader(report)).toMatchObject({ title: 'example/app:1.0', platform: 'linux/amd64', manifestDigest: 'sha256:cccccccccccc' });
    const bare = makeReport({ source: { ...report.source, reference: null, tags: [] } });
    expect(buildHeader(bare).title).toBe('image.tar');
    expect(lineText(headerLine(buildHeader(bare), 200))).toBe('image.tar (docker-archive)  linux/amd64  sha256:cccccccccccc');
  });

  test('the header line drops the least useful parts first when narrow', () => {
    const header = buildHeader(makeReport());
    expect(lineText(headerLine(header, 200))).toBe('example/app:1.0 (image.tar, docker-archive)  linux/amd64  sha256:cccccccccccc');
    expect(lineText(headerLine(header, 70))).toBe('example/app:1.0 (docker-archive)  linux/amd64  sha256:cccccccccccc');
    expect(lineText(headerLine(header, 60))).toBe('example/app:1.0  linux/amd64  sha256:cccccccccccc');
    expect(lineText(headerLine(header, 30))).toBe('example/app:1.0  linux/amd64');
  });

  test('the entrypoint is shell-quoted when needed; none configured is null', () => {
    const entrypoint = buildEntrypoint({ argv: ['/bin/sh', '-c', 'exec app --x'], path: '/bin/sh', binary: '/bin/busybox', command: '/app', interpreters: [], applet: 'sh', startable: false, reasons: ['no'] });
    expect(entrypoint?.command).toBe("/bin/sh -c 'exec app --x'");
    expect(buildEntrypoint(null)).toBeNull();
    expect(buildEntrypoint({ argv: [], path: null, binary: null, command: null, interpreters: [], applet: null, startable: false, reasons: [] })).toBeNull();
  });

  test('summary lines state whether the entrypoint can start, with its reasons', () => {
    const cannot = makeReport({
      entrypoint: { argv: ['/app/server'], path: '/app/server', binary: '/app/server', command: null, interpreters: [], applet: null, startable: false, reasons: ['libssl.so.3 not found'] },
    });
    const text = summaryLines(buildSummary(cannot), null, 100).map(lineText).join('\n');
    expect(text).toContain('✗ will not start');
    expect(text).toContain('✗ libssl.so.3 not found');
    const ok = summaryLines(buildSummary(makeReport()), null, 100).map(lineText).join('\n');
    expect(ok).toContain('✓ can start');
    // The verdict names what it checked, and what it did not.
    expect(ok.replace(/\s+/g, ' ')).toContain('not checked: configuration files, data and accounts it reads at run time');
    expect(ok).toContain('findings     none');
  });
});

describe('slim before → after', () => {
  test('rows carry both figures, the ratio for the bar and the signed change', () => {
    const rows = buildSlimRows(
      { size: 137.2 * 1048576, compressedSize: 50 * 1048576, files: 12000, layers: 5, binaries: 40 },
      { size: 9.8 * 1048576, compressedSize: 4 * 1048576, files: 48, layers: 1, binaries: 40 },
    );
    expect(rows[0]).toMatchObject({ label: 'size', before: '137.2 MiB', after: '9.8 MiB', change: '\u221292.9%', grew: false });
    expect(rows[0]!.ratio).toBeCloseTo(9.8 / 137.2);
    expect(rows[2]).toMatchObject({ label: 'files', before: '12,000', after: '48' });
    expect(rows[4]).toMatchObject({ label: 'binaries', change: '0.0%', ratio: 1 });
  });

  test('bars fill to the ratio and never show something as nothing', () => {
    expect(renderBar(0.5, 10)).toBe('█████░░░░░');
    expect(renderBar(0.01, 10)).toBe('█░░░░░░░░░');
    expect(renderBar(0, 4)).toBe('░░░░');
    expect(renderBar(2, 4)).toBe('████');
  });

  test('the slim block reads "size  before → after  bar  −x%", lists the largest dropped by size and the risks', () => {
    const report = makeSlimReport();
    const lines = summaryLines(buildSummary(report), buildSlim(report), 100).map(lineText);
    expect(lines[0]).toBe('Slim: before → after');
    expect(lines[1]).toMatch(/^ {2}size +\d+\.\d MiB → +\d+\.\d MiB {2}█+░+ {2} *−\d+\.\d%$/);
    const largest = lines.slice(lines.indexOf('  largest dropped') + 1, lines.indexOf('  largest dropped') + 4);
    expect(largest.map((l) => l.trim().split(/\s+/).pop())).toEqual(['/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', '/usr/local/bin/migrate', '/usr/bin/python3.11']);
    expect(lines.join('\n')).toContain('! /usr/local/bin/migrate: executable not reachable');
    expect(lines.join('\n')).toContain('output       slim.tar (oci-archive, sha256:eeeeeeeeeeee)');
  });

  test('narrow terminals drop the bar, never the figures', () => {
    const report = makeSlimReport();
    const lines = summaryLines(buildSummary(report), buildSlim(report), 44).map(lineText);
    expect(lines[1]).not.toContain('█');
    expect(lines[1]).toMatch(/−\d+\.\d%$/);
  });
});

describe('binaries', () => {
  test("the entrypoint's closure pinned, then failing first, executables before libraries, then by path", () => {
    const report = makeServiceImageReport();
    const sorted = orderBinaries(report.binaries, report.summary.binaryOrder).map((b) => b.path);
    expect(sorted.slice(0, 3)).toEqual(['/app/server', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/lib/x86_64-linux-gnu/libcrypto.so.3']);
    expect(sorted.slice(3, 5)).toEqual(['/usr/local/bin/exporter', '/usr/local/bin/healthcheck']);
    expect(sorted.indexOf('/usr/bin/openssl')).toBeLessThan(sorted.indexOf('/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'));
    expect(sorted.at(-1)).toBe('/usr/lib/x86_64-linux-gnu/libz.so.1.2.13');
  });

  test('hardening marks and glibc floor', () => {
    expect(hardeningMarks(makeDynamicGlibcBinary().hardening)).toBe('PRCNF');
    expect(hardeningMarks(makeBinary().hardening)).toBe('···N-');
    expect(hardeningMarks({ ...makeBinary().hardening, relro: 'partial', wx: true, textrel: true, fortify: 'no' })).toBe('·r·N·WT');
    expect(glibcVersion('GLIBC_2.34')).toBe('2.34');
    expect(glibcVersion(null)).toBe('');
  });

  test("glibc's own objects show what they provide, not their internal floor", () => {
    const libc = makeDynamicGlibcBinary({ path: '/lib/libc.so.6', soname: 'libc.so.6', glibcFloor: 'GLIBC_2.35', glibcProvided: 'GLIBC_2.36' });
    expect(glibcCell(libc)).toEqual({ text: 'provides 2.36', tone: 'muted' });
    expect(glibcCell(makeDynamicGlibcBinary({ glibcFloor: 'GLIBC_2.34' })).text).toBe('2.34');
  });

  test('the table row has status, linkage, libc, interpreter, needed count, floor, marks and why', () => {
    const broken = makeServiceImageReport().binaries.find((b) => b.path === '/usr/local/bin/exporter')!;
    const layout = layoutTable(binariesTable([broken]), 250);
    expect(lineText(layout.header).split(/\s{2,}/)).toEqual(['STATUS', 'PATH', 'SIZE', 'LINKAGE', 'LIBC', 'INTERPRETER', 'NEEDED', 'GLIBC', 'HARDENING', 'WHY']);
    expect(lineText(layout.rows[0]!).split(/\s{2,}/)).toEqual([
      'FAIL', '/usr/local/bin/exporter', '4.1 MiB', 'dynamic', 'glibc', '/lib64/ld-linux-x86-64.so.2', '2', '2.34', 'PRCNF',
      'libpq.so.5: not found (needed by /usr/local/bin/exporter; searched /usr/lib/x86_64-linux-gnu, /lib/x86_64-linux-gnu)',
    ]);
  });

  test('details show the closure with how each library was found, problems, and Go build info', () => {
    const report = makeServiceImageReport();
    const server = binaryDetailLines(report.binaries.find((b) => b.path === '/app/server')!, 120).map(lineText);
    expect(server).toContain('Dependencies (4 edges, each under the object that needs it)');
    expect(server).toContain('  libssl.so.3 → /usr/lib/x86_64-linux-gnu/libssl.so.3  [default-path /usr/lib/x86_64-linux-gnu]');
    expect(server).toContain('  /lib64/ld-linux-x86-64.so.2 → /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2  [interpreter]');
    const broken = binaryDetailLines(report.binaries.find((b) => b.path === '/usr/local/bin/exporter')!, 200).map(lineText);
    expect(broken[0]).toBe('/usr/local/bin/exporter  FAIL');
    expect(broken).toContain('Will fail because');
    expect(broken).toContain('  libpq.so.5 → not found  [not-found]  ✗ not found');
    const go = binaryDetailLines(report.binaries.find((b) => b.path === '/usr/local/bin/migrate')!, 120).map(lineText);
    expect(go).toContain('Go');
    expect(go).toContain('  version      go1.22.1');
    expect(go).toContain('  cgo          disabled');
    expect(go).toContain('    golang.org/x/sys@v0.18.0 => ../sys@(devel)');
    expect(go).toContain('  statically linked: no shared libraries to load');
  });

  test("details name the file's layer with its history step, and its package", () => {
    const report = makeServiceImageReport();
    const server = report.binaries.find((b) => b.path === '/app/server')!;
    const lines = binaryDetailLines({ ...server, package: { manager: 'dpkg', name: 'app', version: '1.0-1', architecture: 'amd64' } }, 120, report.layers[server.layer]).map(lineText);
    expect(lines).toContain(`  layer        3: ${cleanCreatedBy(report.layers[2]!.createdBy)}`); // numbered from 1, as in messages
    expect(lines).toContain('  package      app 1.0-1 amd64 (dpkg)');
    expect(binaryDetailLines(server, 120).map(lineText)).toContain('  package      none (no package database lists this file)');
  });
});

describe('layers and findings', () => {
  test('created-by reads like a Dockerfile', () => {
    expect(cleanCreatedBy('/bin/sh -c #(nop)  CMD ["/app"]')).toBe('CMD ["/app"]');
    expect(cleanCreatedBy('/bin/sh -c apt-get update &&     apt-get install -y x')).toBe('RUN apt-get update && apt-get install -y x');
    expect(cleanCreatedBy('RUN /bin/sh -c make # buildkit')).toBe('RUN make');
    expect(cleanCreatedBy('COPY . /src # buildkit')).toBe('COPY . /src');
    expect(cleanCreatedBy(null)).toBe('');
  });

  test('file changes per layer', () => {
    expect(fileChanges(makeLayer())).toBe('+10');
    expect(fileChanges(makeLayer({ files: { entries: 9, added: 3, modified: 2, removed: 1200, addedBytes: 0, modifiedBytes: 0 } }))).toBe('+3 ~2 \u22121,200');
  });

  test('findings: errors, then warnings, then info; image-wide first within a severity', () => {
    const sorted = sortFindings([
      { id: 'b', severity: 'info', path: '/x', message: '' },
      { id: 'a', severity: 'warning', path: '/b', message: '' },
      { id: 'c', severity: 'error', path: '/z', message: '' },
      { id: 'd', severity: 'warning', path: null, message: '' },
    ]);
    expect(sorted.map((f) => f.id)).toEqual(['c', 'd', 'a', 'b']);
  });
});
