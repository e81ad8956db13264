/**
 * What kept configuration files and scripts name: include and load directives (nginx `include
 * modules-enabled/*.conf;`, `load_module …so;`, lighttpd `include "conf-enabled/*.conf"`,
 * `include_shell "…"`), globs expanded, relative names against the file's directory; every other
 * absolute path that exists in the image (a file with its closure, a package's own directory
 * with its tree, a missing file's directory alone: `pid /run/nginx.pid;` keeps /run); and the
 * accounts they switch to (`user www-data;`, `server.username = "www-data"`, `User daemon`, and
 * `User ${APACHE_RUN_USER}` with the value a kept file or the Env assigns).
 * Files kept this way are read in turn.
 */
import path from 'node:path/posix';
import { isSharedDirectory } from '../packages/index.js';
import { compileGlob, hasGlob } from '../shared/glob/index.js';
import { lookupTrail } from './lookup.js';
import { isInertTemplate } from './plan-shell.js';
import type { Planner } from './planner.js';

const INCLUDE = /^\s*(?:include|include_shell|include_if_exists|load_module|Include|IncludeOptional|LoadModule\s+\S+|ServerRoot|source|\.)\s+["']?([^"';\s]+)["']?/;
/** Apache's `ServerRoot "/usr/local/apache2"`: the base of its relative Include and LoadModule names. */
const SERVER_ROOT = /^\s*ServerRoot\s+["']?([^"'\s]+)["']?\s*$/;
const serverRoots = new WeakMap<Planner, string>();
/**
 * Commands in scripts that switch to or name an account: `exec gosu redis "$0" "$@"`, su-exec,
 * s6-setuidgid, `runuser -u`, `chpst -u`, `chroot --userspec=`, `chown redis:redis`, `find -user`
 * (official images' entrypoint scripts): the account must stay in the reduced passwd and group.
 */
const SWITCH_USER = /(?:^|[\s;&|(])(?:gosu|su-exec|s6-setuidgid|setuidgid|runuser\s+-u|chpst\s+-u|chown(?:\s+-[A-Za-z]+)*|-user|--userspec=|--user=)\s*["']?([a-z_][a-z0-9_.-]*)(?::([a-z_][a-z0-9_.-]*))?(?=["'\s;]|$)/g;
const NAMES_GROUP = /(?:^|[\s;&|(])(?:chgrp(?:\s+-[A-Za-z]+)*|-group)\s+["']?([a-z_][a-z0-9_.-]*)(?=["'\s;]|$)/g;
/** The directives that name the account a program switches to. */
const ACCOUNT_KEY = String.raw`(user|group|username|groupname|server\.username|server\.groupname|User|Group|daemon_user|run_as_user)\s*[= ]\s*["']?`;
const ACCOUNT = new RegExp(String.raw`^\s*${ACCOUNT_KEY}([a-z_][a-z0-9_.-]*\$?)["']?(?:\s+["']?([a-z_][a-z0-9_.-]*)["']?)?\s*;?\s*$`, 'i');
/**
 * The same directives naming the account through a variable (Apache's `User ${APACHE_RUN_USER}`,
 * set by `export APACHE_RUN_USER=www-data` in the envvars file its apache2ctl sources), maybe
 * with a shell default (`${RUN_USER:-daemon}`).
 */
const ACCOUNT_VARIABLE = new RegExp(String.raw`^\s*${ACCOUNT_KEY}\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([a-z_][a-z0-9_.-]*))?\}?["']?\s*;?\s*$`);
/** A shell assignment in a kept script or env file: `export APACHE_RUN_USER=www-data`, `RUN_USER="daemon"`. */
const ASSIGNMENT = /^\s*(?:export\s+|readonly\s+|declare\s+(?:-x\s+)?)?([A-Za-z_][A-Za-z0-9_]*)=["']?([a-z_][a-z0-9_.-]*)["']?\s*;?\s*$/;
/** An absolute path, also as a shell default (`HTTPD=${APACHE_HTTPD:-/usr/sbin/apache2}`). */
const ABSOLUTE = /(?:^|[\s"'=,(\[]|[A-Za-z0-9_]:?[-=+?])(\/[A-Za-z0-9._+@%*?{}\[\]/-]*[A-Za-z0-9_*}\]])/g;
/** Directories a named path never keeps the tree of, beyond the shared hierarchy: a whole /usr/local/lib is no one's data. */
const BROAD = /^\/(?:usr\/local\/[^/]+|opt|home|srv|var\/www|var\/lib|var\/cache)$/;

/** Account directives that name a variable, and the values kept files and the image's Env assign. */
interface Variables {
  accounts: Array<{ file: string; key: string; name: string; fallback: string | undefined }>;
  values: Map<string, Set<string>>;
}

export function keepConfigReferences(p: Planner): void {
  const done = new Set<string>();
  const variables: Variables = { accounts: [], values: new Map() };
  for (let again = true; again; ) {
    again = false;
    for (const file of [...p.keep.reasons.keys()]) {
      if (done.has(file)) continue;
      done.add(file);
      const text = readConfig(p, file);
      if (text === null) continue;
      again = true;
      for (const line of text.split('\n')) readLine(p, file, line, variables);
    }
  }
  keepVariableAccounts(p, variables);
}

/** An account named through a variable: every value a kept file or the Env gives it, and its default. */
function keepVariableAccounts(p: Planner, { accounts, values }: Variables): void {
  for (const { file, key, name, fallback } of accounts) {
    const candidates = new Set(values.get(name));
    const fromEnv = p.env.get(name);
    if (fromEnv) candidates.add(fromEnv);
    if (fallback) candidates.add(fallback);
    for (const candidate of candidates) keepAccount(p, file, key, candidate, undefined);
  }
}

/** The text of a kept configuration file or a kept executable script (not a runtime's own library). */
function readConfig(p: Planner, file: string): string | null {
  const entry = p.fs.entry(file);
  if (!entry || (entry.type !== 'file' && entry.type !== 'hardlink')) return null;
  const payload = p.fs.payload(file);
  if (!payload?.content || payload.elf) return null;
  if (file.startsWith('/var/lib/dpkg/') || file === '/etc/ld.so.cache' || file === '/etc/passwd' || file === '/etc/group') return null;
  if (payload.shebang && (((entry.mode & 0o111) === 0) || isInertTemplate(file) || p.keep.reasons.get(file)!.every((reason) => reason.includes('standard library')))) return null;
  const bytes = payload.content;
  if (bytes.includes(0)) return null;
  return Buffer.from(bytes).toString('utf8');
}

function readLine(p: Planner, file: string, raw: string, variables: Variables): void {
  const line = raw.replace(/(^|\s)#.*$/, '$1').replace(/^\s*(?:\/\/|;).*$/, '');
  if (line.trim() === '') return;
  const account = ACCOUNT.exec(line);
  if (account) keepAccount(p, file, account[1]!, account[2]!, account[3]);
  const byVariable = ACCOUNT_VARIABLE.exec(line);
  if (byVariable) variables.accounts.push({ file, key: byVariable[1]!, name: byVariable[2]!, fallback: byVariable[3] });
  const assignment = ASSIGNMENT.exec(line);
  if (assignment) {
    const name = assignment[1]!;
    variables.values.set(name, (variables.values.get(name) ?? new Set()).add(assignment[2]!));
  }
  for (const match of line.matchAll(SWITCH_USER)) keepAccount(p, file, 'user', match[1]!, match[2]);
  for (const match of line.matchAll(NAMES_GROUP)) keepAccount(p, file, 'group', match[1]!, undefined);
  const include = INCLUDE.exec(line);
  if (include && !include[1]!.startsWith('/')) {
    const reason = `named by ${file} ('${line.trim()}')`;
    keepNamed(p, file, path.join(path.dirname(file), include[1]!), reason);
    // Apache resolves relative Include and LoadModule names against its ServerRoot (httpd's modules/mod_*.so).
    const root = serverRoots.get(p);
    if (root && root !== path.dirname(file)) keepNamed(p, file, path.join(root, include[1]!), reason);
  }
  const serverRoot = SERVER_ROOT.exec(line);
  if (serverRoot && serverRoot[1]!.startsWith('/')) serverRoots.set(p, path.normalize(serverRoot[1]!));
  for (const match of line.matchAll(ABSOLUTE)) {
    const named = withoutClosingBraces(match[1]!);
    if (named.startsWith('//') || named === '/') continue;
    keepNamed(p, file, named, `named by ${file} ('${truncate(line.trim())}')`);
  }
}

function keepAccount(p: Planner, file: string, key: string, first: string, second: string | undefined): void {
  const why = `named by ${file}`;
  const isGroup = /group/i.test(key);
  if (isGroup) {
    if (hasEntry(p, '/etc/group', first)) p.accountNames.groups.set(first, why);
    return;
  }
  if (hasEntry(p, '/etc/passwd', first)) p.accountNames.users.set(first, why);
  if (second && hasEntry(p, '/etc/group', second)) p.accountNames.groups.set(second, why);
}

function hasEntry(p: Planner, file: string, name: string): boolean {
  return (p.fs.readText(file) ?? '').split('\n').some((line) => line.split(':')[0] === name);
}

/** Keeps what one named path (maybe a glob) stands for in the image. */
function keepNamed(p: Planner, file: string, named: string, reason: string): void {
  if (hasGlob(named)) {
    keepGlob(p, named, reason);
    return;
  }
  const clean = path.normalize(named);
  const found = p.fs.resolveEntry(clean);
  if (!found) {
    // A file the program makes (a pid or log file): its directory, alone.
    const parent = path.dirname(clean);
    if (parent !== '/' && p.fs.resolveEntry(parent)?.entry.type === 'directory') p.keep.keepLookup(parent, `directory of ${clean}, ${reason}`, { program: false });
    return;
  }
  if (found.entry.type !== 'directory') {
    const unread = unreadConfig(p, file);
    if (unread && p.narrowing!.leaveOut(clean, unread.ran, unread.finding)) return;
    p.keep.keepLookup(clean, reason);
    return;
  }
  // A shared hierarchy directory keeps its entry alone; a top-level one of the image's own (/docker-entrypoint.d, /app) is its content.
  if (!isOwnDirectory(found.path)) {
    p.keep.keepLookup(clean, reason, { program: false });
    return;
  }
  // Runtime state (logs, caches, pid directories) is made at run time; a document root under /var/www or /srv is content.
  if (file.startsWith(`${found.path}/`) || (found.path.startsWith('/var/') && !found.path.startsWith('/var/www/')) || found.path.startsWith('/run/') || found.path.startsWith('/tmp/')) {
    p.keep.keepLookup(clean, reason, { program: false });
    return;
  }
  // A directory of programs or plugins (ImageMagick's CODER_PATH): with probes that read this file
  // or ran the entrypoint's program, those the probes never used are left out.
  const narrowing = p.narrowing;
  const ran = narrowing && [file, ...p.entrypointPrograms()].find((item) => narrowing.touched(item));
  const unused = `the probes ${ran === file ? 'read' : 'ran'} ${ran} and used no other program or plugin of ${found.path}, which ${file} names`;
  p.keep.keepTree(clean, reason, narrowing && ran ? (item) => narrowing.leaveOut(item, ran, unused) : undefined);
}

/**
 * With probes that ran the entrypoint's program: a configuration file (not a script) they never
 * opened, so nothing it names took effect in their runs (Apache's mods-available/*.load of the
 * modules a2enmod did not enable). The programs and plugins it names are then narrowed.
 */
function unreadConfig(p: Planner, file: string): { ran: string; finding: string } | null {
  const narrowing = p.narrowing;
  if (!narrowing || narrowing.touched(file) || ((p.fs.entry(file)?.mode ?? 0) & 0o111) !== 0) return null;
  const ran = p.entrypointPrograms().find((item) => narrowing.touched(item));
  if (!ran) return null;
  return { ran, finding: `the probes ran ${ran} and never read the files of ${path.dirname(file)} that name these programs` };
}

/** A directory that can be one program's own whole (/app, /docker-entrypoint.d): neither `/`, a shared hierarchy directory, nor a broad one. */
export function isOwnDirectory(dir: string): boolean {
  return dir !== '/' && !isSharedDirectory(dir) && !BROAD.test(dir);
}

function keepGlob(p: Planner, pattern: string, reason: string): void {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part) => hasGlob(part));
  const prefix = parts.slice(0, firstGlob).join('/') || '/';
  const trail = lookupTrail(p.analysis.merged.entries, prefix, true);
  if (trail.final === null || trail.final === '/') return;
  let matcher;
  try {
    matcher = compileGlob(`${trail.final}/${parts.slice(firstGlob).join('/')}`);
  } catch {
    return;
  }
  for (const link of trail.symlinks) p.keep.keepEntry(link, reason);
  p.keep.keepLookup(prefix, reason, { program: false });
  for (const match of p.keep.below(trail.final)) if (matcher(match)) p.keep.keepLookup(match, reason);
}

/** The path without the `}` that closes a `${VAR:-/path}` around it (a glob's `{a,b}` stays). */
function withoutClosingBraces(named: string): string {
  let text = named;
  while (text.endsWith('}') && text.split('}').length > text.split('{').length) text = text.slice(0, -1);
  return text;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
