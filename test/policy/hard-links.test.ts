import { describe, expect, test } from 'vitest';
import { collapseHardLinks } from '../../src/policy/hard-links.js';
import type { Violation } from '../../src/policy/result-schema.js';
import type { Report } from '../../src/report/index.js';

const names = ['/bin/busybox', '/bin/ls', '/bin/sh'];
const report = {
  binaries: [
    ...names.map((path) => ({ path, hardLinks: names.filter((name) => name !== path) })),
    { path: '/usr/bin/other', hardLinks: [] },
  ],
} as unknown as Report;

const violation = (path: string, message: string): Violation => ({ rule: 'hardening', path, message, evidence: [], key: path }) as unknown as Violation;

describe('hard links in a gate', () => {
  test('one violation per file: the first one listed stays and says how many names share it', () => {
    const collapsed = collapseHardLinks(
      [
        violation('/bin/sh', '/bin/sh is not PIE'),
        violation('/bin/busybox', '/bin/busybox is not PIE'),
        violation('/bin/ls', '/bin/ls is not PIE'),
        violation('/bin/ls', '/bin/ls has no stack protector'),
        violation('/usr/bin/other', '/usr/bin/other is not PIE'),
      ],
      report,
    );
    expect(collapsed.map((v) => [v.path, v.message])).toEqual([
      ['/bin/sh', '/bin/sh is not PIE (the same file as 2 other hard links)'],
      ['/bin/ls', '/bin/ls has no stack protector'],
      ['/usr/bin/other', '/usr/bin/other is not PIE'],
    ]);
  });

  test('an image without hard links is left as it is', () => {
    const plain = [violation('/usr/bin/other', 'x')];
    expect(collapseHardLinks(plain, { binaries: [] } as unknown as Report)).toBe(plain);
  });
});
