/**
 * SPDX 2.3 documents of the sample images and of Debian and Go images built in code, validated
 * with the SPDX project's own tools-golang (test/helpers/spdx-validator.ts): the validator is
 * first shown to accept SPDX's example document and to reject broken ones. Contents are checked
 * against dpkg-query, `go version -m` and the SHA-1/SHA-256 of the bytes on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { spdxDocument } from '../../src/sbom/index.js';
import { goVersionM } from '../elf/_support.js';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { spdxErrors, spdxValidator, toolsGolangSource } from '../helpers/spdx-validator.js';
import { testTmp } from '../helpers/tools.js';
import { canUseDpkg, dpkgListed, dpkgQuery, dpkgRoot, treeEntries, writeTestImage } from '../packages/_debian.js';
import { buildGoWithModules, canBuildGo } from './_go.js';

interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  checksums?: Array<{ algorithm: string; checksumValue: string }>;
  externalRefs?: Array<{ referenceCategory: string; referenceType: string; referenceLocator: string }>;
  primaryPackagePurpose?: string;
  comment?: string;
}
interface SpdxFile {
  fileName: string;
  SPDXID: string;
  checksums: Array<{ algorithm: string; checksumValue: string }>;
}
interface Relationship {
  spdxElementId: string;
  relatedSpdxElement: string;
  relationshipType: string;
}
interface SpdxDocument {
  SPDXID: string;
  documentNamespace: string;
  comment?: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  files?: SpdxFile[];
  relationships: Relationship[];
}

const SAMPLES = ['glibc-dynamic.tar', 'musl-dynamic.tar', 'static-oci', 'layers.tar', 'glibc-apps.tar'];
const validator = spdxValidator();

async function reportOf(image: string): Promise<Report> {
  const analysis = await inspectImage(image, { contentDigests: 'elf' });
  await analysis.image.close();
  return analysis.report;
}

function spdxOf(report: Report): SpdxDocument {
  return spdxDocument(report) as unknown as SpdxDocument;
}

function related(doc: SpdxDocument, from: string, type: string): string[] {
  return doc.relationships.filter((r) => r.spdxElementId === from && r.relationshipType === type).map((r) => r.relatedSpdxElement);
}

function purlOf(pkg: SpdxPackage): string | undefined {
  return pkg.externalRefs?.find((ref) => ref.referenceType === 'purl')?.referenceLocator;
}

function hex(algorithm: 'sha1' | 'sha256', bytes: Buffer): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

describe.runIf(validator)('the SPDX 2.3 validator (tools-golang 0.5.5)', () => {
  it("accepts SPDX's own 2.3 example document, which tools-golang ships", () => {
    const example = path.join(toolsGolangSource, 'examples', 'sample-docs', 'json', 'SPDXJSONExample-v2.3.spdx.json');
    expect(spdxErrors(validator!, readFileSync(example, 'utf8'))).toEqual([]);
  });

  it('rejects a document with a missing SPDXID, a dangling relationship, a misspelled field or a file without SHA-1', async () => {
    const good = spdxOf(await reportOf(path.join(repoRoot, 'samples', 'glibc-dynamic.tar')));
    expect(spdxErrors(validator!, good)).toEqual([]);
    const broken = (change: (doc: SpdxDocument & Record<string, unknown>) => void) => {
      const doc = structuredClone(good) as SpdxDocument & Record<string, unknown>;
      change(doc);
      return spdxErrors(validator!, doc).join('\n');
    };
    expect(broken((doc) => delete (doc.packages[0] as Partial<SpdxPackage>).SPDXID)).toMatch(/failed to parse SPDX identifier|SPDXID/);
    expect(broken((doc) => doc.relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: 'SPDXRef-nowhere', relationshipType: 'DESCRIBES' }))).toMatch(
      /nowhere used in relationship but no such package exists/,
    );
    expect(
      broken((doc) => {
        const pkg = doc.packages[0] as unknown as Record<string, unknown>;
        pkg.versionInf = pkg.versionInfo;
        delete pkg.versionInfo;
      }),
    ).toMatch(/unknown field "versionInf"/);
    expect(broken((doc) => (doc.dataLicens = 'CC0-1.0'))).toMatch(/unknown field "dataLicens"/);
    expect(broken((doc) => (doc.files![0]!.checksums = doc.files![0]!.checksums.filter((c) => c.algorithm !== 'SHA1')))).toMatch(/no SHA1 checksum/);
    expect(broken((doc) => (doc.relationships[0]!.relationshipType = 'DESCRIBE'))).toMatch(/not an SPDX 2.3 type/);
    expect(broken((doc) => (doc.creationInfo.created = '2023-11-14'))).toMatch(/created/);
  });
});

describe.runIf(validator)('SPDX 2.3 of the samples', () => {
  it.each(SAMPLES)('%s: valid, one file per ELF file with SHA-1 and SHA-256, the DT_NEEDED graph as DEPENDS_ON', async (sample) => {
    const report = await reportOf(path.join(repoRoot, 'samples', sample));
    const doc = spdxOf(report);
    expect(spdxErrors(validator!, doc)).toEqual([]);
    const files = doc.files ?? [];
    expect(files.map((file) => file.fileName).sort()).toEqual(report.binaries.map((binary) => binary.path).sort());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file.checksums.map((c) => c.algorithm)).toEqual(['SHA1', 'SHA256']);
      expect(file.checksums[1]!.checksumValue).toBe(report.binaries.find((binary) => binary.path === file.fileName)!.digest!.slice(7));
    }
    const idOf = new Map(files.map((file) => [file.fileName, file.SPDXID]));
    let edges = 0;
    for (const binary of report.binaries) {
      for (const dep of binary.resolved) {
        if (!dep.path || !idOf.has(dep.path) || dep.path === dep.neededBy) continue;
        expect(related(doc, idOf.get(dep.neededBy)!, 'DEPENDS_ON'), `${dep.neededBy} → ${dep.path}`).toContain(idOf.get(dep.path));
        edges++;
      }
    }
    if (sample === 'static-oci' || sample === 'layers.tar') expect(edges).toBe(0);
    else expect(edges).toBeGreaterThan(0);
    // The document describes the image; every file no package installed is in the image.
    const root = doc.packages.find((pkg) => pkg.primaryPackagePurpose === 'CONTAINER')!;
    expect(related(doc, 'SPDXRef-DOCUMENT', 'DESCRIBES')).toEqual([root.SPDXID]);
    expect(root.versionInfo).toBe(report.source.manifestDigest);
    expect(doc.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/imgslim-.+-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.stringify(spdxDocument(report))).toBe(JSON.stringify(doc));
  });
});

/** Regular files under `root` whose first bytes are the ELF magic, with their bytes' digests. */
function elfFilesUnder(root: string, dir = root): Array<{ path: string; sha1: string; sha256: string }> {
  const out: Array<{ path: string; sha1: string; sha256: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...elfFilesUnder(root, full));
    else if (entry.isFile()) {
      const bytes = readFileSync(full);
      if (bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) out.push({ path: `/${path.relative(root, full)}`, sha1: hex('sha1', bytes), sha256: hex('sha256', bytes) });
    }
  }
  return out;
}

describe.runIf(validator && canUseDpkg)('SPDX 2.3 of a Debian image unpacked by dpkg', () => {
  it('lists the packages dpkg-query lists with syft PURLs, each CONTAINS the ELF files dpkg lists for it, hashed as on disk', async () => {
    const root = dpkgRoot();
    const doc = spdxOf(await reportOf(await writeTestImage({ layers: [{ entries: treeEntries(root) }] }, 'dpkg-root')));
    expect(spdxErrors(validator!, doc)).toEqual([]);
    const packages = doc.packages.filter((pkg) => purlOf(pkg)?.startsWith('pkg:deb/'));
    expect(packages.map((pkg) => `${pkg.name}\t${pkg.versionInfo}`).sort()).toEqual(dpkgQuery(root, '${Package}\t${Version}\n').sort());
    const [zlib] = dpkgQuery(root, '${Version}\t${source:Package}\n', ['zlib1g']);
    const [zlibVersion, zlibSource] = zlib!.split('\t');
    expect(purlOf(packages.find((pkg) => pkg.name === 'zlib1g')!)).toBe(`pkg:deb/debian/zlib1g@${zlibVersion}?arch=amd64&upstream=${zlibSource}&distro=debian-12`);
    expect(doc.packages.find((pkg) => pkg.primaryPackagePurpose === 'OPERATING-SYSTEM')).toMatchObject({ name: 'debian', versionInfo: '12' });
    const onDisk = elfFilesUnder(root);
    expect(onDisk.length).toBeGreaterThan(3);
    const files = new Map((doc.files ?? []).map((file) => [file.fileName, file]));
    expect([...files.keys()].sort()).toEqual(onDisk.map((file) => file.path).sort());
    for (const file of onDisk) {
      expect(files.get(file.path)?.checksums, file.path).toEqual([
        { algorithm: 'SHA1', checksumValue: file.sha1 },
        { algorithm: 'SHA256', checksumValue: file.sha256 },
      ]);
    }
    const nameOf = new Map((doc.files ?? []).map((file) => [file.SPDXID, file.fileName]));
    const real = (listed: string) => `/${path.relative(realpathSync(root), realpathSync(path.join(root, listed)))}`;
    let contained = 0;
    for (const pkg of packages) {
      const listed = new Set(dpkgListed(root, pkg.name).filter((file) => existsSync(path.join(root, file))).map(real));
      for (const id of related(doc, pkg.SPDXID, 'CONTAINS')) {
        expect(listed.has(nameOf.get(id)!), `${nameOf.get(id)} in ${pkg.name}`).toBe(true);
        contained++;
      }
    }
    expect(contained).toBe(onDisk.length);
  });
});

describe.runIf(validator && canBuildGo)('SPDX 2.3 of a Go binary', () => {
  it('the binary CONTAINS every module `go version -m` lists, with versions, PURLs and h1 sums; the main module DEPENDS_ON the others', async () => {
    const binary = buildGoWithModules();
    const image = await writeTestImage(
      { layers: [{ entries: [{ path: 'app', content: readFileSync(binary), mode: 0o755 }] }], containerConfig: { Entrypoint: ['/app'] } },
      'sbom-go',
    );
    const doc = spdxOf(await reportOf(image));
    expect(spdxErrors(validator!, doc)).toEqual([]);
    const file = doc.files!.find((entry) => entry.fileName === '/app')!;
    expect(file.checksums[0]).toEqual({ algorithm: 'SHA1', checksumValue: hex('sha1', readFileSync(binary)) });
    const byId = new Map(doc.packages.map((pkg) => [pkg.SPDXID, pkg]));
    const modules = related(doc, file.SPDXID, 'CONTAINS').map((id) => byId.get(id)!);
    const info = goVersionM(binary);
    expect(modules.map((module) => `${module.name}@${module.versionInfo}`)).toEqual([info.mainModule, ...info.deps.map((dep) => `${dep.path}@${dep.version}`)]);
    expect(modules.map(purlOf)).toEqual(['pkg:golang/example.com/app@%28devel%29', 'pkg:golang/example.com/greet@v1.2.3', 'pkg:golang/example.com/localdep@v0.0.0']);
    const sum = info.deps[0]!.sum!;
    expect(modules[1]!.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: Buffer.from(sum.slice(3), 'base64').toString('hex') }]);
    expect(modules[1]!.comment).toContain(`go.sum ${sum}`);
    expect(modules[2]!.comment).toContain('replaced by ../localdep@(devel)');
    expect(related(doc, modules[0]!.SPDXID, 'DEPENDS_ON')).toEqual([modules[1]!.SPDXID, modules[2]!.SPDXID]);
  });
});

describe.runIf(validator)('imgslim analyze --format spdx-json', () => {
  it('writes the document to stdout or -o; from a saved report, packages without the unhashed files', async () => {
    const result = await runCliInProcess(['analyze', 'samples/musl-dynamic.tar', '--format', 'spdx-json', '-q']);
    expect(result.code).toBe(0);
    expect(spdxErrors(validator!, result.stdout)).toEqual([]);
    expect((JSON.parse(result.stdout) as SpdxDocument).files?.length).toBeGreaterThan(0);
    const dir = testTmp('sbom-spdx-cli');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, 'doc.spdx.json');
    expect((await runCliInProcess(['analyze', 'samples/musl-dynamic.tar', '-f', 'spdx-json', '-o', out, '-q'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(result.stdout);

    const saved = path.join(dir, 'report.json');
    writeFileSync(saved, (await runCliInProcess(['analyze', 'samples/musl-dynamic.tar', '-f', 'json', '-q'])).stdout);
    const fromSaved = await runCliInProcess(['analyze', '--report', saved, '-f', 'spdx-json']);
    expect(fromSaved.code).toBe(0);
    expect(spdxErrors(validator!, fromSaved.stdout)).toEqual([]);
    const doc = JSON.parse(fromSaved.stdout) as SpdxDocument;
    expect(doc.files).toBeUndefined();
    expect(doc.comment).toMatch(/no SHA-1/);
    expect(doc.packages.map((pkg) => pkg.name)).toEqual((JSON.parse(result.stdout) as SpdxDocument).packages.map((pkg) => pkg.name));
  });
});
