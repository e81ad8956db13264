/**
 * Images built in code (test/helpers/image-builder.ts) from this machine's Debian 12 files: a
 * merged-/usr base with glibc, dash and env (closures found with pax-utils' lddtree), accounts,
 * nsswitch.conf, /etc/hosts, the CA bundle and some bytes nothing needs; programs compiled here
 * with gcc and Go (CGO_ENABLED=0 and 1). Everything is cached per test run under /tmp/slim.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildImage, writeFixture, type EntrySpec, type FixtureFormat, type ImageSpec } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool } from './_support.js';
import { testTmp } from '../helpers/tools.js';

export const canBuildC = hasTool('gcc');
export const canBuildGo = hasTool('go') && canBuildC;

/** The merged-/usr symlinks of Debian 12. */
export const MERGED_USR: EntrySpec[] = [
  { path: 'bin', type: 'symlink', target: 'usr/bin' },
  { path: 'lib', type: 'symlink', target: 'usr/lib' },
  { path: 'lib64', type: 'symlink', target: 'usr/lib64' },
  { path: 'sbin', type: 'symlink', target: 'usr/sbin' },
  { path: 'usr/lib64/ld-linux-x86-64.so.2', type: 'symlink', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
];

export const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'app:x:1000:1000:app:/app:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');
export const GROUP = ['root:x:0:', 'daemon:x:1:', 'staff:x:50:app', 'app:x:1000:', 'nogroup:x:65534:', ''].join('\n');
export const NSSWITCH = 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n';

/** Files (and the symlinks lddtree names) of the programs' closures, at their canonical host paths. */
export function hostFiles(programs: string[]): EntrySpec[] {
  const listed = execFileSync('/usr/bin/python3', ['/usr/bin/lddtree', '-l', ...programs], { encoding: 'utf8' }).trim().split('\n');
  const byPath = new Map<string, EntrySpec>();
  for (const file of new Set([...programs, ...listed])) for (const entry of hostEntry(file)) byPath.set(entry.path, entry);
  return [...byPath.values()];
}

/** One host path as image entries: the file at its real path, plus the symlink itself when it is one (not through a directory symlink). */
export function hostEntry(file: string): EntrySpec[] {
  const real = realpathSync(file);
  const entries: EntrySpec[] = [{ path: real.slice(1), content: readFileSync(real), mode: statSync(real).mode & 0o7777 }];
  const canonicalDir = realpathSync(path.dirname(file));
  const link = path.join(canonicalDir, path.basename(file));
  if (link !== real && lstatSync(link).isSymbolicLink()) entries.push({ path: link.slice(1), type: 'symlink', target: readlinkSync(link) });
  return entries;
}

/** Every regular file and symlink below a host directory, skipping names in `skip`. */
export function hostTree(dir: string, skip: (name: string) => boolean = () => false): EntrySpec[] {
  const entries: EntrySpec[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (skip(name)) continue;
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) entries.push({ path: full.slice(1), type: 'symlink', target: readlinkSync(full) });
    else if (stat.isDirectory()) entries.push({ path: full.slice(1), type: 'dir', mode: stat.mode & 0o7777 }, ...hostTree(full, skip));
    else if (stat.isFile()) entries.push({ path: full.slice(1), content: readFileSync(full), mode: stat.mode & 0o7777 });
  }
  return entries;
}

/** A Debian-like base layer: glibc, dash as /bin/sh, env, cat; accounts and name-service files; the CA bundle; junk. */
export function baseLayer(options: { tmp?: boolean } = {}): EntrySpec[] {
  return [
    ...MERGED_USR,
    ...hostFiles(['/usr/bin/dash', '/usr/bin/env', '/usr/bin/cat']),
    { path: 'usr/bin/sh', type: 'symlink', target: 'dash' },
    // glibc 2.36 has `files` and `dns` built in: these compat stubs must not be kept.
    ...hostEntry('/usr/lib/x86_64-linux-gnu/libnss_files.so.2'),
    ...hostEntry('/usr/lib/x86_64-linux-gnu/libnss_dns.so.2'),
    ...hostEntry('/usr/lib/x86_64-linux-gnu/libm.so.6'),
    { path: 'etc/passwd', content: PASSWD },
    { path: 'etc/group', content: GROUP },
    { path: 'etc/nsswitch.conf', content: NSSWITCH },
    { path: 'etc/hosts', content: '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' },
    { path: 'etc/ssl/certs/ca-certificates.crt', content: readFileSync('/etc/ssl/certs/ca-certificates.crt') },
    { path: 'usr/lib/ssl/cert.pem', type: 'symlink', target: '/etc/ssl/certs/ca-certificates.crt' },
    { path: 'usr/share/doc/junk/changelog', content: Buffer.alloc(300_000, 0x61) },
    ...(options.tmp ? [{ path: 'tmp', type: 'dir' as const, mode: 0o1777 }] : []),
  ];
}

const built = testTmp('slim', 'programs');

/** Compiles native/<name>.c with gcc (dynamic glibc, or -static) once; returns the binary. */
export function compileC(name: string, flags: string[] = []): string {
  const out = path.join(built, `${name}${flags.join('').replace(/[^a-z]/g, '')}`);
  if (!existsSync(out)) {
    mkdirSync(built, { recursive: true });
    execFileSync('gcc', ['-O2', '-Wall', ...flags, '-o', out, path.join(repoRoot, 'native', `${name}.c`)], { stdio: 'pipe' });
  }
  return out;
}

const GO_STATIC = `package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
)

func main() {
	_ = &tls.Config{MinVersion: tls.VersionTLS12}
	pool, err := x509.SystemCertPool()
	fmt.Println("go: system roots found:", err == nil && len(pool.Subjects()) > 0)
	addrs, err := net.LookupHost("localhost")
	fmt.Println("go: localhost:", addrs, err)
	os.Exit(len(os.Args) - 1)
}
`;

const GO_CGO = `package main

// #include <unistd.h>
import "C"

import (
	"fmt"
	"net"
	"os"
	"os/user"
)

func main() {
	fmt.Println("cgo: pid positive:", C.getpid() > 0)
	if u, err := user.Lookup("app"); err == nil {
		fmt.Println("cgo: user app:", u.Uid, u.Gid, u.HomeDir)
	} else {
		fmt.Println("cgo: user app:", err)
	}
	addrs, err := net.LookupHost("localhost")
	fmt.Println("cgo: localhost:", addrs, err)
	os.Exit(2)
}
`;

/** Builds the two Go programs (CGO_ENABLED=0 with crypto/tls and net, CGO_ENABLED=1 with os/user and net) once. */
export function buildGo(): { static: string; cgo: string } {
  const root = path.join(built, 'go');
  const result = { static: path.join(root, 'static'), cgo: path.join(root, 'cgo') };
  if (existsSync(result.static) && existsSync(result.cgo)) return result;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: testTmp('slim', 'gohome'),
    GOPATH: testTmp('slim', 'gopath'),
    GOCACHE: testTmp('slim', 'gocache'),
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
  };
  for (const [name, source, cgo] of [
    ['static', GO_STATIC, '0'],
    ['cgo', GO_CGO, '1'],
  ] as const) {
    const src = path.join(root, `src-${name}`);
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'go.mod'), 'module example.com/slimtest\n\ngo 1.19\n');
    writeFileSync(path.join(src, 'main.go'), source);
    execFileSync('go', ['build', '-o', result[name], '.'], { cwd: src, env: { ...env, CGO_ENABLED: cgo }, stdio: 'pipe' });
  }
  return result;
}

export function programEntry(imagePath: string, file: string): EntrySpec {
  return { path: imagePath, content: readFileSync(file), mode: 0o755 };
}

/** Builds `spec` and writes it in `format` at `file`. */
export async function writeImageFile(format: FixtureFormat, file: string, spec: ImageSpec): Promise<string> {
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFixture(format, file, [await buildImage(spec)]);
  return file;
}
