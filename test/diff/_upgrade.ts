/**
 * A base-image upgrade made from real Debian packages: two merged-/usr roots unpacked by dpkg,
 * the first with an older zlib1g, the second with a newer one and one more package. Built once
 * per test run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testTmp } from '../helpers/tools.js';

/**
 * Two versions of zlib1g that apt can download (the oldest and the newest it lists: bookworm's
 * release and a later update), or null, with a notice, when the archive holds only one.
 */
export function zlibVersions(): { old: string; new: string } | null {
  let versions: string[] = [];
  try {
    const out = execFileSync('apt-cache', ['madison', 'zlib1g'], { encoding: 'utf8' });
    versions = [...new Set(out.split('\n').filter(Boolean).map((line) => line.split('|')[1]!.trim()))];
  } catch {
    versions = [];
  }
  if (versions.length < 2) {
    console.warn('[imgslim tests] apt lists one zlib1g version (or none): skipping the base-image upgrade diff');
    return null;
  }
  const older = (a: string, b: string) => spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
  const sorted = versions.sort((a, b) => (older(a, b) ? -1 : older(b, a) ? 1 : 0));
  return { old: sorted[0]!, new: sorted.at(-1)! };
}

/** The root for `specs` (apt-get download arguments, e.g. `zlib1g=1:1.2.13.dfsg-1`). */
export function upgradeRoot(name: string, specs: string[]): string {
  const top = testTmp('diff', 'upgrade', name);
  const root = path.join(top, 'root');
  if (existsSync(path.join(top, '.done'))) return root;
  rmSync(top, { recursive: true, force: true });
  const debs = path.join(top, 'debs');
  mkdirSync(debs, { recursive: true });
  execFileSync('apt-get', ['download', ...specs], { cwd: debs, stdio: 'pipe' });
  for (const dir of ['usr/bin', 'usr/lib', 'usr/sbin', 'var/lib/dpkg/info', 'var/lib/dpkg/updates', 'etc']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const dir of ['bin', 'lib', 'sbin']) symlinkSync(`usr/${dir}`, path.join(root, dir));
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), '');
  writeFileSync(path.join(root, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n');
  const files = readdirSync(debs).map((file) => path.join(debs, file));
  execFileSync('dpkg', [`--root=${root}`, '--force-depends', '--force-not-root', '--unpack', ...files], { stdio: 'pipe' });
  writeFileSync(path.join(top, '.done'), '');
  return root;
}
