/** The distribution an image says it is, from os-release(5). Pure over text. */
import { decodeText } from './_read.js';
import type { Distro, PackageFiles } from './types.js';

export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'];

export function readDistro(files: PackageFiles): Distro | null {
  for (const path of OS_RELEASE_PATHS) {
    const real = files.realpath(path);
    const bytes = real ? files.read(real) : null;
    if (bytes) return parseOsRelease(decodeText(bytes));
  }
  return null;
}

/** os-release(5): `KEY=value` lines, values optionally quoted with shell-style escapes; null without an ID. */
export function parseOsRelease(text: string): Distro | null {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(raw.replace(/\r$/, ''));
    if (match) values.set(match[1]!, unquote(match[2]!.trim()));
  }
  const id = values.get('ID');
  if (!id) return null;
  return {
    id: id.toLowerCase(),
    versionId: values.get('VERSION_ID') || null,
    idLike: (values.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    prettyName: values.get('PRETTY_NAME') || null,
  };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}
