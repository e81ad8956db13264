/**
 * Name services: what a program that looks up users, groups, hosts or services reads at run
 * time. glibc goes through NSS: /etc/nsswitch.conf (or glibc's defaults) names a source per
 * database, `files` reads /etc/hosts and friends, and every other source is a module it
 * dlopens (libnss_<source>.so.2); since glibc 2.34 `files` and `dns` are built into libc.so.6.
 * musl reads the files directly, and Go's pure resolver reads nsswitch.conf and /etc/hosts itself.
 * Which databases matter is told from what the kept objects import.
 */
import { compareVersionParts, glibcVersionParts } from '../elf/index.js';
import { keepDependency, dependencyReason } from './plan-closure.js';
import type { Planner } from './planner.js';
import { resolveExtra } from './resolve-extra.js';

/** libc entry points → the NSS database they read. */
const DATABASES: Record<string, string[]> = {
  passwd: ['getpwnam', 'getpwnam_r', 'getpwuid', 'getpwuid_r', 'getpwent', 'getpwent_r', 'getlogin', 'getlogin_r', 'cuserid'],
  group: ['getgrnam', 'getgrnam_r', 'getgrgid', 'getgrgid_r', 'getgrent', 'getgrent_r', 'initgroups', 'getgrouplist'],
  shadow: ['getspnam', 'getspnam_r', 'getspent', 'getspent_r'],
  hosts: ['getaddrinfo', 'getnameinfo', 'gethostbyname', 'gethostbyname2', 'gethostbyname_r', 'gethostbyname2_r', 'gethostbyaddr', 'gethostbyaddr_r', 'gethostent', 'getaddrinfo_a'],
  services: ['getservbyname', 'getservbyname_r', 'getservbyport', 'getservbyport_r', 'getservent', 'getaddrinfo', 'getnameinfo'],
  protocols: ['getprotobyname', 'getprotobyname_r', 'getprotobynumber', 'getprotobynumber_r', 'getprotoent'],
  networks: ['getnetbyname', 'getnetbyaddr', 'getnetent'],
  netgroup: ['innetgr', 'setnetgrent', 'getnetgrent', 'getnetgrent_r'],
  ethers: ['ether_hostton', 'ether_ntohost'],
  rpc: ['getrpcbyname', 'getrpcbynumber', 'getrpcent'],
  aliases: ['getaliasbyname', 'getaliasent'],
};

/** What the `files` source (and musl, and Go) reads per database; passwd and group are kept by plan-accounts. */
const FILES: Record<string, string[]> = {
  hosts: ['/etc/hosts', '/etc/host.conf', '/etc/gai.conf', '/etc/resolv.conf'],
  services: ['/etc/services'],
  protocols: ['/etc/protocols'],
  networks: ['/etc/networks'],
  ethers: ['/etc/ethers'],
  rpc: ['/etc/rpc'],
  netgroup: ['/etc/netgroup'],
  aliases: ['/etc/aliases'],
};

/** glibc's sources when /etc/nsswitch.conf is absent (or does not name a database). */
function defaultSources(database: string): string[] {
  return database === 'hosts' || database === 'networks' ? ['dns', 'files'] : ['files'];
}

interface Use {
  user: string;
  call: string;
}

export function keepNameServices(p: Planner): void {
  const glibc = new Map<string, Use>();
  const direct = new Map<string, Use>();
  for (const binary of p.keptBinaries()) {
    const imports = new Set(p.elf(binary.path)?.imports ?? []);
    const target = binary.libc === 'glibc' ? glibc : binary.libc === 'musl' ? direct : null;
    if (target) {
      for (const [database, calls] of Object.entries(DATABASES)) {
        const call = calls.find((name) => imports.has(name));
        if (call && !target.has(database)) target.set(database, { user: binary.path, call });
      }
    }
    if (binary.go && p.elf(binary.path)?.goPackages?.includes('net')) {
      for (const database of ['hosts', 'services']) if (!direct.has(database)) direct.set(database, { user: binary.path, call: 'Go package net' });
      keepFile(p, '/etc/nsswitch.conf', `Go's resolver reads it (${binary.path} links package net)`);
    }
  }
  for (const [database, use] of direct) {
    for (const file of FILES[database] ?? []) keepFile(p, file, `read for ${database} lookups (${use.user}: ${use.call})`);
  }
  if (glibc.size > 0) keepGlibcNss(p, glibc);
}

function keepGlibcNss(p: Planner, uses: Map<string, Use>): void {
  const conf = p.fs.readText('/etc/nsswitch.conf');
  const sources = conf === null ? new Map<string, string[]>() : parseNsswitch(conf);
  const builtin = glibcAtLeast(p.analysis.binaries.imageLibc.glibc?.maxVersion ?? null, [2, 34]);
  const modules = new Map<string, { database: string; use: Use }>();
  for (const [database, use] of uses) {
    const why = `${use.user} calls ${use.call} (${database})`;
    if (conf !== null) keepFile(p, '/etc/nsswitch.conf', `glibc's NSS reads it: ${why}`);
    const named = sources.get(database) ?? defaultSources(database);
    for (const source of named) {
      if (source === 'files') for (const file of FILES[database] ?? []) keepFile(p, file, `NSS 'files' source for ${database}: ${why}`);
      if (source === 'dns') keepFile(p, '/etc/resolv.conf', `NSS 'dns' source for ${database}: ${why}`);
      if (builtin && (source === 'files' || source === 'dns')) continue;
      const module = `libnss_${source}.so.2`;
      if (!modules.has(module)) modules.set(module, { database, use });
    }
    if (database === 'shadow') p.risk(use.user, `calls ${use.call}: /etc/shadow is not kept (name it with --keep if the program must read password hashes)`);
  }
  for (const [module, { database, use }] of modules) {
    const { found, closure } = resolveExtra(p, use.user, [module]);
    const dep = found.get(module);
    if (!dep || dep.via === 'not-found' || dep.path === null) continue; // glibc skips an absent module: same as in the source
    const where = conf === null ? `glibc's default sources for ${database}` : `'${database}' in /etc/nsswitch.conf`;
    keepDependency(p, dep, `${module}: NSS module for ${where} (${use.user} calls ${use.call}), found via ${dep.via}${dep.viaDetail ? ` ${dep.viaDetail}` : ''}`);
    for (const extra of closure) keepDependency(p, extra, dependencyReason(extra));
  }
}

/** database → sources, in order, from nsswitch.conf text (action items like `[NOTFOUND=return]` dropped). */
export function parseNsswitch(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/g, ' ');
    const match = /^\s*([A-Za-z_]+)\s*:(.*)$/.exec(line);
    if (!match) continue;
    const services = match[2]!.split(/\s+/).filter((word) => /^[A-Za-z0-9_+-]+$/.test(word));
    result.set(match[1]!.toLowerCase(), services);
  }
  return result;
}

function glibcAtLeast(version: string | null, floor: readonly number[]): boolean {
  const parts = version ? glibcVersionParts(version) : null;
  return parts !== null && compareVersionParts(parts, floor) >= 0;
}

function keepFile(p: Planner, path: string, reason: string): void {
  p.keep.keepLookup(path, reason, { program: false });
}
