/** A dpkg database in code (status with Source and Conffiles, info/*.list), for keep-plan tests. */
import type { EntrySpec } from '../helpers/image-builder.js';

export interface FakePackage {
  name: string;
  source?: string;
  /** Absolute paths the package lists (directories included, as dpkg lists them). */
  files: string[];
  conffiles?: string[];
}

export function dpkgDatabase(packages: FakePackage[]): EntrySpec[] {
  const stanzas = packages.map((pkg) =>
    [
      `Package: ${pkg.name}`,
      'Status: install ok installed',
      'Architecture: amd64',
      'Version: 1.0-1',
      ...(pkg.source ? [`Source: ${pkg.source}`] : []),
      ...(pkg.conffiles?.length ? ['Conffiles:', ...pkg.conffiles.map((file) => ` ${file} 0123456789abcdef0123456789abcdef`)] : []),
      'Description: test package',
    ].join('\n'),
  );
  return [
    { path: 'var/lib/dpkg/status', content: `${stanzas.join('\n\n')}\n` },
    ...packages.map((pkg) => ({ path: `var/lib/dpkg/info/${pkg.name}.list`, content: `/.\n${pkg.files.join('\n')}\n` })),
  ];
}
