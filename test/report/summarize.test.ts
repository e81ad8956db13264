import { expect, test } from 'vitest';
import { summarizeReport } from '../../src/report/summarize.js';
import type { Finding } from '../../src/report/index.js';
import { makeReport } from '../helpers/report-fixture.js';
import { makeServiceImageReport } from '../ui/fixtures.js';

const floor = (path: string): Finding => ({ id: 'glibc-floor', severity: 'info', path, message: 'needs glibc ≥ 2.34' });

test('findings group by kind: worst severity first, larger groups first, examples the worst with the entrypoint closure first', () => {
  const findings: Finding[] = [
    ...['/a', '/b', '/c', '/d', '/e'].map(floor),
    { id: 'setuid', severity: 'warning', path: '/usr/bin/su', message: 'setuid' },
    { id: 'setuid', severity: 'info', path: '/usr/bin/aaa', message: 'setgid' },
    { id: 'setuid', severity: 'warning', path: '/app/server', message: 'setuid' },
    { id: 'missing-library', severity: 'error', path: '/x', message: 'libz.so.1 not found' },
  ];
  const groups = summarizeReport(makeReport({ findings })).findingGroups;
  expect(groups.map((g) => [g.id, g.severity, g.count])).toEqual([
    ['missing-library', 'error', 1],
    ['setuid', 'warning', 3],
    ['glibc-floor', 'info', 5],
  ]);
  expect(groups[1]!.examples.map((e) => e.path)).toEqual(['/app/server', '/usr/bin/su']);
  expect(groups[2]!.examples.map((e) => e.path)).toEqual(['/a', '/b', '/c']);
});

test('binary order pins the entrypoint closure, then failing first; counts match the binaries', () => {
  const report = makeServiceImageReport();
  const { binaryOrder, counts } = report.summary;
  expect(binaryOrder).toHaveLength(report.binaries.length);
  expect(new Set(binaryOrder)).toEqual(new Set(report.binaries.map((b) => b.path)));
  expect(binaryOrder[0]).toBe('/app/server');
  expect(counts.failing).toBe(report.binaries.filter((b) => b.status === 'will-fail').length);
});

test('no entrypoint, no verdict', () => {
  expect(summarizeReport(makeReport({ entrypoint: null })).entrypoint).toBeNull();
});
