import { describe, expect, test } from 'vitest';
import { formatPlatform, normalizePlatform, parsePlatform, platformMatches, platformMatchesIgnoringVariant } from '../../src/image/index.js';
import { UsageError } from '../../src/shared/errors.js';

describe('parsePlatform / formatPlatform', () => {
  test('parses os/arch and os/arch/variant, case-insensitively', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('Linux/ARM/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(formatPlatform(parsePlatform('linux/arm64/v8'))).toBe('linux/arm64/v8');
    expect(formatPlatform({ os: 'linux', architecture: 'ppc64le' })).toBe('linux/ppc64le');
  });

  test.each(['amd64', 'linux/', '/amd64', 'linux/amd64/v1/x', 'linux amd64', ''])('rejects %j with a UsageError', (text) => {
    expect(() => parsePlatform(text)).toThrow(UsageError);
    expect(() => parsePlatform(text)).toThrow(/expected os\/arch\[\/variant\]/);
  });
});

describe('normalisation and matching (containerd rules)', () => {
  test.each([
    [{ os: 'linux', architecture: 'x86_64' }, { os: 'linux', architecture: 'amd64' }],
    [{ os: 'linux', architecture: 'amd64', variant: 'v1' }, { os: 'linux', architecture: 'amd64' }],
    [{ os: 'linux', architecture: 'aarch64' }, { os: 'linux', architecture: 'arm64' }],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm64' }],
    [{ os: 'linux', architecture: 'arm' }, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    [{ os: 'linux', architecture: 'armhf' }, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    [{ os: 'linux', architecture: 'armel' }, { os: 'linux', architecture: 'arm', variant: 'v6' }],
    [{ os: 'linux', architecture: 'i386' }, { os: 'linux', architecture: '386' }],
    [{ os: 'linux', architecture: 'arm64', variant: '9.0' }, { os: 'linux', architecture: 'arm64', variant: 'v9' }],
  ])('%j normalises to %j', (input, expected) => {
    expect(normalizePlatform(input)).toEqual(expected);
  });

  test('linux/arm64 matches an entry written linux/arm64/v8; amd64 does not match amd64/v3', () => {
    expect(platformMatches(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm' })).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(false);
    expect(platformMatches(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64', variant: 'v3' })).toBe(false);
    expect(platformMatchesIgnoringVariant(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64', variant: 'v3' })).toBe(true);
    expect(platformMatches(parsePlatform('windows/amd64'), { os: 'linux', architecture: 'amd64' })).toBe(false);
  });
});
