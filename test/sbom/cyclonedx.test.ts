/**
 * CycloneDX 1.6 documents of the sample images and of Debian, Alpine-style and Go images built
 * in code: valid against the official schema, packages as dpkg-query lists them, Go modules as
 * `go version -m` lists them, every ELF file with its real sha256 and the resolved NEEDED graph.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { cyclonedxDocument } from '../../src/sbom/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { cyclonedxValidator, schemaErrors } from '../helpers/sbom-schemas.js';
import { goVersionM } from '../elf/_support.js';
import { hasTool } from '../helpers/tools.js';
import { canUseDpkg, dpkgListed, dpkgQuery, dpkgRoot, treeEntries, writeTestImage } from '../packages/_debian.js';
import { canUseRpm, rpmQuery, rpmRoot } from '../packages/_rpm.js';
import { buildGoWithModules, canBuildGo } from './_go.js';

type Component = { 'bom-ref': string; type: string; name: string; version?: string; purl?: string; hashes?: Array<{ alg: string; content: string }>; components?: Component[]; properties?: Array<{ name: string; value: string }> };
type Bom = { components: Component[]; dependencies: Array<{ ref: string; dependsOn: string[] }>; metadata: Record<string, unknown>; serialNumber: string };

const SAMPLES = ['glibc-dynamic.tar', 'musl-dynamic.tar', 'static-oci', 'layers.tar', 'glibc-apps.tar'];

async function reportOf(image: string): Promise<Report> {
  const analysis = await inspectImage(image, { contentDigests: 'elf' });
  await analysis.image.close();
  return analysis.report;
}

/** Regular files under `root` whose first bytes are the ELF magic, with the sha256 of their bytes. */
function elfFilesUnder(root: string, dir = root): Array<{ path: string; sha256: string }> {
  const out: Array<{ path: string; sha256: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...elfFilesUnder(root, full));
    else if (entry.isFile()) {
      const bytes = readFileSync(full);
      if (bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
        out.push({ path: `/${path.relative(root, full)}`, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
  }
  return out;
}

function flatten(components: Component[]): Component[] {
  return components.flatMap((component) => [component, ...flatten(component.components ?? [])]);
}

describe('CycloneDX 1.6 of the samples', () => {
  it.each(SAMPLES)('%s: valid, one file component per ELF file, the DT_NEEDED graph as dependencies', async (sample) => {
    const report = await reportOf(path.join(repoRoot, 'samples', sample));
    const bom = cyclonedxDocument(report) as unknown as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    const files = flatten(bom.components).filter((component) => component.type === 'file');
    expect(files.map((file) => file.name).sort()).toEqual(report.binaries.map((binary) => binary.path).sort());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.hashes?.[0]?.content).toMatch(/^[0-9a-f]{64}$/);
    // Every resolved DT_NEEDED edge of every closure is a dependency between file components.
    const refByName = new Map(files.map((file) => [file.name, file['bom-ref']]));
    const dependsOn = new Map(bom.dependencies.map((dependency) => [dependency.ref, dependency.dependsOn]));
    let edges = 0;
    for (const binary of report.binaries) {
      for (const dep of binary.resolved) {
        if (!dep.path || !refByName.has(dep.path) || dep.path === dep.neededBy) continue;
        expect(dependsOn.get(refByName.get(dep.neededBy)!), `${dep.neededBy} → ${dep.path}`).toContain(refByName.get(dep.path));
        edges++;
      }
    }
    // static-oci and layers.tar hold only static executables; the other samples load libraries.
    if (sample === 'static-oci' || sample === 'layers.tar') expect(edges).toBe(0);
    else expect(edges).toBeGreaterThan(0);
    expect(bom.metadata.component).toMatchObject({ type: 'container', version: report.source.manifestDigest });
    // Deterministic: the same report gives the same document.
    expect(JSON.stringify(cyclonedxDocument(report))).toBe(JSON.stringify(bom));
  });

  it('is deterministic and settable: serialNumber and timestamp', async () => {
    const report = await reportOf(path.join(repoRoot, 'samples', 'glibc-dynamic.tar'));
    const bom = cyclonedxDocument(report) as unknown as Bom;
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
    const set = cyclonedxDocument(report, { created: '2026-01-02T03:04:05Z', uuid: '00000000-0000-4000-8000-000000000000' }) as unknown as Bom;
    expect([set.serialNumber, set.metadata.timestamp]).toEqual(['urn:uuid:00000000-0000-4000-8000-000000000000', '2026-01-02T03:04:05Z']);
  });
});

describe.runIf(canUseDpkg)('CycloneDX of a Debian image unpacked by dpkg', () => {
  it('lists the packages dpkg-query lists, with syft PURLs, and the ELF files inside them with their sha256', async () => {
    const root = dpkgRoot();
    const report = await reportOf(await writeTestImage({ layers: [{ entries: treeEntries(root) }] }, 'dpkg-root'));
    const bom = cyclonedxDocument(report) as unknown as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    const packages = bom.components.filter((component) => component.type === 'library');
    expect(packages.map((pkg) => `${pkg.name}\t${pkg.version}`).sort()).toEqual(dpkgQuery(root, '${Package}\t${Version}\n').sort());
    const purls = Object.fromEntries(packages.map((pkg) => [pkg.name, pkg.purl]));
    const [dashVersion] = dpkgQuery(root, '${Version}\n', ['dash']);
    expect(purls.dash).toBe(`pkg:deb/debian/dash@${dashVersion}?arch=amd64&distro=debian-12`);
    const [zlib] = dpkgQuery(root, '${Version}\t${source:Package}\n', ['zlib1g']);
    const [zlibVersion, zlibSource] = zlib!.split('\t');
    expect(purls.zlib1g).toBe(`pkg:deb/debian/zlib1g@${zlibVersion}?arch=amd64&upstream=${zlibSource}&distro=debian-12`);
    expect(bom.components.find((component) => component.type === 'operating-system')).toMatchObject({ name: 'debian', version: '12' });
    const dash = packages.find((pkg) => pkg.name === 'dash')!;
    expect(dash.components?.map((file) => file.name)).toContain('/usr/bin/dash');
    // Every ELF file of the unpacked root (told by its magic bytes, read here) is a file
    // component with the sha256 of the bytes on disk, nested in the package dpkg says owns it.
    const onDisk = elfFilesUnder(root);
    expect(onDisk.length).toBeGreaterThan(3);
    const files = new Map(flatten(bom.components).filter((component) => component.type === 'file').map((file) => [file.name, file]));
    expect([...files.keys()].sort()).toEqual(onDisk.map((file) => file.path).sort());
    for (const file of onDisk) expect(files.get(file.path)?.hashes, file.path).toEqual([{ alg: 'SHA-256', content: file.sha256 }]);
    // dpkg lists /bin/dash; on this merged-/usr root the file is /usr/bin/dash: compare real paths.
    const real = (listed: string) => `/${path.relative(realpathSync(root), realpathSync(path.join(root, listed)))}`;
    let nested = 0;
    for (const pkg of packages) {
      const listed = new Set(dpkgListed(root, pkg.name).filter((file) => existsSync(path.join(root, file))).map(real));
      for (const file of pkg.components ?? []) {
        expect(listed.has(file.name), `${file.name} in ${pkg.name}`).toBe(true);
        nested++;
      }
    }
    expect(nested).toBe(onDisk.length);
  });
});

describe('imgslim analyze --format cyclonedx', () => {
  it('writes the document to stdout or -o, never the TUI', async () => {
    const { runCliInProcess } = await import('../helpers/cli.js');
    const { testTmp } = await import('../helpers/tools.js');
    const { mkdirSync } = await import('node:fs');
    const result = await runCliInProcess(['analyze', 'samples/musl-dynamic.tar', '--format', 'cyclonedx', '-q']);
    expect(result.code).toBe(0);
    const bom = JSON.parse(result.stdout) as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    expect(flatten(bom.components).filter((component) => component.type === 'file').length).toBeGreaterThan(0);
    const dir = testTmp('sbom-cli');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, 'bom.json');
    expect((await runCliInProcess(['analyze', 'samples/musl-dynamic.tar', '-f', 'cyclonedx', '-o', out, '-q'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(result.stdout);
  });
});

/** An apk database in apk-tools' format (P/V/A/o/L, F: directories with R: files); musl's libc is the host's real one. */
const APK_INSTALLED = `P:musl
V:1.2.4-r2
A:x86_64
L:MIT
o:musl
F:lib
R:ld-musl-x86_64.so.1

P:busybox-binsh
V:1.36.1-r15
A:x86_64
L:GPL-2.0-only
o:busybox
F:bin
R:sh

`;

describe.runIf(hasTool('musl-gcc'))('CycloneDX of an Alpine-style image', () => {
  it('writes apk PURLs (upstream = origin when it differs) with the distro from os-release', async () => {
    const image = await writeTestImage(
      {
        layers: [
          {
            entries: [
              { path: 'lib/apk/db/installed', content: APK_INSTALLED },
              { path: 'lib/ld-musl-x86_64.so.1', content: readFileSync('/usr/lib/x86_64-linux-musl/libc.so'), mode: 0o755 },
              { path: 'bin/sh', type: 'symlink', target: '/bin/busybox' },
              { path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' },
            ],
          },
        ],
      },
      'sbom-apk',
    );
    const bom = cyclonedxDocument(await reportOf(image)) as unknown as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    // `apk info -v` would list name-version: the same pairs as the components.
    const packages = bom.components.filter((component) => component.type === 'library');
    expect(packages.map((pkg) => `${pkg.name}-${pkg.version}`)).toEqual(['musl-1.2.4-r2', 'busybox-binsh-1.36.1-r15']);
    expect(packages.map((pkg) => pkg.purl)).toEqual([
      'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1',
      'pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&upstream=busybox&distro=alpine-3.19.1',
    ]);
    const loader = packages[0]!.components?.[0];
    expect(loader?.name).toBe('/lib/ld-musl-x86_64.so.1');
    expect(loader?.hashes?.[0]?.content).toBe(createHash('sha256').update(readFileSync('/usr/lib/x86_64-linux-musl/libc.so')).digest('hex'));
  });
});

describe.runIf(canBuildGo)('CycloneDX of a Go binary', () => {
  it('nests the main module and every dependency `go version -m` lists, with versions, h1 sums and PURLs', async () => {
    const binary = buildGoWithModules();
    const image = await writeTestImage(
      { layers: [{ entries: [{ path: 'app', content: readFileSync(binary), mode: 0o755 }] }], containerConfig: { Entrypoint: ['/app'] } },
      'sbom-go',
    );
    const bom = cyclonedxDocument(await reportOf(image)) as unknown as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    const file = bom.components.find((component) => component.name === '/app')!;
    const modules = file.components ?? [];
    const info = goVersionM(binary);
    expect(modules.map((module) => `${module.name}@${module.version}`)).toEqual([info.mainModule, ...info.deps.map((dep) => `${dep.path}@${dep.version}`)]);
    expect(modules.map((module) => module.purl)).toEqual([
      'pkg:golang/example.com/app@%28devel%29',
      'pkg:golang/example.com/greet@v1.2.3',
      'pkg:golang/example.com/localdep@v0.0.0',
    ]);
    const greet = modules[1]!;
    const sum = info.deps[0]!.sum!;
    expect(greet.properties).toContainEqual({ name: 'imgslim:go:sum', value: sum });
    expect(greet.hashes).toEqual([{ alg: 'SHA-256', content: Buffer.from(sum.slice(3), 'base64').toString('hex') }]);
    expect(modules[2]!.properties).toContainEqual({ name: 'imgslim:go:replace', value: '../localdep@(devel)' });
    expect(bom.dependencies).toContainEqual({ ref: modules[0]!['bom-ref'], dependsOn: [modules[1]!['bom-ref'], modules[2]!['bom-ref']] });
    expect(file.properties).toContainEqual({ name: 'imgslim:go:setting:CGO_ENABLED', value: '0' });
  });
});

describe.runIf(canUseRpm)('CycloneDX of an rpm image (rpmdb.sqlite written by rpm)', () => {
  it('lists the packages `rpm -qa` lists, with rpm PURLs (epoch and source rpm as qualifiers)', async () => {
    const root = rpmRoot();
    const image = await writeTestImage(
      { layers: [{ entries: [...treeEntries(root), { path: 'etc/os-release', content: 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.3"\n' }] }] },
      'sbom-rpm',
    );
    const bom = cyclonedxDocument(await reportOf(image)) as unknown as Bom;
    expect(schemaErrors(cyclonedxValidator(), bom)).toEqual([]);
    const rows = rpmQuery(root, '-qa', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\t%{SOURCERPM}\\n').sort();
    const expected = rows.map((row) => {
      const [name, version, epoch, arch, sourceRpm] = row.split('\t');
      return `pkg:rpm/rhel/${name}@${version}?arch=${arch}&epoch=${epoch}&upstream=${sourceRpm}&distro=rhel-9.3`;
    }).sort();
    const packages = bom.components.filter((component) => component.type === 'library');
    expect(packages.map((pkg) => pkg.purl).sort()).toEqual(expected);
    expect(expected).toContain('pkg:rpm/rhel/demo-tool@1.2.3-4.el9?arch=x86_64&epoch=2&upstream=demo-tool-1.2.3-4.el9.src.rpm&distro=rhel-9.3');
  });
});
