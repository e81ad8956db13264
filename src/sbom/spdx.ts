/**
 * Report → SPDX 2.3 JSON, laid out as syft lays out an image: the image is the package the
 * document DESCRIBES and CONTAINS the OS packages (with syft's PURLs) and the files no package
 * installed; a package CONTAINS the ELF files it installed; a Go binary CONTAINS the modules
 * compiled into it, its main module DEPENDS_ON the others; a file DEPENDS_ON the files its
 * DT_NEEDED entries (and interpreter) resolve to.
 *
 * SPDX 2.3 requires a SHA-1 of every file. A Report read back from JSON was not hashed, so its
 * ELF files cannot be listed: the document then holds the packages and Go modules only, and its
 * `comment` says why.
 */
import type { Binary, Report } from '../report/index.js';
import { compact, documentCreated, documentUuid, goSumSha256, imageName, sha256Hex, type SbomOptions } from './identity.js';
import { buildInventory, type InventoryFile, type InventoryGoModule, type InventoryPackage } from './inventory.js';

type Json = Record<string, unknown>;
interface Relationship {
  spdxElementId: string;
  relatedSpdxElement: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
}

const DOCUMENT = 'SPDXRef-DOCUMENT';
const IMAGE = 'SPDXRef-DocumentRoot-Image';
const OPERATING_SYSTEM = 'SPDXRef-OperatingSystem';
const NOASSERTION = 'NOASSERTION';

export function spdxDocument(report: Report, options: SbomOptions = {}): Json {
  const inventory = buildInventory(report);
  const withFiles = inventory.files.every((file) => file.binary.sha1 !== null && file.binary.digest !== null);
  const packages: Json[] = [imagePackage(report)];
  const relationships: Relationship[] = [relation(DOCUMENT, 'DESCRIBES', IMAGE)];
  if (report.distro) {
    packages.push(
      compact({
        name: report.distro.id,
        SPDXID: OPERATING_SYSTEM,
        versionInfo: report.distro.versionId ?? undefined,
        downloadLocation: NOASSERTION,
        filesAnalyzed: false,
        description: report.distro.prettyName ?? undefined,
        primaryPackagePurpose: 'OPERATING-SYSTEM',
      }),
    );
    relationships.push(relation(IMAGE, 'CONTAINS', OPERATING_SYSTEM));
  }
  for (const entry of inventory.packages) {
    packages.push(osPackage(entry));
    relationships.push(relation(IMAGE, 'CONTAINS', id(entry.ref)));
  }
  const files: Json[] = [];
  for (const file of inventory.files) {
    const holder = withFiles ? id(file.ref) : IMAGE;
    if (withFiles) {
      files.push(fileElement(file));
      relationships.push(relation(file.packageRef ? id(file.packageRef) : IMAGE, 'CONTAINS', id(file.ref)));
      for (const target of file.dependsOn) relationships.push(relation(id(file.ref), 'DEPENDS_ON', id(target)));
    }
    for (const module of file.goModules) {
      packages.push(goModulePackage(module, file.binary));
      relationships.push(relation(holder, 'CONTAINS', id(module.ref)));
    }
    const main = file.goModules.find((module) => module.main);
    for (const dep of main ? file.goModules.filter((module) => !module.main) : []) relationships.push(relation(id(main!.ref), 'DEPENDS_ON', id(dep.ref)));
  }
  const name = imageName(report);
  const uuid = documentUuid(report, 'spdx-json', options);
  return compact({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: DOCUMENT,
    name,
    documentNamespace: `https://spdx.org/spdxdocs/imgslim-${namespaceSegment(name)}-${uuid}`,
    comment: withFiles
      ? undefined
      : 'ELF files are not listed: the report this document was written from holds no SHA-1 of them, which SPDX 2.3 requires of every file (analyse the image itself with --format spdx-json).',
    creationInfo: { creators: [`Tool: ${report.tool.name}-${report.tool.version}`], created: documentCreated(report, options) },
    packages,
    files: files.length > 0 ? files : undefined,
    relationships,
  });
}

function imagePackage(report: Report): Json {
  const { source } = report;
  const hex = sha256Hex(source.manifestDigest);
  const tags = source.tags.length > 0 ? `; tags ${source.tags.join(', ')}` : '';
  return compact({
    name: imageName(report),
    SPDXID: IMAGE,
    versionInfo: source.manifestDigest,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    checksums: hex ? [{ algorithm: 'SHA256', checksumValue: hex }] : undefined,
    comment: `platform ${source.platform}; config ${source.configDigest}; manifest media type ${source.manifestMediaType}${tags}`,
    primaryPackagePurpose: 'CONTAINER',
  });
}

function osPackage(entry: InventoryPackage): Json {
  const { pkg } = entry;
  const source = pkg.source ? `; source package ${pkg.source.version ? `${pkg.source.name}@${pkg.source.version}` : pkg.source.name}` : '';
  return compact({
    name: pkg.name,
    SPDXID: id(entry.ref),
    versionInfo: pkg.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    sourceInfo: `acquired package info from ${pkg.manager} database: ${pkg.database}${source}`,
    // apk and rpm record free text, not an SPDX expression it may not be: kept as a comment.
    licenseComments: pkg.license ? `license as the ${pkg.manager} database records it: ${pkg.license}` : undefined,
    externalRefs: [purlRef(entry.purl)],
  });
}

function goModulePackage(module: InventoryGoModule, binary: Binary): Json {
  const hex = goSumSha256(module.sum);
  const notes = [module.main ? 'main module' : 'dependency', module.sum ? `go.sum ${module.sum}` : null, module.replacedBy ? `replaced by ${module.replacedBy}` : null];
  return compact({
    name: module.path,
    SPDXID: id(module.ref),
    versionInfo: module.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    checksums: hex ? [{ algorithm: 'SHA256', checksumValue: hex }] : undefined,
    sourceInfo: `acquired package info from go module information: ${binary.path}`,
    comment: notes.filter(Boolean).join('; '),
    externalRefs: [purlRef(module.purl)],
    primaryPackagePurpose: module.main ? 'APPLICATION' : 'LIBRARY',
  });
}

function fileElement(file: InventoryFile): Json {
  const { binary } = file;
  const go = binary.go ? `; Go ${binary.go.version}${Object.entries(binary.go.settings).map(([key, value]) => ` ${key}=${value}`).join('')}` : '';
  return {
    fileName: binary.path,
    SPDXID: id(file.ref),
    fileTypes: binary.role === 'executable' ? ['APPLICATION', 'BINARY'] : ['BINARY'],
    checksums: [
      { algorithm: 'SHA1', checksumValue: binary.sha1!.slice('sha1:'.length) },
      { algorithm: 'SHA256', checksumValue: sha256Hex(binary.digest)! },
    ],
    comment: `ELF ${binary.role}, ${binary.machine}, ${binary.linkage}, libc ${binary.libc}${binary.soname ? `, soname ${binary.soname}` : ''}; layer ${binary.layer + 1}${go}`,
  };
}

function purlRef(purl: string): Json {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl };
}

function relation(from: string, type: Relationship['relationshipType'], to: string): Relationship {
  return { spdxElementId: from, relatedSpdxElement: to, relationshipType: type };
}

/** Inventory refs (`package-3`, `file-12-go-main`) are SPDX idstrings already: letters, digits, `-`. */
function id(ref: string): string {
  return `SPDXRef-${ref}`;
}

/** The image name as one URI path segment (syft's namespace holds the image name the same way). */
function namespaceSegment(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}
