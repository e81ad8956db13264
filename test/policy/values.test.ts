import { describe, expect, test } from 'vitest';
import { parseGlibcVersion, parseRatio, parseSize } from '../../src/policy/index.js';
import { compareVersionParts, glibcVersionParts } from '../../src/report/index.js';
import { isDisabledValue, parseChoiceList, parseDate, parseSwitch, usesBinaryUnits } from '../../src/policy/values.js';

describe('parseSize (go-humanize ParseBytes, as dive reads highestWastedBytes)', () => {
  test.each([
    ['20MB', 20_000_000],
    ['20Mb', 20_000_000], // dive's own sample .dive-ci writes 20Mb: case-insensitive, decimal
    ['20mb', 20_000_000],
    ['20 MB', 20_000_000],
    ['20M', 20_000_000],
    ['20MiB', 20_971_520],
    ['20mib', 20_971_520],
    ['20Mi', 20_971_520],
    ['50MB', 50_000_000],
    ['48MiB', 50_331_648],
    ['1kB', 1000],
    ['1KiB', 1024],
    ['1.5KB', 1500],
    ['1.5GiB', 1_610_612_736],
    ['42', 42],
    ['42B', 42],
    ['1,000', 1000],
    ['0.9B', 0], // humanize truncates to uint64
    ['2TB', 2_000_000_000_000],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test('integers from JSON are bytes', () => {
    expect(parseSize(1234)).toBe(1234);
  });

  test.each(['20XB', 'MB', '-5MB', '1.2.3MB', 'twenty', '', '20 M B'])('%j is rejected with the allowed forms', (text) => {
    expect(() => parseSize(text)).toThrow(/must be a size such as "50MB" \(decimal\), "20MiB" \(binary\)/);
  });

  test.each([-1, 1.5, Number.NaN])('number %d is rejected', (value) => {
    expect(() => parseSize(value)).toThrow(/must be a size/);
  });

  test('binary units are recognised for display', () => {
    expect(usesBinaryUnits('48MiB')).toBe(true);
    expect(usesBinaryUnits('48 Mi')).toBe(true);
    expect(usesBinaryUnits('48MB')).toBe(false);
    expect(usesBinaryUnits('1024')).toBe(false);
  });
});

describe('parseRatio (Go ParseFloat, range 0–1, as dive checks lowestEfficiency)', () => {
  test.each([
    ['0.9', 0.9],
    ['0.95', 0.95],
    ['0.10', 0.1],
    ['1', 1],
    ['0', 0],
    ['.5', 0.5],
    ['90%', 0.9],
    ['12.5%', 0.125],
    [0.25, 0.25],
  ])('%j → %d', (value, ratio) => {
    expect(parseRatio(value)).toBe(ratio);
  });

  test.each(['1.5', '-0.1', '150%', 2])('%j is outside 0–1', (value) => {
    expect(() => parseRatio(value)).toThrow(/must be between 0 and 1/);
  });

  test.each(['NaN', 'inf', 'high', '', true, '1e-1'])('%j is not a ratio', (value) => {
    expect(() => parseRatio(value)).toThrow(/must be a ratio between 0 and 1/);
  });
});

describe('glibc versions', () => {
  test('strings with or without the GLIBC_ prefix', () => {
    expect(parseGlibcVersion('2.31')).toEqual([2, 31]);
    expect(parseGlibcVersion('GLIBC_2.2.5')).toEqual([2, 2, 5]);
  });

  test('a number is refused: 2.30 would silently become 2.3', () => {
    expect(() => parseGlibcVersion(2.3)).toThrow(/quoted version string such as "2.31"/);
  });

  test.each(['2', 'latest', '2.x'])('%j is rejected', (value) => {
    expect(() => parseGlibcVersion(value)).toThrow(/must be a glibc version/);
  });

  test("numeric comparison, not lexical (the rules use elf's one comparison, through report/)", () => {
    const sign = (a: number[], b: number[]) => Math.sign(compareVersionParts(a, b));
    expect(sign([2, 4], [2, 31])).toBe(-1);
    expect(sign([2, 31], [2, 31, 0])).toBe(0);
    expect(sign([2, 2, 5], [2, 2])).toBe(1);
    expect(sign([2, 34], [2, 31])).toBe(1);
    expect(sign(glibcVersionParts('GLIBC_2.34')!, parseGlibcVersion('2.4'))).toBe(1);
    expect(glibcVersionParts('GLIBC_PRIVATE')).toBeNull();
  });
});

describe('switches, lists, dates', () => {
  test("dive's disabled words", () => {
    for (const word of ['disabled', 'DISABLED', 'off', 'false', '', ' Off ']) expect(isDisabledValue(word)).toBe(true);
    expect(isDisabledValue(false)).toBe(true);
    expect(isDisabledValue('0.9')).toBe(false);
    expect(isDisabledValue(true)).toBe(false);
  });

  test('switch spellings', () => {
    expect(parseSwitch('on')).toBe(true);
    expect(parseSwitch('No')).toBe(false);
    expect(() => parseSwitch('maybe')).toThrow(/must be true or false/);
  });

  test('choice lists from YAML lists and comma-separated text', () => {
    const allowed = ['none', 'musl', 'glibc'] as const;
    expect(parseChoiceList(['musl', 'none'], allowed)).toEqual(['musl', 'none']);
    expect(parseChoiceList('musl, none,musl', allowed)).toEqual(['musl', 'none']);
    expect(() => parseChoiceList('musl,bionic', allowed)).toThrow("must be a list of none, musl, glibc (got 'musl,bionic')");
    expect(() => parseChoiceList([], allowed)).toThrow(/must be a list/);
  });

  test('dates must exist', () => {
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    expect(() => parseDate('1900-02-29')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('2026-02-29')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('2026-04-31')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('tomorrow')).toThrow(/YYYY-MM-DD/);
  });
});
