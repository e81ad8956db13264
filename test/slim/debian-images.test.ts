/**
 * Proof on real Debian packages: images built from .debs (test/slim/_debian.ts), slimmed with
 * default options (and --keep where the case says so), then the same workload run on the original
 * and the slimmed image under chroot (test/slim/_support.ts): exit codes and outputs must be equal,
 * and servers must answer a request from the host (127.0.0.1) with the same status and body.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { slimImage } from '../../src/slim/index.js';
import { testTmp } from '../helpers/tools.js';
import { buildDebianImage, canBuildDebian, type DebianImage } from './_debian.js';
import { compile } from './_plan.js';
import { runInRootfs, runnerCommand, scratch, unpack, type RunSpec } from './_support.js';

interface Case {
  name: string;
  image: (port: number) => DebianImage;
  keep?: string[];
  /** Commands run in both images, in order, in the same root (state carries over). */
  workload: string[][];
  /** What the last workload command must print on stderr in both images (a refusal that must survive slimming). */
  lastStderr?: RegExp;
  /** A server: the image's entrypoint is started and GET / is sent to this port. */
  server?: boolean;
}

const SYSTEM_C = `#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int status = system(argc > 1 ? argv[1] : "echo shell says $((6 * 7))");
  printf("system returned %d\\n", status);
  return status == 0 ? 0 : 1;
}
`;
const PERL_SCRIPT = '#!/usr/bin/perl\nuse strict;\nuse warnings;\nuse List::Util qw(sum);\nuse POSIX qw(floor);\nprintf("sum %d floor %d\\n", sum(1 .. 10), floor(7 / 2));\n';
const PYTHON = [
  'import locale, zoneinfo, datetime, ctypes.util',
  'print(locale.setlocale(locale.LC_ALL, ""))',
  'print(datetime.datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")).isoformat())',
  'print(ctypes.util.find_library("c"))',
  'print("é".upper())',
].join('\n');

const CASES: Case[] = [
  {
    name: 'nginx',
    server: true,
    image: (port) => ({
      packages: ['nginx', 'libnginx-mod-stream'],
      files: {
        'etc/nginx/modules-enabled/50-mod-stream.conf': '->/usr/share/nginx/modules-available/mod-stream.conf',
        'etc/nginx/sites-enabled/default': `server {\n  listen 127.0.0.1:${port};\n  root /var/www/html;\n  location / { try_files $uri $uri/ =404; }\n}\n`,
        'var/www/html/index.html': '<h1>served by nginx</h1>\n',
      },
      entrypoint: ['nginx', '-g', 'daemon off;'],
    }),
    workload: [['nginx', '-t', '-q']],
  },
  {
    name: 'lighttpd',
    server: true,
    image: (port) => ({
      packages: ['lighttpd'],
      files: { 'var/www/html/index.html': '<h1>served by lighttpd</h1>\n' },
      edits: { 'etc/lighttpd/lighttpd.conf': (text) => `${text.replace(/^server\.port\s*=.*$/m, `server.port = ${port}\nserver.bind = "127.0.0.1"`)}\n` },
      dirs: ['var/cache/lighttpd/uploads', 'var/cache/lighttpd/compress'],
      entrypoint: ['lighttpd', '-D', '-f', '/etc/lighttpd/lighttpd.conf'],
    }),
    workload: [['lighttpd', '-tt', '-f', '/etc/lighttpd/lighttpd.conf']],
  },
  {
    name: 'git',
    image: () => ({
      packages: ['git'],
      entrypoint: ['git'],
      env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'GIT_AUTHOR_DATE=2024-01-01T00:00:00Z', 'GIT_COMMITTER_DATE=2024-01-01T00:00:00Z'],
    }),
    workload: [
      ['git', 'config', '--global', 'user.name', 'Slim Test'],
      ['git', 'config', '--global', 'user.email', 'slim@example.com'],
      ['git', 'init', '-q', '-b', 'main', '/tmp/origin'],
      ['git', '-C', '/tmp/origin', 'commit', '-q', '--allow-empty', '-m', 'first commit'],
      ['git', 'clone', '-q', 'file:///tmp/origin', '/tmp/clone'],
      ['git', '-C', '/tmp/clone', 'log', '--format=%H %an %s'],
      ['git', '-C', '/tmp/clone', 'rev-parse', '--abbrev-ref', 'HEAD'],
    ],
  },
  {
    name: 'imagemagick',
    // The alternatives links update-alternatives makes in imagemagick-6.q16's postinst.
    image: () => ({
      packages: ['imagemagick-6.q16'],
      files: { 'usr/bin/convert': '->/etc/alternatives/convert', 'etc/alternatives/convert': '->/usr/bin/convert-im6.q16' },
      entrypoint: ['convert'],
    }),
    workload: [
      ['convert', '-size', '4x3', 'xc:red', '/tmp/red.png'],
      ['convert', '/tmp/red.png', '-format', '%m %w %h %[pixel:p{0,0}]\\n', 'info:'],
      // Debian's policy.xml refuses PDF: the slimmed image must refuse it too.
      ['convert', '/tmp/red.png', '/tmp/red.pdf'],
    ],
    lastStderr: /not allowed by the security policy `PDF'/,
  },
  {
    name: 'python3 (LANG=C.UTF-8)',
    image: () => ({
      packages: ['python3.11', 'tzdata', 'libc-bin'],
      ldconfig: true,
      entrypoint: ['python3.11', '-c', PYTHON],
      env: ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8'],
    }),
    workload: [['python3.11', '-c', PYTHON]],
  },
  {
    name: 'C program calling system()',
    image: () => ({ packages: [], files: { 'usr/local/bin/cli': { content: Buffer.from(''), mode: 0o755 } }, entrypoint: ['/usr/local/bin/cli'] }),
    workload: [['/usr/local/bin/cli'], ['/usr/local/bin/cli', 'exit 3']],
  },
  {
    name: 'perl script kept with --keep',
    keep: ['/app/report.pl'],
    image: () => ({
      packages: ['perl'],
      files: { 'usr/local/bin/cli': { content: Buffer.from(''), mode: 0o755 }, 'app/report.pl': { content: PERL_SCRIPT, mode: 0o755 } },
      entrypoint: ['/usr/local/bin/cli'],
    }),
    workload: [['/app/report.pl']],
  },
];

const RESULTS = testTmp('slim', 'debian-results.jsonl');

describe.skipIf(!canBuildDebian)('Debian-package images: the slimmed image does the same work', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = scratch(`debian/${c.name.replace(/[^a-z0-9]+/gi, '-')}`);
    const port = c.server ? await freePort() : 0;
    const spec = c.image(port);
    const cli = spec.files?.['usr/local/bin/cli'];
    if (cli && typeof cli !== 'string') cli.content = await readBinary(compile('system-cli', SYSTEM_C));
    const layout = buildDebianImage(spec, path.join(dir, 'original'));
    const out = path.join(dir, 'slim');
    const { result } = await slimImage(layout, { keep: c.keep ?? [], output: { path: out, format: 'oci-layout', tag: 'slim' } });
    const roots = { original: unpack(`${layout}:test`, 'oci-layout', path.join(dir, 'run-original')), slim: unpack(`${out}:slim`, 'oci-layout', path.join(dir, 'run-slim')) };
    const base: RunSpec = { argv: [], env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], user: spec.user ?? null, cwd: spec.workingDir ?? '/' };
    for (const argv of c.workload) {
      const original = runInRootfs(roots.original, { ...base, argv });
      const slim = runInRootfs(roots.slim, { ...base, argv });
      if (argv === c.workload.at(-1) && c.lastStderr) expect([slim.code, slim.stderr]).toEqual([1, expect.stringMatching(c.lastStderr)]);
      expect({ argv, code: slim.code, stdout: slim.stdout, stderr: slim.stderr }).toEqual({ argv, code: original.code, stdout: original.stdout, stderr: original.stderr });
    }
    if (c.server) {
      const argv = [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])];
      const original = await serveOnce(roots.original, { ...base, argv }, port);
      const slim = await serveOnce(roots.slim, { ...base, argv }, port);
      expect(original.status).toBe(200);
      expect(slim).toEqual(original);
    }
    const { before, after } = result.summary;
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    appendFileSync(RESULTS, `${JSON.stringify({ name: c.name, before: before.size, after: after.size, files: [before.files, after.files] })}\n`);
  }, 600_000);
});

async function readBinary(file: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  return readFile(file);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server in the root, sends GET / from the host once it answers, stops it. */
async function serveOnce(root: string, spec: RunSpec, port: number): Promise<{ status: number; body: string }> {
  const [command, ...args] = runnerCommand(root, spec);
  const child = spawn(command!, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${stderr}`);
      const answer = await request(port).catch(() => null);
      if (answer) return answer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no answer on 127.0.0.1:${port}: ${stderr}`);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone.
      }
    }, 5000);
    await exited;
    clearTimeout(killer);
  }
}

function request(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}
