import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/ui/format/text-width.js';
import { renderTextReport } from '../../src/ui/index.js';
import { makeDynamicGlibcBinary, makeReport } from '../helpers/report-fixture.js';
import { ANSI } from './fake-terminal.js';
import { makeServiceImageReport, makeSlimReport } from './fixtures.js';

const section = (text: string, titleLine: string) => {
  const start = text.indexOf(`\n${titleLine}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n\n', start + 1);
  return text.slice(start + 1, end < 0 ? undefined : end).trimEnd().split('\n');
};

describe('renderTextReport', () => {
  test('has every fact in order: header, summary, binaries, findings, layers, filesystem', () => {
    const text = renderTextReport(makeServiceImageReport());
    const order = ['example/app:1.0 (image.tar, docker-archive)  linux/amd64  sha256:cccccccccccc', 'Summary', 'Binaries (12)', 'Will fail', 'Findings (5)', 'Layers (6)', 'Filesystem'];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text.startsWith(order[0]!)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('Slim:');
  });

  test('no escape codes by default; colour only when asked', () => {
    expect(renderTextReport(makeSlimReport())).not.toMatch(ANSI);
    expect(renderTextReport(makeSlimReport(), { color: true })).toMatch(ANSI);
  });

  test('no line is wider than the width, at any width, and no line ends in spaces', () => {
    for (const width of [50, 60, 80, 100, 132, 200]) {
      const text = renderTextReport(makeSlimReport(), { width });
      for (const line of text.split('\n')) {
        expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
        expect(line).toBe(line.trimEnd());
      }
    }
  });

  test('the binaries table is aligned: every column starts at the same offset on every row', () => {
    const rows = section(renderTextReport(makeServiceImageReport(), { width: 160 }), 'Binaries (12)').slice(1, 13);
    const header = rows[0]!;
    const starts = ['PATH', 'LINKAGE', 'LIBC', 'GLIBC', 'HARDENING'].map((name) => header.indexOf(name));
    for (const row of rows.slice(1)) {
      for (const start of starts) expect(row[start - 1], row).toBe(' ');
      for (const start of starts) expect(row[start - 2], row).toBe(' ');
    }
    const exporter = rows.find((r) => r.includes('/usr/local/bin/exporter'))!;
    expect(exporter.slice(starts[1], starts[1]! + 7)).toBe('dynamic');
    expect(exporter.slice(starts[2], starts[2]! + 5)).toBe('glibc');
    expect(exporter.slice(starts[3], starts[3]! + 4)).toBe('2.34');
  });

  test('failing binaries are explained in full, whatever the width', () => {
    const text = renderTextReport(makeServiceImageReport(), { width: 60 });
    const failing = section(text, 'Will fail').join(' ').replace(/\s+/g, ' ');
    expect(failing).toContain('/usr/local/bin/exporter ✗ libpq.so.5: not found (needed by /usr/local/bin/exporter; searched /usr/lib/x86_64-linux-gnu, /lib/x86_64-linux-gnu)');
    expect(failing).toContain('/usr/local/bin/healthcheck ✗ interpreter /lib/ld-musl-x86_64.so.1 is missing');
  });

  test('findings are grouped by kind in the Summary, errors and warnings before info; the section points to --findings all', () => {
    const text = renderTextReport(makeServiceImageReport());
    const summary = section(text, 'Summary');
    const grouped = summary.filter((line) => /^ {15}(error|warning|info) /.test(line));
    expect(grouped.map((line) => line.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'error missing-library ×1',
      'error wrong-libc ×1',
      'warning glibc-version ×1',
      'warning wx-segment ×1',
      'info large-layer ×1',
    ]);
    expect(section(text, 'Findings (5)')[1]).toBe('  5 in 5 kinds, grouped in the Summary; --findings all lists every one');
  });

  test('findings all: errors first, message wrapped under itself', () => {
    const findings = section(renderTextReport(makeServiceImageReport(), { width: 100, findings: 'all' }), 'Findings (5)');
    expect(findings[1]).toMatch(/^ {2}error {4}missing-library {2}\/usr\/local\/bin\/exporter: libpq\.so\.5 not found/);
    expect(findings[2]).toMatch(/^ {28}\/usr\/lib\/x86_64-linux-gnu, \/lib\/x86_64-linux-gnu\)$/);
    expect(findings.at(-1)).toBe('  info     large-layer      layer 1 holds 52.1 MiB, 43% of the image');
  });

  test('layers: every number labelled with what it is; reclaimable is the sum of its column', () => {
    const report = makeServiceImageReport();
    const layers = section(renderTextReport(report, { width: 120 }), 'Layers (6)');
    expect(layers[1]).toBe('  #    CONTENT            BLOB  CHANGES     RECLAIMABLE  CREATED BY');
    expect(layers[2]).toBe('  1   74.8 MiB   28.2 MiB gzip  +3,120              0 B  ADD file:5d6b639e8b6bcc011b5d in /');
    expect(layers[7]).toBe('  6  204.8 KiB  102.4 KiB gzip  +0 −214             0 B  —');
    expect(layers.slice(8, 10).join(' ')).toMatch(/CONTENT: bytes of the files .* BLOB: bytes stored .* RECLAIMABLE: bytes later layers hide or delete/);
    const text = renderTextReport(report, { width: 120 });
    expect(text).toContain('  efficiency   87.3% (dive\'s score)\n');
    expect(text).toContain('  wasted       12.8 MiB: every copy of the paths written by 2+ layers (dive), 14.2% of user layers\n');
    expect(text).toContain('  reclaimable  1.6 MiB: bytes that later layers hide or delete (Σ RECLAIMABLE)\n');
    const sum = report.layers.reduce((total, layer) => total + layer.reclaimableBytes, 0);
    expect(Math.abs(sum - report.efficiency.reclaimableBytes)).toBeLessThanOrEqual(1);
    expect(text).toMatch(/^ {7}2 {5}8\.7 MiB {2}\/var\/lib\/apt\/lists\//m);
  });

  test('a plain-tar layer (docker-archive) says its blob is a tar, so BLOB > CONTENT reads right', () => {
    const report = makeServiceImageReport();
    report.layers = report.layers.map((layer) => ({ ...layer, compression: 'none' as const, compressedSize: layer.tarSize }));
    const layers = section(renderTextReport(report), 'Layers (6)');
    expect(layers[2]).toMatch(/^ {2}1 {3}74\.8 MiB +[\d.]+ MiB tar {2}/);
    expect(renderTextReport(report)).toMatch(/size {9}[\d.]+ MiB of files in 6 layers · [\d.]+ MiB stored \(tar\)/);
  });

  test('slim: before → after first, then the kept files with why, sorted by path', () => {
    const text = renderTextReport(makeSlimReport(), { width: 120 });
    const summary = section(text, 'Summary');
    expect(summary[1]).toBe('Slim: before → after');
    expect(summary[2]).toMatch(/^ {2}size {9}146\.8 MiB → 16\.9 MiB {2}█+░+ {3}−88\.5%$/);
    const kept = section(text, 'Kept files (7)');
    expect(kept[1]).toMatch(/^ {7}SIZE {2}KEPT +WHY$/);
    expect(kept[2]).toMatch(/^ {4}9\.4 MiB {2}\/app\/server +entrypoint$/);
    expect(kept.slice(2).map((line) => line.trim().split(/\s{2,}/)[1])).toEqual([
      '/app/server',
      '/etc/ssl/certs/ca-certificates.crt',
      '/lib64/ld-linux-x86-64.so.2',
      '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/usr/lib/x86_64-linux-gnu/libcrypto.so.3',
      '/usr/lib/x86_64-linux-gnu/libssl.so.3',
    ]);
  });

  test('a minimal report (one static binary, no findings) still reads well', () => {
    const text = renderTextReport(makeReport({ binaries: [makeDynamicGlibcBinary()] }), { width: 80 });
    expect(text).toContain('Findings\n  none');
    expect(text).toContain('✓ can start');
    expect(text).toContain('Filesystem\n     SIZE  FILES  TOP-LEVEL\n  1.2 MiB      1  /app/');
  });

  test('a large report renders quickly enough for CI logs (5,000 binaries, 50,000 files)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => makeDynamicGlibcBinary({ path: `/usr/lib/lib${i}.so` }));
    const base = makeReport({ binaries: many });
    const text = renderTextReport(base);
    expect(text.split('\n').length).toBeGreaterThan(5000);
  });
});
