/**
 * PURLs in the exact text syft writes (anchore/packageurl-go): escaping of names (`+` → %2B),
 * versions (epoch colon and `+` kept) and qualifier values (`@` kept), key order with `distro`
 * last, lower-cased deb and golang names.
 */
import { describe, expect, it } from 'vitest';
import type { Distro, Package } from '../../src/report/index.js';
import { goModulePurl, packagePurl } from '../../src/sbom/index.js';

const debian: Distro = { id: 'debian', versionId: '12', idLike: [], prettyName: null };

function pkg(overrides: Partial<Package>): Package {
  return {
    manager: 'dpkg',
    name: 'x',
    version: '1',
    architecture: 'amd64',
    epoch: null,
    source: null,
    sourceRpm: null,
    license: null,
    database: '/var/lib/dpkg/status',
    files: 0,
    missingFiles: 0,
    ...overrides,
  };
}

describe('PURLs as syft writes them', () => {
  it.each([
    [pkg({ name: 'libc6', version: '2.36-9+deb12u4', source: { name: 'glibc', version: null } }), 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&upstream=glibc&distro=debian-12'],
    [pkg({ name: 'libstdc++6', version: '12.2.0-14', source: { name: 'gcc-12', version: null } }), 'pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&upstream=gcc-12&distro=debian-12'],
    [pkg({ name: 'zlib1g', version: '1:1.2.13.dfsg-1', source: { name: 'zlib', version: null } }), 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&upstream=zlib&distro=debian-12'],
    [pkg({ name: 'libgcc-s1', version: '12.2.0-14', source: { name: 'gcc-12', version: '12.2.0-14+b1' } }), 'pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&upstream=gcc-12@12.2.0-14+b1&distro=debian-12'],
    [pkg({ name: 'base-files', version: '12.4+deb12u5' }), 'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64&distro=debian-12'],
  ])('%o', (input, expected) => {
    expect(packagePurl(input, debian)).toBe(expected);
  });

  it('apk: upstream only when the origin differs; rpm: epoch and source rpm; no distro without os-release', () => {
    const alpine: Distro = { id: 'alpine', versionId: '3.19.1', idLike: [], prettyName: null };
    const apk = { manager: 'apk', architecture: 'x86_64', database: '/lib/apk/db/installed' } as const;
    expect(packagePurl(pkg({ ...apk, name: 'musl', version: '1.2.4-r2', source: { name: 'musl', version: null } }), alpine)).toBe(
      'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1',
    );
    expect(packagePurl(pkg({ ...apk, name: 'ssl_client', version: '1.36.1-r15', source: { name: 'busybox', version: null } }), alpine)).toBe(
      'pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&upstream=busybox&distro=alpine-3.19.1',
    );
    const rhel: Distro = { id: 'rhel', versionId: '9.3', idLike: ['fedora'], prettyName: null };
    const rpm = pkg({ manager: 'rpm', name: 'openssl-libs', version: '3.0.7-24.el9', architecture: 'x86_64', epoch: 1, sourceRpm: 'openssl-3.0.7-24.el9.src.rpm' });
    expect(packagePurl(rpm, rhel)).toBe('pkg:rpm/rhel/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3');
    expect(packagePurl(pkg({ name: 'dash', version: '0.5.12-2' }), null)).toBe('pkg:deb/debian/dash@0.5.12-2?arch=amd64');
  });

  it('golang: namespace and name lower-cased, versions path-escaped', () => {
    expect(goModulePurl('github.com/Azure/go-autorest', 'v14.2.0+incompatible')).toBe('pkg:golang/github.com/azure/go-autorest@v14.2.0+incompatible');
    expect(goModulePurl('example.com/m', '(devel)')).toBe('pkg:golang/example.com/m@%28devel%29');
    expect(goModulePurl('golang.org/x/net', 'v0.0.0-20220722155237-a158d28d115b')).toBe('pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b');
  });
});
