/**
 * The proof: a slimmed image runs like the original. Each case slims an image (the samples, and
 * images built here from this machine's glibc, gcc and Go builds), unpacks the original and the
 * slimmed image with skopeo + umoci, checks that imgslim's own reader sees exactly what umoci
 * unpacked, and runs the entrypoint (and more command lines) in both under chroot: same exit
 * code, same output. Sizes before and after go to /tmp/slim/results/slim-results.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { slimImage, type SlimOptions } from '../../src/slim/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { baseLayer, buildGo, canBuildC, canBuildGo, compileC, hostFiles, hostTree, programEntry, writeImageFile } from './_host-images.js';
import { canRunImages, imageConfig, listRootfs, runInRootfs, runSpecOf, scratch, skopeoInspect, unpack, type ImageFormat, type RunSpec } from './_support.js';
import { testTmp } from '../helpers/tools.js';

interface Case {
  name: string;
  /** Builds (or names) the input image. */
  image: () => Promise<{ file: string; format: ImageFormat }>;
  options?: SlimOptions;
  /** Extra command lines run in both images (argv; env added to the image's). */
  runs?: Array<{ argv?: string[]; env?: string[] }>;
  /** Output text that proves the run did what the case is about. */
  expect: RegExp;
  needs?: boolean;
}

const samples = (name: string, format: ImageFormat) => async () => ({ file: path.join(repoRoot, 'samples', name), format });
const work = testTmp('slim', 'run');
const built = (name: string, format: ImageFormat, spec: () => Parameters<typeof writeImageFile>[2]) => async () => {
  const fixture = format === 'docker-archive' ? 'docker25' : format;
  return { file: await writeImageFile(fixture, path.join(work, 'inputs', `${name}.${format === 'oci-layout' ? 'd' : 'tar'}`), spec()), format };
};
const app = (entries: Parameters<typeof writeImageFile>[2]['layers'][number]['entries']) => ({ entries, compression: 'gzip' as const });

const PYTHON_SKIP = new Set(['test', 'idlelib', 'tkinter', 'ensurepip', 'lib2to3', 'pydoc_data', '__pycache__', 'turtledemo', 'dist-packages']);
const PYTHON_MAIN = `import hashlib, json, ssl, sys
context = ssl.create_default_context()
print(json.dumps({"sha": hashlib.sha256(b"x").hexdigest()[:12], "ssl": ssl.OPENSSL_VERSION.split()[0], "roots": context.cert_store_stats()["x509_ca"] > 0}))
sys.exit(5)
`;

function pythonExtensions(): string[] {
  const dir = '/usr/lib/python3.11/lib-dynload';
  return readdirSync(dir).map((name) => path.join(dir, name));
}

const cases: Case[] = [
  { name: 'glibc dynamic C program (sample, docker-archive)', image: samples('glibc-dynamic.tar', 'docker-archive'), runs: [{ env: ['HELLO_EXIT=3'], argv: ['/app/hello', 'a', 'b'] }], expect: /^hello from glibc world$/m },
  { name: 'musl dynamic program (sample, OCI archive)', image: samples('musl-dynamic.tar', 'oci-archive'), runs: [{ env: ['HELLO_EXIT=5'], argv: ['/app/hello'] }], expect: /^hello from musl world$/m },
  { name: 'static binary (sample, OCI layout)', image: samples('static-oci', 'oci-layout'), runs: [{ env: ['HELLO_EXIT=9'], argv: ['/app/hello'] }], expect: /^hello from glibc world$/m },
  { name: 'shell-form entrypoint on busybox (sample)', image: samples('layers.tar', 'oci-archive'), expect: /^hi from busybox$/m },
  { name: 'RPATH $ORIGIN library (sample glibc-apps)', image: samples('glibc-apps.tar', 'oci-archive'), expect: /^greetings, world \(from libgreet\)$/m },
  {
    name: 'NSS user and host lookups (sample glibc-apps, --entrypoint nss)',
    image: samples('glibc-apps.tar', 'oci-archive'),
    options: { entrypoint: ['/app/bin/nss', 'app', 'localhost'] },
    runs: [{ argv: ['/app/bin/nss', 'nobody-here', 'localhost'] }, { argv: ['/app/bin/nss', 'root', 'localhost'] }],
    expect: /^user app: uid=1000 gid=1000 home=\/app shell=\/bin\/sh\nhost localhost: 127\.0\.0\.1$/m,
  },
  {
    name: 'glibc dynamic C program built here (docker-archive)',
    needs: canBuildC,
    image: built('hello', 'docker-archive', () => ({
      layers: [app(baseLayer()), app([programEntry('app/hello', compileC('hello'))])],
      containerConfig: { Entrypoint: ['/app/hello'], Cmd: ['built', 'here'], User: 'app', WorkingDir: '/app' },
    })),
    runs: [{ env: ['HELLO_EXIT=7'] }],
    expect: /^hello from glibc built here$/m,
  },
  {
    name: 'NSS program built here: getpwnam and getaddrinfo through nsswitch.conf (oci-archive)',
    needs: canBuildC,
    image: built('nss', 'oci-archive', () => ({
      layers: [app(baseLayer({ tmp: true })), app([programEntry('usr/local/bin/nss', compileC('nss'))])],
      containerConfig: { Entrypoint: ['nss'], Cmd: ['app', 'localhost'], User: 'app', Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
    })),
    runs: [{ argv: ['nss', 'root', 'localhost'] }, { argv: ['nss', 'nobody-here', 'localhost'] }],
    expect: /^user app: uid=1000 gid=1000 home=\/app shell=\/bin\/sh$/m,
  },
  {
    name: 'Go binary, CGO_ENABLED=0, crypto/tls and net (oci-layout)',
    needs: canBuildGo,
    image: built('go-static', 'oci-layout', () => ({
      layers: [app(baseLayer()), app([programEntry('app/server', buildGo().static)])],
      containerConfig: { Entrypoint: ['/app/server'], Cmd: null, User: 'app' },
    })),
    runs: [{ argv: ['/app/server', 'x', 'y'] }],
    expect: /^go: system roots found: true\ngo: localhost: \[127\.0\.0\.1 ::1\] <nil>$/m,
  },
  {
    name: 'Go binary, CGO_ENABLED=1, os/user and net through libc (docker-archive)',
    needs: canBuildGo,
    image: built('go-cgo', 'docker-archive', () => ({
      layers: [app(baseLayer()), app([programEntry('app/server', buildGo().cgo)])],
      containerConfig: { Entrypoint: ['/app/server'], Cmd: null, User: 'app', Env: ['PATH=/usr/bin:/bin', 'GODEBUG=netdns=cgo'] },
    })),
    expect: /^cgo: user app: 1000 1000 \/app\ncgo: localhost: \[[0-9.: ]*127\.0\.0\.1[0-9.: ]*\] <nil>$/m,
  },
  {
    name: 'shell-form entrypoint with dash running two commands (oci-archive)',
    needs: canBuildC,
    image: built('shell-form', 'oci-archive', () => ({
      layers: [app(baseLayer()), app([programEntry('app/hello', compileC('hello'))])],
      containerConfig: { Cmd: ['/bin/sh', '-c', 'echo start; HELLO_EXIT=3 /app/hello from-shell'] },
    })),
    expect: /^start\nhello from glibc from-shell$/m,
  },
  {
    name: "shebang script through '#!/usr/bin/env sh' (docker-archive)",
    needs: canBuildC,
    image: built('shebang', 'docker-archive', () => ({
      layers: [app(baseLayer()), app([{ path: 'app/run.sh', mode: 0o755, content: '#!/usr/bin/env sh\necho "script says $1 as $(id -u 2>/dev/null || echo ?)"\nexit 4\n' }])],
      containerConfig: { Entrypoint: ['/app/run.sh'], Cmd: ['hi'], WorkingDir: '/app' },
    })),
    expect: /^script says hi as \?$/m,
  },
  {
    name: 'python3 runtime with its standard library and extension modules (oci-archive)',
    image: built('python', 'oci-archive', () => ({
      layers: [
        app([
          ...baseLayer(),
          ...hostFiles(['/usr/bin/python3.11', ...pythonExtensions()]),
          { path: 'usr/bin/python3', type: 'symlink', target: 'python3.11' },
          ...hostTree('/usr/lib/python3.11', (name) => PYTHON_SKIP.has(name) || name.startsWith('config-')),
          { path: 'etc/python3.11/sitecustomize.py', content: '' },
        ]),
        app([{ path: 'app/main.py', content: PYTHON_MAIN }]),
      ],
      containerConfig: { Entrypoint: ['python3', '/app/main.py'], Cmd: null, Env: ['PATH=/usr/bin:/bin'] },
    })),
    expect: /^\{"sha": "2d711642b726", "ssl": "OpenSSL", "roots": true\}$/m,
  },
];


const results: Array<Record<string, unknown>> = [];

describe.skipIf(!canRunImages)('slimmed images run like the originals (chroot)', () => {
  afterAll(() => {
    mkdirSync(testTmp('slim', 'results'), { recursive: true });
    writeFileSync(testTmp('slim', 'results', 'slim-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  });

  test.for(cases)('$name', { timeout: 300_000 }, async (c, { skip }) => {
    // hasTool already gave the notice (or failed the run under IMGSLIM_REQUIRE_TOOLS=1): report a skip, not a pass.
    if (c.needs === false) skip();
    const dir = scratch(`run/${c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    const { file, format } = await c.image();
    const out = path.join(dir, format === 'oci-layout' ? 'slim.d' : 'slim.tar');
    const { result } = await slimImage(file, { ...c.options, output: { path: out, tag: 'slim:test' } });
    expect(result.output?.format).toBe(format);

    // skopeo accepts the output; umoci unpacks it; imgslim's reader sees the same filesystem.
    expect(skopeoInspect(out, format).Layers).toHaveLength(1);
    const slimRoot = unpack(out, format, path.join(dir, 'slim'));
    const origRoot = unpack(file, format, path.join(dir, 'orig'));
    expect(ownView(await inspectImageFs(out))).toEqual(ownView(listRootfs(slimRoot)));

    const origConfig = imageConfig(file, format);
    const slimConfig = imageConfig(out, format);
    const base = runSpecOf(slimConfig);
    const specs: RunSpec[] = [base, ...(c.runs ?? []).map((run) => ({ ...base, argv: run.argv ?? base.argv, env: [...base.env, ...(run.env ?? [])] }))];
    expect(runSpecOf(origConfig, c.options?.entrypoint ? [...c.options.entrypoint] : undefined)).toEqual(base);
    for (const spec of specs) {
      const original = runInRootfs(origRoot, spec);
      const slimmed = runInRootfs(slimRoot, spec);
      expect({ code: slimmed.code, stdout: slimmed.stdout }, `slimmed: ${spec.argv.join(' ')}\n${slimmed.stderr}`).toEqual({ code: original.code, stdout: original.stdout });
    }
    expect(runInRootfs(slimRoot, base).stdout).toMatch(c.expect);
    const s = result.summary;
    results.push({
      case: c.name,
      format,
      before: { size: s.before.size, compressedSize: s.before.compressedSize, files: s.before.files, layers: s.before.layers },
      after: { size: s.after.size, compressedSize: s.after.compressedSize, files: s.after.files, layers: s.after.layers },
      risks: s.risks.map((risk) => `${risk.path ?? ''} ${risk.message}`.trim()),
    });
  });
});

async function inspectImageFs(image: string): Promise<Map<string, ViewItem>> {
  const analysis = await inspectImage(image);
  await analysis.image.close();
  const view = new Map<string, ViewItem>();
  for (const entry of analysis.merged.entries.values()) {
    const type = entry.type === 'hardlink' ? 'file' : entry.type === 'file' || entry.type === 'directory' || entry.type === 'symlink' ? entry.type : 'other';
    view.set(entry.path, { type, mode: entry.mode & 0o7777, uid: entry.uid, gid: entry.gid, size: type === 'file' ? entry.size : 0, link: entry.type === 'symlink' ? entry.linkTarget : null });
  }
  return view;
}

type ViewItem = { type: string; mode: number; uid: number; gid: number; size: number; link: string | null };

function ownView(items: Map<string, ViewItem>): Record<string, ViewItem> {
  const result: Record<string, ViewItem> = {};
  for (const [key, item] of [...items].sort(([a], [b]) => (a < b ? -1 : 1))) {
    result[key] = { type: item.type, mode: item.mode, uid: item.uid, gid: item.gid, size: item.size, link: item.link };
  }
  return result;
}
