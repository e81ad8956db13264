#!/usr/bin/env node
/**
 * `node bench/slim-services.mjs [--only NAME,NAME] [--ablate] [--hand-only] [--rounds N] [--no-build] [--keep-scratch]`:
 * issue 9's table of real programs built from Debian 12 packages (the cases of
 * test/slim/_debian-cases.ts): for each, `imgslim slim` with default options and with the probes a
 * user would naturally give, and a hand-tuned keep set; the case's workload runs under chroot on the
 * original and on each result and must give the same exit codes, stdout, stderr (and, for servers,
 * the same answer to GET / from the host). Prints a markdown table: pass/fail and size of each,
 * probes ÷ hand-tuned, and each probe's tracing overhead.
 *
 * Hand-tuned (HAND_TUNED below): the paths a person lists by hand for a FROM scratch image that
 * does this workload, found by reading the program's documentation and error messages, at the
 * granularity a Dockerfile COPY uses: a named file for a config, a module, a zone or a script;
 * a whole directory only for a language's standard library. Each listed path is copied with the
 * symlinks on its way, and every ELF file among them with its dependency closure from lddtree
 * (pax-utils, `python3 /usr/bin/lddtree -l -R ROOT`). GNU tar writes that list from the original
 * root; its size is the hand-tuned size. `--ablate` checks that the list is minimal: the workload
 * must fail without each listed path.
 *
 * Tracing overhead: imgslim's own probe runner (dist/probe) runs each probe on the original image
 * untraced then traced, N rounds (--rounds, default 5) interleaved in the same run; the table gives
 * the medians. (The audit's figures are one untraced and one traced run each.)
 *
 * imgslim runs as a user runs it (bin/imgslim.js, built first unless --no-build); the image
 * builders and workloads are the tests' own TypeScript modules, loaded through Vite's module
 * runner (`runnerImport`, Vite >= 6.1, the Vite vitest installs). Sizes are uncompressed layer tars.
 * Prerequisites: root (chroot, namespaces, the images keep their owners); Debian tools apt-get
 * (package lists updated, network to a Debian 12 mirror), dpkg-deb, umoci, skopeo, strace,
 * util-linux (unshare, nsenter, mount), iproute2 (ip), gcc, GNU tar, python3 with pax-utils'
 * lddtree; `npm ci` done. The .debs are cached in node_modules/.cache/imgslim-debs ($IMGSLIM_DEB_CACHE);
 * scratch goes under $TMPDIR/imgslim-bench/slim-services.
 * `--hand-only` skips slim (to write a list). Run one at a time: it is CPU-bound and times probes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { median } from './table.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option('--only')?.split(',');
const ablate = args.includes('--ablate');
/** Only the hand-tuned set (while writing it). */
const handOnly = args.includes('--hand-only');
/** Leave each case's scratch directory (images, audits, unpacked roots) for inspection. */
const keepScratch = args.includes('--keep-scratch');
/** Untraced/traced pairs per probe for the tracing overhead (medians). */
const rounds = Number(option('--rounds') ?? 5);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: give a whole number >= 1');

/**
 * The hand-tuned keep lists. `/dir/**` is the directory's whole subtree; a directory without it
 * is kept empty (its mode and owner kept); ELF closures are added by lddtree.
 */
const HAND_TUNED = {
  nginx: [
    '/usr/sbin/nginx',
    '/etc/nginx/nginx.conf',
    '/etc/nginx/mime.types', // included by nginx.conf
    '/etc/nginx/modules-enabled/50-mod-stream.conf', // load_module, through its symlink to modules-available
    '/usr/share/nginx/modules/ngx_stream_module.so',
    '/etc/nginx/sites-enabled/default',
    '/etc/passwd', // user www-data
    '/etc/group',
    '/var/lib/nginx', // body and proxy temporary directories, created at start
    '/var/log/nginx', // error.log, opened at start
    '/run', // nginx.pid
    '/var/www/html/index.html',
  ],
  'nginx started by an entrypoint script': [
    '/docker-entrypoint.sh',
    '/docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/bin/sh', // both scripts
    '/usr/bin/find', // lists /docker-entrypoint.d and the templates
    '/usr/bin/sort',
    '/usr/bin/dirname',
    '/usr/bin/mkdir',
    '/usr/bin/envsubst',
    '/etc/nginx/templates/default.conf.template',
    '/etc/nginx/conf.d', // envsubst's output
    '/usr/sbin/nginx',
    '/etc/nginx/nginx.conf',
    '/etc/nginx/mime.types', // included by nginx.conf
    '/etc/passwd', // user www-data
    '/etc/group',
    '/var/lib/nginx',
    '/var/log/nginx',
    '/run',
    '/var/www/html/index.html',
  ],
  lighttpd: [
    '/usr/sbin/lighttpd',
    '/etc/lighttpd/lighttpd.conf',
    '/usr/share/lighttpd/use-ipv6.pl', // include_shell
    '/usr/share/lighttpd/create-mime.conf.pl', // include_shell
    '/etc/mime.types', // read by create-mime.conf.pl (package media-types)
    '/bin/sh', // include_shell runs through /bin/sh
    '/usr/bin/perl',
    '/usr/lib/x86_64-linux-gnu/perl-base/**', // strict, warnings and the modules the two scripts use
    '/etc/passwd', // server.username www-data
    '/etc/group',
    '/var/log/lighttpd', // error log
    '/run', // pid file
    '/var/cache/lighttpd/uploads', // server.upload-dirs (lighttpd -tt checks it exists)
    '/var/www/html/index.html',
  ],
  'apache2 started by apache2ctl': [
    '/usr/sbin/apache2ctl',
    '/bin/sh', // apache2ctl's interpreter
    '/usr/bin/id', // `id -u` (the ulimit step)
    '/usr/bin/stat', // mkdir_chown checks the run and lock directories
    '/usr/bin/mkdir',
    '/usr/bin/mktemp',
    '/usr/bin/chmod',
    '/usr/bin/chown',
    '/usr/bin/mv',
    '/usr/sbin/apache2',
    '/etc/apache2/apache2.conf',
    '/etc/apache2/envvars', // sourced by apache2ctl
    '/etc/apache2/ports.conf',
    '/etc/apache2/mods-enabled/**', // links into mods-available, kept by their targets below
    // The modules the case enables (a2enmod's defaults), each .load, its .conf where it has one, and its .so.
    ...'mpm_event authz_core authz_host authn_core auth_basic access_compat authn_file authz_user alias dir autoindex env mime negotiation setenvif filter deflate status reqtimeout'
      .split(' ')
      .flatMap((name) => [`/etc/apache2/mods-available/${name}.load`, `/usr/lib/apache2/modules/mod_${name}.so`]),
    ...'mpm_event alias dir autoindex mime negotiation setenvif deflate status reqtimeout'.split(' ').map((name) => `/etc/apache2/mods-available/${name}.conf`),
    '/etc/apache2/conf-enabled/**',
    '/etc/apache2/conf-available/security.conf',
    '/etc/apache2/sites-enabled/site.conf',
    '/etc/mime.types', // mime.conf's TypesConfig
    '/etc/passwd', // User ${APACHE_RUN_USER} = www-data
    '/etc/group',
    '/var/log/apache2', // error.log
    '/run/lock', // APACHE_LOCK_DIR's parent, through /var/lock
    '/var/lock',
    '/var/run',
    '/var/www/html/index.html',
  ],
  'php cli with extensions': [
    '/usr/bin/php8.2',
    '/app/index.php',
    // The extensions the case enables: conf.d links, their ini files, and the modules in the extension_dir.
    ...['20-mbstring', '20-ctype', '15-xml', '20-simplexml', '20-dom'].map((name) => `/etc/php/8.2/cli/conf.d/${name}.ini`),
    ...['mbstring', 'ctype', 'xml', 'simplexml', 'dom'].flatMap((name) => [`/etc/php/8.2/mods-available/${name}.ini`, `/usr/lib/php/20220829/${name}.so`]),
    '/usr/share/zoneinfo/UTC', // the default date.timezone, checked at start
    '/usr/share/zoneinfo/Europe/Paris',
  ],
  git: [
    '/usr/bin/git',
    '/usr/lib/git-core/git-upload-pack', // run for file:// clones
    '/bin/sh', // the transport runs git-upload-pack through /bin/sh -c
    '/usr/share/git-core/templates/**', // git init copies them (else a warning on stderr)
  ],
  imagemagick: [
    '/usr/bin/convert', // → /etc/alternatives/convert → convert-im6.q16
    '/etc/ImageMagick-6/**', // policy.xml (the PDF refusal), delegates, colors, types
    '/usr/share/ImageMagick-6/english.xml', // the messages' text (the refusal's stderr)
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/png.so',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/png.la',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/xc.so',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/xc.la',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/info.so',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/info.la',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/pdf.so',
    '/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/pdf.la',
    '/tmp',
  ],
  'python3 (LANG=C.UTF-8)': [
    '/usr/bin/python3.11',
    '/usr/lib/python3.11/**', // the standard library, lib-dynload included
    '/usr/lib/locale/C.utf8/**', // LANG=C.UTF-8
    '/usr/share/zoneinfo/Europe/Paris',
    '/sbin/ldconfig', // ctypes.util.find_library runs /sbin/ldconfig -p
    '/etc/ld.so.cache',
  ],
  'C program calling system()': ['/usr/local/bin/cli', '/bin/sh'],
  'python app with its own modules and data': [
    '/usr/bin/python3.11',
    '/usr/lib/python3.11/**', // the standard library (json, encodings, os)
    '/app/**', // COPY . /app: main.py, its modules and data
  ],
  'perl script kept with --keep': ['/app/report.pl', '/usr/bin/perl', '/usr/lib/x86_64-linux-gnu/perl-base/**'],
  'perl program using core modules': [
    '/app/tool.pl',
    '/usr/bin/perl',
    '/usr/lib/x86_64-linux-gnu/perl-base/**', // strict, warnings, Getopt::Long, POSIX, File::Spec
    '/usr/lib/x86_64-linux-gnu/perl/5.36/**', // Digest::SHA, Encode, Data::Dumper (XS)
    '/usr/share/perl/5.36/**', // File::Temp, JSON::PP, PerlIO::encoding's Encode parts
    '/tmp', // File::Temp's file
  ],
  "perl script named on perl's command line": [
    '/app/tool.pl',
    '/usr/bin/perl',
    '/usr/lib/x86_64-linux-gnu/perl-base/**', // as above: the same script
    '/usr/lib/x86_64-linux-gnu/perl/5.36/**',
    '/usr/share/perl/5.36/**',
    '/tmp',
  ],
};

/** glibc's built-in library directories (x86_64 Debian). */
const LOADER_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib', '/usr/lib'];

const cases = await load('test/slim/_debian-cases.ts');
const { DEBIAN_CASES, buildCaseImage, caseProbes } = cases;
const { unpack } = await load('test/slim/_support.ts');
const { freePort } = await load('test/slim/_serve.ts');

/** The workload; a server that does not start or answer is an outcome (status -1), not a crash. */
async function runWorkload(c, spec, root, port) {
  try {
    return await cases.runWorkload(c, spec, root, port);
  } catch (error) {
    return { runs: [], served: { status: -1, body: firstLine(error.message) } };
  }
}

/**
 * Loads a TypeScript module of the tests through Vite's module runner (`runnerImport`, Vite >= 6.1).
 * Vite is vitest's own dependency: it is resolved from vitest's package, so the version is the one
 * the tests run with (vitest 4 accepts Vite 6, 7 and 8).
 */
async function load(file) {
  const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
  const vite = await import(pathToFileURL(fromVitest.resolve('vite')).href);
  if (typeof vite.runnerImport !== 'function') {
    throw new Error(`bench/slim-services.mjs needs Vite >= 6.1 (runnerImport); vitest uses Vite ${fromVitest('vite/package.json').version}`);
  }
  const { module } = await vite.runnerImport(path.join(repo, file), { root: repo, configFile: false, logLevel: 'silent' });
  return module;
}

if (!args.includes('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
const work = path.join(process.env.TMPDIR ?? os.tmpdir(), 'imgslim-bench', 'slim-services');

const rows = [];
for (const c of DEBIAN_CASES) {
  if (only && !only.some((name) => c.name.startsWith(name))) continue;
  const hand = HAND_TUNED[c.name];
  if (!hand) throw new Error(`no hand-tuned list for ${c.name}`);
  const dir = path.join(work, c.name.replace(/[^a-z0-9]+/gi, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = c.server ? await freePort() : 0;
  process.stderr.write(`${c.name}: building the image\n`);
  const { layout, spec } = buildCaseImage(c, dir, port);
  const originalRoot = unpack(`${layout}:test`, 'oci-layout', path.join(dir, 'run-original'));
  const original = await runWorkload(c, spec, originalRoot, port);
  const originalSize = tarSize(originalRoot, allPaths(originalRoot));

  const slimmed = {};
  for (const [variant, extra] of handOnly ? [] : [
    ['default', (c.keep ?? []).flatMap((keep) => ['--keep', keep])],
    ['probes', caseProbes(c, port)],
  ]) {
    process.stderr.write(`${c.name}: slim (${variant})\n`);
    const out = path.join(dir, variant);
    const audit = path.join(dir, `${variant}-audit.json`);
    const run = spawnSync(process.execPath, [path.join(repo, 'bin', 'imgslim.js'), 'slim', layout, '-o', out, '-f', 'oci-layout', '--tag', 'slim', '-q', '--audit', audit, ...extra], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (run.status !== 0) {
      slimmed[variant] = { pass: false, note: `slim exit ${run.status}: ${run.stderr.trim().split('\n')[0]}`, size: null, files: null, probes: [] };
      continue;
    }
    const report = JSON.parse(readFileSync(audit, 'utf8'));
    const outcome = await runWorkload(c, spec, unpack(`${out}:slim`, 'oci-layout', path.join(dir, `run-${variant}`)), port);
    slimmed[variant] = { ...compare(original, outcome), size: report.output.tarSize, files: report.totals.files.kept };
  }
  const overhead = handOnly ? [] : await tracingOverhead(layout, caseProbes(c, port), dir);

  process.stderr.write(`${c.name}: hand-tuned\n`);
  const handPaths = handTunedPaths(originalRoot, hand);
  const handRun = await runPaths(c, spec, port, originalRoot, handPaths, path.join(dir, 'hand'));
  const handTuned = { ...compare(original, handRun), size: tarSize(originalRoot, handPaths), files: [...handPaths].filter((item) => !lstatSync(path.join(originalRoot, item)).isDirectory()).length };
  if (ablate) {
    for (const item of hand) {
      const without = handTunedPaths(originalRoot, hand.filter((other) => other !== item));
      const result = compare(original, await runPaths(c, spec, port, originalRoot, without, path.join(dir, 'ablate')));
      process.stderr.write(`${c.name}: without ${item}: ${result.pass ? 'STILL PASSES (not minimal)' : `fails (${result.note})`}\n`);
    }
  }
  if (handOnly) {
    process.stderr.write(`${c.name}: hand-tuned ${cell(handTuned)}\n`);
    continue;
  }
  rows.push({ name: c.name, original: originalSize, default: slimmed.default, probes: slimmed.probes, hand: handTuned, overhead });
  if (keepScratch) process.stderr.write(`${c.name}: scratch kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

console.log(table(rows));

/**
 * The tracing overhead of each probe: imgslim's own probe runner (dist/, as slim runs it) on the
 * original image, each probe run untraced then traced, `rounds` times over, interleaved in this
 * one run so both see the same machine load; medians of the wall times.
 */
async function tracingOverhead(layout, probeArgs, dir) {
  const dist = (file) => import(pathToFileURL(path.join(repo, 'dist', file)).href);
  const [{ probeSession }, { probeImage }, { openImage }] = await Promise.all([dist('cli/slim-probes.js'), dist('probe/index.js'), dist('sources/index.js')]);
  const values = { probe: [], 'probe-http': [], quiet: true };
  for (let index = 0; index < probeArgs.length; index += 2) values[probeArgs[index].slice(2)].push(probeArgs[index + 1]);
  const session = probeSession(values, { env: process.env, stderr: process.stderr });
  process.stderr.write(`${path.basename(dir)}: tracing overhead, ${rounds} rounds of ${session.probes.length} probe(s) untraced then traced\n`);
  const image = await openImage(layout);
  try {
    const config = image.config.config ?? {};
    const runs = await probeImage(image, {
      tools: session.tools,
      probes: Array.from({ length: rounds }, () => session.probes).flat(),
      entrypoint: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
      timeoutMs: session.timeoutMs,
      trace: true,
      scratch: dir,
    });
    return session.probes.map((probe) => {
      const own = runs.filter((run) => run.probe === probe);
      return { probe: probe.label, untracedMs: median(own.map((run) => run.untracedMs)), tracedMs: median(own.map((run) => run.tracedMs)) };
    });
  } finally {
    await image.close();
  }
}

/** Same exit codes and outputs of every workload command, and the same answer for servers. */
function compare(original, other) {
  for (const [index, run] of original.runs.entries()) {
    const got = other.runs[index];
    if (!got) return { pass: false, note: other.served?.body ?? 'not run' };
    if (isDeepStrictEqual(got, run)) continue;
    const command = run.argv.join(' ').replace(/\s+/g, ' ');
    const what = got.code !== run.code ? `exit ${got.code} (was ${run.code})` : got.stdout !== run.stdout ? 'stdout differs' : 'stderr differs';
    return { pass: false, note: `\`${command.length > 50 ? `${command.slice(0, 47)}…` : command}\`: ${what}: ${firstLine(got.stderr) || firstDifferentLine(run.stdout, got.stdout)}` };
  }
  if (original.served && !isDeepStrictEqual(original.served, other.served)) return { pass: false, note: 'GET / differs' };
  if (original.served && original.served.status !== 200) return { pass: false, note: `the original answers ${original.served.status}` };
  return { pass: true, note: '' };
}

function firstDifferentLine(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  return index < 0 ? '' : `line ${index + 1} was "${a[index]}", is "${b[index] ?? ''}"`;
}

function firstLine(text) {
  return (text ?? '').trim().split('\n')[0].slice(0, 160);
}

/** The set of paths of the hand-tuned list (parents, symlinks on the way, subtrees, ELF closures). */
function handTunedPaths(root, list) {
  const paths = new Set(['/']);
  const elves = [];
  const add = (wanted) => {
    const real = addWithLinks(root, wanted, paths);
    const stat = statSync(path.join(root, real));
    if (stat.isFile() && isElf(path.join(root, real))) elves.push(real);
    return real;
  };
  for (const item of list) {
    if (!item.endsWith('/**')) {
      add(item);
      continue;
    }
    const top = addWithLinks(root, item.slice(0, -3), paths);
    for (const below of walk(root, top)) {
      paths.add(below);
      const full = path.join(root, below);
      if (lstatSync(full).isFile() && isElf(full)) elves.push(below);
    }
  }
  if (elves.length > 0) {
    const out = execFileSync('/usr/bin/python3', ['/usr/bin/lddtree', '-l', '-R', root, ...elves], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const line of out.split('\n').filter(Boolean)) {
      // A shared object without PT_INTERP gets no default search path from lddtree when the root has no
      // ld.so.conf; it prints the bare name: look in glibc's built-in directories as the loader would.
      const found = line.startsWith('/') ? line : LOADER_DIRS.map((dir) => path.join(root, dir, line)).find((file) => lstatSync(file, { throwIfNoEntry: false }));
      if (!found) throw new Error(`lddtree: ${line} not found in the image`);
      addWithLinks(root, `/${path.relative(root, found)}`, paths);
    }
  }
  return paths;
}

/** Adds `wanted` and every directory and symlink on its way (symlinks followed inside the root); returns its real path. */
function addWithLinks(root, wanted, paths, depth = 0) {
  if (depth > 40) throw new Error(`${wanted}: too many symlinks`);
  const parts = wanted.split('/').filter(Boolean);
  let current = '';
  for (const [index, part] of parts.entries()) {
    const next = `${current}/${part}`;
    const stat = lstatSync(path.join(root, next), { throwIfNoEntry: false });
    if (!stat) throw new Error(`hand-tuned list: ${wanted}: ${next} is not in the image`);
    paths.add(next);
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(path.join(root, next));
      const resolved = path.posix.resolve(target.startsWith('/') ? '/' : current || '/', target);
      const rest = parts.slice(index + 1).join('/');
      return addWithLinks(root, rest ? `${resolved}/${rest}` : resolved, paths, depth + 1);
    }
    current = next;
  }
  return current || '/';
}

function* walk(root, dir) {
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const item = `${dir}/${name}`;
    yield item;
    if (lstatSync(path.join(root, item)).isDirectory()) yield* walk(root, item);
  }
}

function allPaths(root) {
  return new Set(['/', ...walk(root, '')]);
}

function isElf(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF';
  } finally {
    closeSync(fd);
  }
}

/** The size of the GNU tar of exactly these paths of the root (owners and modes kept). */
function tarSize(root, paths) {
  const list = path.join(work, 'tar-list');
  writeFileSync(list, `${[...paths].map((item) => (item === '/' ? '.' : `.${item}`)).sort().join('\n')}\n`);
  const out = execFileSync('sh', ['-c', 'tar -C "$1" --no-recursion --numeric-owner -cf - -T "$2" | wc -c', 'sh', root, list], { encoding: 'utf8' });
  return Number(out.trim());
}

/** Copies exactly these paths of the root into a fresh root (GNU tar) and runs the workload there. */
async function runPaths(c, spec, port, root, paths, dir) {
  rmSync(dir, { recursive: true, force: true });
  const copy = path.join(dir, 'rootfs');
  mkdirSync(copy, { recursive: true });
  const list = path.join(dir, 'list');
  writeFileSync(list, `${[...paths].map((item) => (item === '/' ? '.' : `.${item}`)).sort().join('\n')}\n`);
  execFileSync('sh', ['-c', 'tar -C "$1" --no-recursion --numeric-owner -cf - -T "$2" | tar -C "$3" --numeric-owner -xpf -', 'sh', root, list, copy]);
  return runWorkload(c, spec, copy, port);
}

function mb(bytes) {
  return bytes === null ? '–' : `${(bytes / 1e6).toFixed(1)} MB`;
}

function cell(result) {
  return result.pass ? `pass, ${mb(result.size)} (${result.files} files)` : `**fail**: ${result.note}${result.size === null ? '' : `, ${mb(result.size)}`}`;
}

function table(rows) {
  const lines = [
    `| program | original | default options | with probes | hand-tuned keep set | probes ÷ hand-tuned | tracing overhead per probe (untraced → traced, medians of ${rounds}) |`,
    '|---|---:|---|---|---|---:|---|',
  ];
  for (const row of rows) {
    const ratio = row.probes.size && row.hand.size ? `${(row.probes.size / row.hand.size).toFixed(2)}×` : '–';
    const overhead = row.overhead
      .map((probe) => `\`${probe.probe.length > 40 ? `${probe.probe.slice(0, 37)}…` : probe.probe}\`: ${Math.round(probe.untracedMs)} → ${Math.round(probe.tracedMs)} ms (${(probe.tracedMs / probe.untracedMs).toFixed(2)}×)`)
      .join('; ');
    lines.push(`| ${row.name} | ${mb(row.original)} | ${cell(row.default)} | ${cell(row.probes)} | ${cell(row.hand)} | ${ratio} | ${overhead} |`);
  }
  return lines.join('\n');
}
