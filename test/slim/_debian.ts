/**
 * Images built from real Debian packages: each program's dependency closure (apt-cache depends,
 * without recommends), downloaded once with `apt-get download` into a cache keyed by the .deb file
 * names (name_version_arch.deb), extracted with dpkg-deb into a merged-/usr root, with the dpkg
 * database dpkg would write (status with Source and Conffiles, info/*.list), accounts from
 * base-passwd's masters plus www-data, and the files a Dockerfile would add. umoci turns the root
 * into an OCI layout with the given config. Tools: apt-get, apt-cache, dpkg-deb, GNU tar, umoci.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool, isRoot } from '../helpers/tools.js';

export const canBuildDebian = isRoot('the Debian-package image tests') && ['apt-get', 'apt-cache', 'dpkg-deb', 'tar', 'umoci', 'skopeo', 'unshare', 'python3'].every((tool) => hasTool(tool));

/** Where .debs are kept between runs (IMGSLIM_DEB_CACHE overrides). */
export const DEB_CACHE = process.env.IMGSLIM_DEB_CACHE ?? path.join(repoRoot, 'node_modules', '.cache', 'imgslim-debs');

/** Alternatives and tools no image here runs (debconf's frontends, info), left out of every closure. */
const LEFT_OUT = new Set(['cdebconf', 'libdebian-installer4', 'libnewt0.52', 'libslang2', 'libtextwrap1', 'install-info']);
/** In every image: the C library and /bin/sh. */
const BASE = ['libc6', 'dash'];

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');
const GROUP = ['root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'adm:x:4:', 'www-data:x:33:', 'nogroup:x:65534:', ''].join('\n');

/** Every package `names` need (Depends and Pre-Depends, recursively), real packages only. */
export function dependencyClosure(names: string[]): string[] {
  const out = execFileSync(
    'apt-cache',
    ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...names],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const found = new Set<string>();
  for (const line of out.split('\n')) if (/^[a-z0-9][a-z0-9.+-]*$/.test(line) && !LEFT_OUT.has(line)) found.add(line);
  return [...found].sort();
}

/** The .deb files of `packages` (the candidate versions, named as apt-get download names them), downloading only those not cached yet. */
export function debFiles(packages: string[]): string[] {
  mkdirSync(DEB_CACHE, { recursive: true });
  const shown = execFileSync('apt-cache', ['show', '--no-all-versions', ...packages], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const byName = new Map<string, string>();
  for (const stanza of shown.split(/\n\n+/)) {
    const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(stanza)?.[1];
    const name = field('Package');
    const version = field('Version');
    const arch = field('Architecture');
    if (name && version && arch && !byName.has(name)) byName.set(name, `${name}_${version.replace(/:/g, '%3a')}_${arch}.deb`);
  }
  const files = packages.map((name) => byName.get(name)).filter((file): file is string => file !== undefined);
  const missing = files.filter((file) => !existsSync(path.join(DEB_CACHE, file))).map((file) => file.split('_')[0]!);
  if (missing.length > 0) execFileSync('apt-get', ['download', '-q', ...missing], { cwd: DEB_CACHE, stdio: 'pipe' });
  return files.map((file) => path.join(DEB_CACHE, file));
}

export interface DebianImage {
  /** The packages whose closures go in (BASE is added). */
  packages: string[];
  /** Files a Dockerfile would add: path → text (mode 0644) or { content, mode }; a `->` prefix makes a symlink. */
  files?: Record<string, string | { content: string | Uint8Array; mode: number }>;
  /** Edits of extracted files, as a user's Dockerfile would make them: path → (text → text). */
  edits?: Record<string, (text: string) => string>;
  /** Run the host's ldconfig -r on the root (dpkg's libc-bin trigger would). */
  ldconfig?: boolean;
  /** Empty directories to create (mode 0755). */
  dirs?: string[];
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  user?: string;
  workingDir?: string;
}

/** Builds the image as an OCI layout at `dir`/layout (tag `test`); returns the layout path. */
export function buildDebianImage(spec: DebianImage, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  const root = path.join(dir, 'rootfs');
  for (const sub of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc', 'var/lib/dpkg/info', 'tmp', 'root', 'run/lock']) mkdirSync(path.join(root, sub), { recursive: true });
  chmodSync(path.join(root, 'tmp'), 0o1777);
  chmodSync(path.join(root, 'root'), 0o700);
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) symlinkSync(`usr/${link}`, path.join(root, link));
  const status: string[] = [];
  for (const deb of debFiles(dependencyClosure([...BASE, ...spec.packages]))) status.push(installDeb(deb, root));
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), `${status.join('\n')}\n`);
  symlinkSync('/run', path.join(root, 'var/run'), 'dir');
  symlinkSync('/run/lock', path.join(root, 'var/lock'), 'dir');
  writeFileSync(path.join(root, 'etc/passwd'), PASSWD);
  writeFileSync(path.join(root, 'etc/group'), GROUP);
  mkdirSync(path.join(root, 'var/www'), { recursive: true });
  chownSync(path.join(root, 'var/www'), 33, 33);
  for (const sub of spec.dirs ?? []) mkdirSync(path.join(root, sub), { recursive: true });
  for (const [file, value] of Object.entries(spec.files ?? {})) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { force: true });
    if (typeof value === 'string' && value.startsWith('->')) symlinkSync(value.slice(2), target);
    else if (typeof value === 'string') writeFileSync(target, value);
    else writeFileSync(target, value.content, { mode: value.mode });
  }
  for (const [file, edit] of Object.entries(spec.edits ?? {})) writeFileSync(path.join(root, file), edit(readFileSync(path.join(root, file), 'utf8')));
  if (spec.ldconfig) execFileSync('ldconfig', ['-r', root], { stdio: 'pipe' });
  const layout = path.join(dir, 'layout');
  execFileSync('umoci', ['init', '--layout', layout], { stdio: 'pipe' });
  execFileSync('umoci', ['new', '--image', `${layout}:test`], { stdio: 'pipe' });
  execFileSync('umoci', ['insert', '--image', `${layout}:test`, root, '/'], { stdio: 'pipe', maxBuffer: 64 << 20 });
  const config = ['config', '--image', `${layout}:test`];
  for (const word of spec.entrypoint ?? []) config.push('--config.entrypoint', word);
  for (const word of spec.cmd ?? []) config.push('--config.cmd', word);
  for (const item of spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']) config.push('--config.env', item);
  if (spec.user) config.push('--config.user', spec.user);
  if (spec.workingDir) config.push('--config.workingdir', spec.workingDir);
  execFileSync('umoci', config, { stdio: 'pipe' });
  rmSync(root, { recursive: true, force: true });
  return layout;
}

/** Extracts one .deb into `root` (directory symlinks kept: merged /usr) and writes its info/*.list; returns its status stanza. */
function installDeb(deb: string, root: string): string {
  const control = execFileSync('dpkg-deb', ['-f', deb], { encoding: 'utf8' }).trimEnd();
  const name = /^Package: (\S+)$/m.exec(control)![1]!;
  execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x --keep-directory-symlink -C "$2"', 'sh', deb, root], { stdio: 'pipe' });
  const listing = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 512 << 20 });
  const names = execFileSync('tar', ['-t'], { input: listing, encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean)
    .map((entry) => (entry === './' ? '/.' : `/${entry.replace(/^\.\//, '').replace(/\/$/, '')}`));
  writeFileSync(path.join(root, 'var/lib/dpkg/info', `${name}.list`), `${names.join('\n')}\n`);
  let conffiles = '';
  try {
    const list = execFileSync('sh', ['-c', 'dpkg-deb --ctrl-tarfile "$1" | tar -xO ./conffiles', 'sh', deb], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = list.split('\n').filter((line) => line.startsWith('/')).map((file) => {
      const full = path.join(root, file);
      const md5 = existsSync(full) ? createHash('md5').update(readFileSync(full)).digest('hex') : 'newconffile';
      return ` ${file} ${md5}`;
    });
    if (lines.length > 0) conffiles = `\nConffiles:\n${lines.join('\n')}`;
  } catch {
    // No conffiles member.
  }
  return `${control.replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed')}${conffiles}\n`;
}

/** Names of the cached .debs (for the docs' record of what was tested). */
export function cachedDebs(): string[] {
  return existsSync(DEB_CACHE) ? readdirSync(DEB_CACHE).filter((name) => name.endsWith('.deb')) : [];
}
