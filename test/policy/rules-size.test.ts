/**
 * dive's three CI rules at and around their thresholds, with dive's comparisons
 * (cmd/dive/cli/internal/command/ci/rules.go): `threshold > efficiency` fails,
 * `wasted > threshold` fails, `userWasted > threshold` fails; equal values pass.
 */
import { describe, expect, test } from 'vitest';
import { evaluatePolicy, type Policy } from '../../src/policy/index.js';
import type { Report } from '../../src/report/index.js';
import { makeEfficiencyReport, makeLayer, makeReport, oneRule } from './fixtures.js';

function status(report: Report, policy: Policy) {
  return evaluatePolicy(report, policy, { today: '2026-01-15' }).results[0]!.status;
}

describe('lowest-efficiency', () => {
  test.each([
    [0.95, '0.95', 'pass'], // equal passes, as in dive
    [0.9500001, '0.95', 'pass'],
    [0.9499999, '0.95', 'fail'],
    [0.5, '0.9', 'fail'],
    [1, '1', 'pass'],
    [0, '0', 'pass'],
  ])('efficiency %d with threshold %s → %s', (score, threshold, expected) => {
    expect(status(makeEfficiencyReport({ score }), oneRule('lowest-efficiency', threshold))).toBe(expected);
  });

  test('the message shows enough digits to tell the values apart, and the most wasted files', () => {
    const outcome = evaluatePolicy(makeEfficiencyReport({ score: 0.9499999 }), oneRule('lowest-efficiency', '0.95')).results[0]!;
    expect(outcome.violations[0]?.message).toBe(
      'image efficiency is too low: efficiency 0.9499999 < threshold 0.95; most wasted: /data/blob.bin ×2 (4.00 MB)',
    );
    expect(outcome.violations[0]?.path).toBeNull();
  });
});

describe('highest-wasted-bytes', () => {
  test.each([
    [20_000_000, '20MB', 'pass'], // equal passes
    [20_000_001, '20MB', 'fail'],
    [19_999_999, '20MB', 'pass'],
    [20_971_520, '20MiB', 'pass'],
    [20_971_521, '20MiB', 'fail'],
    [20_000_001, '20Mb', 'fail'], // dive's sample file spelling
    [0, '0', 'pass'],
    [1, '0', 'fail'],
  ])('wasted %d with threshold %s → %s', (wastedBytes, threshold, expected) => {
    expect(status(makeEfficiencyReport({ wastedBytes }), oneRule('highest-wasted-bytes', threshold))).toBe(expected);
  });

  test('the message has both figures', () => {
    const outcome = evaluatePolicy(makeEfficiencyReport({ wastedBytes: 20_000_001 }), oneRule('highest-wasted-bytes', '20MB')).results[0]!;
    expect(outcome.violations[0]?.evidence).toBe(
      'wasted bytes 20,000,001 (20.0 MB) > threshold 20,000,000 (20MB); most wasted: /data/blob.bin ×2 (4.00 MB)',
    );
  });
});

describe('highest-user-wasted-percent', () => {
  test.each([
    [0.1, '0.1', 'pass'], // equal passes
    [0.1, '0.10', 'pass'],
    [0.10000001, '0.1', 'fail'],
    [0.0999, '0.1', 'pass'],
    [0.25, '0.2', 'fail'],
    [0.25, '25%', 'pass'],
  ])('user-wasted %d with threshold %s → %s', (userWastedPercent, threshold, expected) => {
    expect(status(makeEfficiencyReport({ userWastedPercent }), oneRule('highest-user-wasted-percent', threshold))).toBe(expected);
  });
});

describe('max-size', () => {
  const report = makeReport({
    layers: [makeLayer({ index: 0, size: 30_000_000, compressedSize: 12_000_000 }), makeLayer({ index: 1, size: 20_000_000, compressedSize: 8_000_000 })],
  });

  test('uncompressed layers by default: 50,000,000 bytes is within 50MB, not within 47MiB', () => {
    expect(status(report, oneRule('max-size', '50MB'))).toBe('pass');
    expect(status(report, oneRule('max-size', '49999999'))).toBe('fail');
    const outcome = evaluatePolicy(report, oneRule('max-size', '47MiB')).results[0]!;
    expect(outcome.violations[0]?.message).toBe(
      'the image is too large: uncompressed size of all layers is 47.7 MiB (50,000,000 bytes), above 47MiB (49,283,072 bytes)',
    );
  });

  test('measure: compressed and filesystem', () => {
    expect(status(report, oneRule('max-size', { value: '20MB', measure: 'compressed' }))).toBe('pass');
    expect(status(report, oneRule('max-size', { value: '19MB', measure: 'compressed' }))).toBe('fail');
    const fs = makeReport();
    expect(fs.filesystem.totalSize).toBe(1_234_567);
    expect(status(fs, oneRule('max-size', { value: '1234567', measure: 'filesystem' }))).toBe('pass');
    expect(status(fs, oneRule('max-size', { value: '1MB', measure: 'filesystem' }))).toBe('fail');
  });
});
