import { describe, expect, test } from 'vitest';
import { familiarString, normalizeReference, parseReference, sameReference } from '../../src/image/index.js';

describe('references (distribution/reference normalisation)', () => {
  test.each([
    ['test_image_1', 'docker.io/library/test_image_1:latest'],
    ['test_image_1:latest', 'docker.io/library/test_image_1:latest'],
    ['index.docker.io/library/test_image_1:latest', 'docker.io/library/test_image_1:latest'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['bazel/v1/tarball:test_image_1', 'docker.io/bazel/v1/tarball:test_image_1'],
    ['localhost:5000/whiteout:latest', 'localhost:5000/whiteout:latest'],
    ['localhost/foo', 'localhost/foo:latest'],
    ['ghcr.io/org/app:1.2.3', 'ghcr.io/org/app:1.2.3'],
    ['busybox@sha256:' + 'a'.repeat(64), 'docker.io/library/busybox@sha256:' + 'a'.repeat(64)],
  ])('%s → %s', (input, expected) => {
    expect(normalizeReference(input)).toBe(expected);
  });

  test.each(['foo/UPPER', 'foo:', 'foo:bad tag', '', 'a//b', 'foo@sha256:12'])('%j is not a reference', (input) => {
    expect(normalizeReference(input)).toBeNull();
  });

  test('the go-containerregistry test_bundle selectors all name the short RepoTag', () => {
    for (const selector of ['test_image_1', 'test_image_1:latest', 'index.docker.io/library/test_image_1:latest']) {
      expect(sameReference(selector, 'test_image_1')).toBe(true);
    }
    expect(sameReference('test_image_2', 'test_image_1')).toBe(false);
  });

  test('familiar form drops docker.io/library/', () => {
    expect(familiarString(parseReference('docker.io/library/busybox:1')!)).toBe('busybox:1');
    expect(familiarString(parseReference('ghcr.io/x/y')!)).toBe('ghcr.io/x/y:latest');
    expect(familiarString(parseReference('bazel/v1/tarball:t')!)).toBe('bazel/v1/tarball:t');
  });
});
