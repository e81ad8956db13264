import { describe, expect, test } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatPercent, formatReduction, plural, shortDigest } from '../../src/ui/format/numbers.js';
import { displayWidth, pad, truncateEnd, truncateMiddle, wrap } from '../../src/ui/format/text-width.js';

describe('formatBytes (IEC)', () => {
  test.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [137.2 * 1024 * 1024, '137.2 MiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
    [-2048, '-2.0 KiB'],
    [Number.NaN, '?'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('reductions, percentages, counts', () => {
  test('a shrink is a true minus sign and one decimal, as in the issue', () => {
    expect(formatReduction(137.2 * 1024 * 1024, 9.8 * 1024 * 1024)).toBe('\u221292.9%');
  });
  test('growth carries a plus, no change and an empty before are 0.0%', () => {
    expect(formatReduction(100, 104)).toBe('+4.0%');
    expect(formatReduction(100, 100)).toBe('0.0%');
    expect(formatReduction(0, 5)).toBe('0.0%');
    expect(formatReduction(1_000_000, 999_999)).toBe('0.0%');
  });
  test('percent, counts, durations, digests and plurals', () => {
    expect(formatPercent(0.929)).toBe('92.9%');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1000)).toBe('-1,000');
    expect(formatDuration(420)).toBe('0.4s');
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe('sha256:0123456789ab');
    expect(plural(1, 'layer')).toBe('1 layer');
    expect(plural(2, 'library', 'libraries')).toBe('2 libraries');
  });
});

describe('text widths', () => {
  test('ASCII, wide CJK and emoji, zero-width marks', () => {
    expect(displayWidth('/usr/bin/env')).toBe(12);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('📦')).toBe(2);
  });
  test('middle truncation keeps the file name and fits exactly', () => {
    const path = '/usr/lib/x86_64-linux-gnu/libssl.so.3';
    const cut = truncateMiddle(path, 24);
    expect(displayWidth(cut)).toBe(24);
    expect(cut).toContain('…');
    expect(cut.endsWith('libssl.so.3')).toBe(true);
    expect(cut.startsWith('/usr/lib')).toBe(true);
    expect(truncateMiddle(path, 100)).toBe(path);
    expect(truncateMiddle('日本語のファイル名', 7)).toMatch(/^.+….+$/);
    expect(displayWidth(truncateMiddle('日本語のファイル名', 7))).toBeLessThanOrEqual(7);
  });
  test('end truncation and padding', () => {
    expect(truncateEnd('abcdefgh', 5)).toBe('abcd…');
    expect(truncateEnd('abc', 5)).toBe('abc');
    expect(pad('ab', 4)).toBe('ab  ');
    expect(pad('ab', 4, 'right')).toBe('  ab');
    expect(pad('abcdef', 4)).toBe('abcdef');
  });
  test('wrap breaks at spaces and splits words longer than a line', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('/a/very/long/path/name', 8)).toEqual(['/a/very/', 'long/pat', 'h/name']);
    expect(wrap('', 10)).toEqual(['']);
    expect(wrap('日本', 1)).toEqual(['日', '本']);
  });
});
