/**
 * Real Debian package databases for the package tests: .deb files fetched with `apt-get download`
 * (cached per test run under testTmp()), unpacked by the real dpkg into a merged-/usr root
 * (`dpkg --root --unpack`: status, info/*.list, *.md5sums, *.conffiles written by dpkg itself),
 * and distroless-style `status.d/` stanzas made from the packages' own control files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildImage, writeFixture, type EntrySpec, type ImageSpec } from '../helpers/image-builder.js';
import { hasTool, testTmp } from '../helpers/tools.js';

/** Small packages covering: Multi-Arch: same with a Source field (zlib1g, libtinfo6), conffiles (netbase), `all` packages, /bin files (dash). */
export const DEBS = ['dash', 'zlib1g', 'netbase', 'sensible-utils', 'libtinfo6'];

export const canUseDpkg = hasTool('dpkg-deb') && hasTool('dpkg-query') && hasTool('apt-get');

/** Downloads (once per run) the packages' .deb files; returns their paths. */
export function debFiles(names = DEBS): string[] {
  const dir = testTmp('packages', 'debs');
  mkdirSync(dir, { recursive: true });
  const have = () => readdirSync(dir).filter((file) => file.endsWith('.deb'));
  const missing = names.filter((name) => !have().some((file) => file.startsWith(`${name}_`)));
  if (missing.length > 0) execFileSync('apt-get', ['download', ...missing], { cwd: dir, stdio: 'pipe' });
  return names.map((name) => path.join(dir, have().find((file) => file.startsWith(`${name}_`))!));
}

/** A merged-/usr root with the packages unpacked by dpkg (once per run). */
export function dpkgRoot(names = DEBS): string {
  const root = testTmp('packages', `root-${names.join('-')}`);
  if (existsSync(path.join(root, '.done'))) return root;
  rmSync(root, { recursive: true, force: true });
  for (const dir of ['usr/bin', 'usr/lib', 'usr/sbin', 'var/lib/dpkg/info', 'var/lib/dpkg/updates', 'etc']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const dir of ['bin', 'lib', 'sbin']) symlinkSync(`usr/${dir}`, path.join(root, dir));
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), '');
  writeFileSync(path.join(root, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
  execFileSync('dpkg', [`--root=${root}`, '--force-depends', '--force-not-root', '--unpack', ...debFiles(names)], { stdio: 'pipe' });
  writeFileSync(path.join(root, '.done'), '');
  return root;
}

/** `dpkg-query -W` in the root: one line per package, tab-separated fields. */
export function dpkgQuery(root: string, format: string, names: string[] = []): string[] {
  const out = execFileSync('dpkg-query', [`--admindir=${path.join(root, 'var/lib/dpkg')}`, '-W', '-f', format, ...names], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** The paths dpkg lists for a package (`dpkg-query -L`). */
export function dpkgListed(root: string, name: string): string[] {
  const out = execFileSync('dpkg-query', [`--admindir=${path.join(root, 'var/lib/dpkg')}`, '-L', name], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.startsWith('/') && line !== '/.');
}

/** Every entry below `root` as image entries (paths relative to it), `.done` left out. */
export function treeEntries(root: string, dir = root): EntrySpec[] {
  const entries: EntrySpec[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (dir === root && name === '.done') continue;
    const full = path.join(dir, name);
    const rel = path.relative(root, full);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) entries.push({ path: rel, type: 'symlink', target: readlinkSync(full) });
    else if (stat.isDirectory()) entries.push({ path: rel, type: 'dir', mode: stat.mode & 0o7777 }, ...treeEntries(root, full));
    else if (stat.isFile()) entries.push({ path: rel, content: readFileSync(full), mode: stat.mode & 0o7777 });
  }
  return entries;
}

/** distroless' layout for a .deb: `status.d/<pkg>` (its control stanza) and `status.d/<pkg>.md5sums`, plus its files. */
export function distrolessEntries(deb: string, withMd5sums = true): EntrySpec[] {
  const control = execFileSync('dpkg-deb', ['-f', deb]);
  const name = execFileSync('dpkg-deb', ['-f', deb, 'Package'], { encoding: 'utf8' }).trim();
  const scratch = testTmp('packages', 'distroless', name);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  execFileSync('dpkg-deb', ['-x', deb, path.join(scratch, 'root')]);
  execFileSync('dpkg-deb', ['-e', deb, path.join(scratch, 'control')]);
  const entries: EntrySpec[] = treeEntries(path.join(scratch, 'root')).filter((entry) => entry.path !== '');
  entries.push({ path: `var/lib/dpkg/status.d/${name}`, content: control });
  if (withMd5sums) entries.push({ path: `var/lib/dpkg/status.d/${name}.md5sums`, content: readFileSync(path.join(scratch, 'control/md5sums')) });
  return entries;
}

export async function writeTestImage(spec: ImageSpec, name: string): Promise<string> {
  const dir = testTmp('packages', 'images');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${name}.tar`);
  await writeFixture('docker25', target, [await buildImage(spec)], { tags: [[`example/${name}:1.0`]] });
  return target;
}
