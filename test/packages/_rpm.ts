/**
 * A real rpm database: two packages from one source (built with Debian's rpmbuild) installed
 * with `rpm --root --noscripts` into a scratch root, which writes `var/lib/rpm/rpmdb.sqlite`
 * (WAL mode, as rpm ≥ 4.16 leaves it). Built once per test run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasTool, testTmp } from '../helpers/tools.js';

export const canUseRpm = hasTool('rpmbuild') && hasTool('rpm');

const SPEC = `Name: demo-tool
Version: 1.2.3
Release: 4.el9
Epoch: 2
Summary: demo
License: MIT and BSD
BuildArch: x86_64
%description
demo
%package libs
Summary: demo libs
License: MIT
%description libs
demo libs
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/demo %{buildroot}/usr/share/demo %{buildroot}/usr/lib64
echo hi > %{buildroot}/usr/bin/demo
echo conf > %{buildroot}/etc/demo/demo.conf
echo data > %{buildroot}/usr/share/demo/data
echo lib > %{buildroot}/usr/lib64/libdemo.so.1
ln -s demo %{buildroot}/usr/bin/demo-link
%files
/usr/bin/demo
/usr/bin/demo-link
%config(noreplace) /etc/demo/demo.conf
%dir /etc/demo
/usr/share/demo
%files libs
/usr/lib64/libdemo.so.1
`;

/** The root (with `var/lib/rpm/rpmdb.sqlite`) holding demo-tool and demo-tool-libs. */
export function rpmRoot(): string {
  const top = testTmp('packages', 'rpm');
  const root = path.join(top, 'root');
  if (existsSync(path.join(top, '.done'))) return root;
  rmSync(top, { recursive: true, force: true });
  mkdirSync(path.join(top, 'SPECS'), { recursive: true });
  writeFileSync(path.join(top, 'SPECS/demo.spec'), SPEC);
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--define', '_build_id_links none', '-bb', path.join(top, 'SPECS/demo.spec')], { stdio: 'pipe' });
  const rpms = readdirSync(path.join(top, 'RPMS/x86_64')).map((file) => path.join(top, 'RPMS/x86_64', file));
  mkdirSync(root, { recursive: true });
  const rpm = (...args: string[]) => execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  rpm('--initdb');
  rpm('-i', '--nodeps', '--noscripts', '--ignorearch', '--ignoreos', ...rpms);
  writeFileSync(path.join(top, '.done'), '');
  return root;
}

/** `rpm -q` against the root's database. */
export function rpmQuery(root: string, ...args: string[]): string[] {
  const out = execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter(Boolean);
}
