/**
 * The published policy schema and the loader accept exactly the same documents: for every value
 * below, `Value.Check(PolicySchema, …)` and the loader agree. The one exception, by design, is a
 * path glob's own syntax, which only the loader checks.
 */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import { configurePolicy, mergeSettings, parsePolicyDocument, PolicySchema } from '../../src/policy/index.js';
import { UsageError } from '../../src/shared/errors.js';

function loaderAccepts(document: unknown): boolean {
  try {
    configurePolicy(mergeSettings([parsePolicyDocument(document, 'p.yaml')], []), ['p.yaml']);
    return true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return false;
  }
}

function agreement(document: unknown): { schema: boolean; loader: boolean } {
  return { schema: Value.Check(PolicySchema, document), loader: loaderAccepts(document) };
}

const SIZES = [
  '20EB', '1PB', '8PiB', '999TB', '999 TiB', '1000TB', '999,999GB', '1,000,000GB', '999,999,999,999,999', '1,000,000,000,000,000',
  '999999999999999', '9999999999999999', '1.5KB', '20Mb', '20mib', '20 M B', '1,0', '1,000', ',1', '.5MB', '5.MB', '42B', '0.9B',
  '  7 kb ', 'MB', '', 'huge', '-5MB', '1e3', 1234, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, true, null,
];
const RATIOS = [
  '0.9', '.5', '1', '1.0', '1.', '0.', '0', '00.5', '+0.5', '-0', '-0.1', '1.01', '1e-1', '90%', '100%', '100.0%', '100.1%', '+50%',
  '.5%', '150%', '%', '', ' 0.3 ', 'NaN', 'inf', 0, 1, 0.25, 1.2, -0.1, true,
];
const GLIBC = ['2.31', 'GLIBC_2.2.5', ' 2.34 ', '2', '2.x', 'glibc_2.31', '2.31.1.1', 2.31, null];
const LIBC = [['musl', 'none'], [' musl '], [], ['bionic'], 'musl, none,musl', 'musl,,none', '', 'MUSL', [1]];
const SWITCHES = [true, false, 'on', 'OFF', ' yes ', 'Enabled', '1', '0', 'maybe', '', 1, null];
const DISABLED = [false, 'off', 'Disabled', ' FALSE ', '', 'no', '0'];
const DATES = ['2026-02-28', '2028-02-29', '2000-02-29', '1900-02-29', '2026-02-29', '2026-04-31', '2026-13-01', '2026-1-1', '31/12/2026', null, 20260101];

describe('the JSON Schema and the loader accept the same documents', () => {
  test.each(SIZES)('max-size %j', (value) => {
    const { schema, loader } = agreement({ rules: { 'max-size': value } });
    expect(schema).toBe(loader);
  });

  test('20EB, which the schema once accepted, is refused by both with the limit', () => {
    expect(agreement({ rules: { 'max-size': '20EB' } })).toEqual({ schema: false, loader: false });
    expect(() => parsePolicyAndConfigure({ rules: { 'max-size': '20EB' } })).toThrow('p.yaml: rules.max-size: is too large: at most 15 digits of bytes');
    expect(agreement({ rules: { 'max-size': '999TiB' } })).toEqual({ schema: true, loader: true });
  });

  test.each(RATIOS)('lowest-efficiency %j', (value) => {
    const { schema, loader } = agreement({ rules: { 'lowest-efficiency': value } });
    expect(schema).toBe(loader);
  });

  test.each(GLIBC)('max-glibc %j', (value) => {
    const { schema, loader } = agreement({ rules: { 'max-glibc': value } });
    expect(schema).toBe(loader);
  });

  test.each(LIBC)('libc %j', (value) => {
    const { schema, loader } = agreement({ rules: { libc: value } });
    expect(schema).toBe(loader);
  });

  test.each(SWITCHES)('flag rule shorthand and enabled: %j', (value) => {
    expect(agreement({ rules: { 'no-setuid': value } }).schema).toBe(agreement({ rules: { 'no-setuid': value } }).loader);
    const object = agreement({ rules: { 'no-setuid': { enabled: value } } });
    expect(object.schema).toBe(object.loader);
  });

  test.each(DISABLED)('a value rule disabled by %j, alone or in the object form', (value) => {
    for (const document of [{ rules: { 'max-size': value } }, { rules: { 'max-size': { value } } }, { rules: { 'max-size': { enabled: value } } }]) {
      const { schema, loader } = agreement(document);
      expect(schema, JSON.stringify(document)).toBe(loader);
    }
  });

  test('a switched-off value rule may omit its value, but a given value must still be valid', () => {
    expect(agreement({ rules: { 'max-size': { enabled: false } } })).toEqual({ schema: true, loader: true });
    expect(agreement({ rules: { 'max-size': { enabled: true } } })).toEqual({ schema: false, loader: false });
    expect(agreement({ rules: { 'max-size': { enabled: false, value: 'lots' } } })).toEqual({ schema: false, loader: false });
  });

  test.each(DATES)('ignore expires %j', (expires) => {
    const { schema, loader } = agreement({ rules: { 'no-setuid': { ignore: [{ path: '/bin/su', reason: 'x', expires }] } } });
    expect(schema).toBe(loader);
  });

  test.each([
    { rules: {} },
    { version: 1, rules: {} },
    { version: '1', rules: {} },
    { version: 2, rules: {} },
    { version: ['1'], rules: {} },
    { version: 1.5, rules: {} },
    { $schema: 'x', rules: {} },
    { $schema: 3, rules: {} },
    { rule: {} },
    { rules: [] },
    { rules: { 'no-dynamc': true } },
    { rules: { 'require-relro': 'full' } },
    { rules: { 'require-relro': ' full' } },
    { rules: { 'require-relro': 'strong' } },
    { rules: { 'no-setuid': { severity: 'warning' } } },
    { rules: { 'no-setuid': { severity: ' warning' } } },
    { rules: { 'no-setuid': { severity: 'fatal' } } },
    { rules: { 'no-setuid': { ignore: [{ path: ' ', reason: 'x' }] } } },
    { rules: { 'no-setuid': { ignore: [{ path: '/a', reason: '  ' }] } } },
    { rules: { 'no-setuid': { ignore: [{ path: '/a', reason: 'x', extra: 1 }] } } },
    { rules: { 'no-setuid': { ignore: [] } } },
    { rules: { 'no-setuid': { ignore: {} } } },
    { rules: { 'no-setuid': { paths: '/app/**' } } },
    { rules: { 'no-setuid': { paths: [] } } },
    { rules: { 'no-setuid': { paths: [' '] } } },
    { rules: { 'no-setuid': { paths: ['/a', 3] } } },
    { rules: { 'no-setuid': { value: true } } },
    { rules: { 'max-size': { value: '1GB', measure: 'compressed' } } },
    { rules: { 'max-size': { value: '1GB', measure: 'zipped' } } },
    { rules: { 'max-size': { value: '1GB', ignore: [] } } },
    { rules: { 'max-size': { severity: 'warning' } } },
    { rules: { 'max-size': null } },
  ])('%j', (document) => {
    const { schema, loader } = agreement(document);
    expect(schema).toBe(loader);
  });

  test('the one exception: a malformed glob is refused by the loader only', () => {
    for (const path of ['/bin/[su', '/usr/{a,b']) {
      expect(agreement({ rules: { 'no-setuid': { ignore: [{ path, reason: 'x' }] } } })).toEqual({ schema: true, loader: false });
      expect(agreement({ rules: { 'no-setuid': { paths: [path] } } })).toEqual({ schema: true, loader: false });
    }
  });
});

function parsePolicyAndConfigure(document: unknown) {
  return configurePolicy(mergeSettings([parsePolicyDocument(document, 'p.yaml')], []), ['p.yaml']);
}
