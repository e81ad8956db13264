/**
 * Package URLs written exactly as syft writes them (anchore/packageurl-go): qualifier keys
 * sorted, then `distro=<ID>-<VERSION_ID>` last; names and namespaces query-escaped, versions and
 * qualifier values path-escaped (Go's url.QueryEscape / url.PathEscape); deb and golang names
 * lower-cased.
 */
import type { Distro, Package } from '../report/index.js';

const TYPE_OF_MANAGER = { dpkg: 'deb', apk: 'apk', rpm: 'rpm' } as const;
/** Namespace when the image names no distribution (no /etc/os-release). */
const DEFAULT_NAMESPACE = { dpkg: 'debian', apk: 'alpine', rpm: 'redhat' } as const;

/** `pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&upstream=glibc&distro=debian-12` and the like. */
export function packagePurl(pkg: Package, distro: Distro | null): string {
  const qualifiers: Record<string, string> = {};
  if (pkg.architecture) qualifiers.arch = pkg.architecture;
  switch (pkg.manager) {
    case 'dpkg':
      if (pkg.source) qualifiers.upstream = pkg.source.version ? `${pkg.source.name}@${pkg.source.version}` : pkg.source.name;
      break;
    case 'apk':
      if (pkg.source && pkg.source.name !== pkg.name) qualifiers.upstream = pkg.source.name;
      break;
    case 'rpm':
      if (pkg.epoch !== null) qualifiers.epoch = String(pkg.epoch);
      if (pkg.sourceRpm) qualifiers.upstream = pkg.sourceRpm;
      break;
  }
  const namespace = (distro?.id ?? DEFAULT_NAMESPACE[pkg.manager]).toLowerCase();
  return formatPurl(TYPE_OF_MANAGER[pkg.manager], namespace, pkg.name, pkg.version, qualifiers, distro);
}

/** `pkg:golang/github.com/google/uuid@v1.6.0` (the last path element is the name). */
export function goModulePurl(modulePath: string, version: string): string {
  const slash = modulePath.lastIndexOf('/');
  const namespace = slash < 0 ? '' : modulePath.slice(0, slash);
  const name = slash < 0 ? modulePath : modulePath.slice(slash + 1);
  return formatPurl('golang', namespace, name, version, {}, null);
}

function formatPurl(
  type: string,
  namespace: string,
  name: string,
  version: string,
  qualifiers: Record<string, string>,
  distro: Distro | null,
): string {
  const lower = type === 'deb' || type === 'golang';
  const segments = namespace === '' ? [] : namespace.split('/').map((part) => queryEscape(lower ? part.toLowerCase() : part));
  let purl = `pkg:${type}/${[...segments, queryEscape(lower ? name.toLowerCase() : name)].join('/')}`;
  if (version !== '') purl += `@${pathEscape(version)}`;
  const pairs = Object.keys(qualifiers)
    .sort()
    .filter((key) => qualifiers[key] !== '')
    .map((key) => `${key}=${pathEscape(qualifiers[key]!)}`);
  const distroValue = distro ? [distro.id, distro.versionId].filter((part) => part).join('-') : '';
  if (distroValue !== '') pairs.push(`distro=${pathEscape(distroValue)}`);
  if (pairs.length > 0) purl += `?${pairs.join('&')}`;
  return purl;
}

/** Go's url.QueryEscape: unreserved bytes kept, space as `+`, everything else %XX (upper-case). */
export function queryEscape(text: string): string {
  return escapeBytes(text, (c) => isUnreserved(c), true);
}

/** Go's url.PathEscape (a path segment): also keeps `$&+:=@` but escapes `/;,?`. */
export function pathEscape(text: string): string {
  return escapeBytes(text, (c) => isUnreserved(c) || '$&+:=@'.includes(String.fromCharCode(c)), false);
}

function isUnreserved(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

function escapeBytes(text: string, keep: (c: number) => boolean, spaceAsPlus: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (keep(byte)) out += String.fromCharCode(byte);
    else if (byte === 0x20 && spaceAsPlus) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
