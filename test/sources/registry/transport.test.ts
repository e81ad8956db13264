/** IMAGE arguments with skopeo's transport names, docker:// references, challenges and Retry-After. */
import { describe, expect, test } from 'vitest';
import { parseImageSource, resolveImageArgument } from '../../../src/sources/index.js';
import { parseChallenges } from '../../../src/sources/registry/challenge.js';
import { isLoopbackHost, parseRegistryReference } from '../../../src/sources/registry/reference.js';
import { retryAfterMs } from '../../../src/sources/registry/retry.js';
import { UsageError } from '../../../src/shared/errors.js';

describe('parseImageSource', () => {
  test('transports', () => {
    expect(parseImageSource('docker://alpine')).toEqual({ transport: 'docker', reference: 'alpine' });
    expect(parseImageSource('oci:dir')).toEqual({ transport: 'file', format: 'oci-layout', path: 'dir', selector: null });
    expect(parseImageSource('oci:dir:v1')).toEqual({ transport: 'file', format: 'oci-layout', path: 'dir', selector: 'v1' });
    expect(parseImageSource('oci-archive:a.tar:@1')).toEqual({ transport: 'file', format: 'oci-archive', path: 'a.tar', selector: '@1' });
    expect(parseImageSource('docker-archive:a.tar:busybox:latest')).toEqual({ transport: 'file', format: 'docker-archive', path: 'a.tar', selector: 'busybox:latest' });
  });

  test('bare paths stay paths', () => {
    expect(parseImageSource('images/app.tar')).toEqual({ transport: 'path', path: 'images/app.tar' });
    expect(parseImageSource('./oci:x')).toEqual({ transport: 'path', path: './oci:x' });
    expect(parseImageSource('weird:name.tar')).toEqual({ transport: 'path', path: 'weird:name.tar' });
  });

  test('empty references are usage errors', () => {
    expect(() => parseImageSource('docker://')).toThrow(UsageError);
    expect(() => parseImageSource('oci:')).toThrow(UsageError);
  });

  test('file paths are resolved, registry references are not', () => {
    expect(resolveImageArgument('oci:dir:v1', '/w')).toBe('oci:/w/dir:v1');
    expect(resolveImageArgument('a.tar', '/w')).toBe('/w/a.tar');
    expect(resolveImageArgument('docker://a/b:c', '/w')).toBe('docker://a/b:c');
    expect(resolveImageArgument('-', '/w')).toBe('-');
  });
});

describe('parseRegistryReference', () => {
  test('Docker Hub short names are normalised as Docker does', () => {
    expect(parseRegistryReference('alpine')).toEqual({ registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest', digest: null });
    expect(parseRegistryReference('index.docker.io/user/app:2')).toMatchObject({ registry: 'docker.io', repository: 'user/app', tag: '2' });
  });

  test('hosts with ports, digests', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseRegistryReference(`127.0.0.1:5000/team/app@${digest}`)).toEqual({ registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', repository: 'team/app', tag: null, digest });
    expect(parseRegistryReference('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app', tag: 'latest' });
  });

  test('invalid references are usage errors', () => {
    expect(() => parseRegistryReference('UPPER/Case')).toThrow(UsageError);
    expect(() => parseRegistryReference('a:b:c')).toThrow(UsageError);
  });

  test('loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('registry.example:5000')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.example')).toBe(false);
  });
});

test('WWW-Authenticate challenges', () => {
  expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"')).toEqual([
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } },
  ]);
  expect(parseChallenges(['Basic realm="a \\"b\\""', 'Bearer realm=x'])).toEqual([
    { scheme: 'basic', params: { realm: 'a "b"' } },
    { scheme: 'bearer', params: { realm: 'x' } },
  ]);
  expect(parseChallenges(undefined)).toEqual([]);
});

test('Retry-After: seconds or an HTTP date', () => {
  expect(retryAfterMs('2')).toBe(2000);
  expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
  expect(retryAfterMs('soon')).toBeNull();
  expect(retryAfterMs(undefined)).toBeNull();
});
