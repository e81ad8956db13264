/**
 * Report → CycloneDX 1.6 JSON. Packages are top-level `library` components with syft's PURLs;
 * each ELF file is a `file` component nested in the package that installed it (an assembly:
 * the package contains the file) or top-level when no package owns it; the Go modules compiled
 * into a binary are nested in its file component. `dependencies` is the resolved DT_NEEDED
 * graph between files, plus each Go main module's requirements.
 */
import type { Binary, Report } from '../report/index.js';
import { compact, documentCreated, documentUuid, goSumSha256, imageName, sha256Hex, type SbomOptions } from './identity.js';
import { buildInventory, type InventoryFile, type InventoryGoModule, type InventoryPackage } from './inventory.js';

type Json = Record<string, unknown>;
interface Property {
  name: string;
  value: string;
}

export function cyclonedxDocument(report: Report, options: SbomOptions = {}): Json {
  const inventory = buildInventory(report);
  const filesByPackage = new Map<string, InventoryFile[]>();
  const unowned: InventoryFile[] = [];
  for (const file of inventory.files) {
    if (!file.packageRef) unowned.push(file);
    else filesByPackage.set(file.packageRef, [...(filesByPackage.get(file.packageRef) ?? []), file]);
  }
  const components: Json[] = [];
  if (report.distro) {
    components.push(
      compact({
        'bom-ref': 'os',
        type: 'operating-system',
        name: report.distro.id,
        version: report.distro.versionId ?? undefined,
        description: report.distro.prettyName ?? undefined,
      }),
    );
  }
  for (const entry of inventory.packages) components.push(packageComponent(entry, filesByPackage.get(entry.ref) ?? []));
  for (const file of unowned) components.push(fileComponent(file));
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${documentUuid(report, 'cyclonedx', options)}`,
    version: 1,
    metadata: {
      timestamp: documentCreated(report, options),
      tools: { components: [{ type: 'application', name: report.tool.name, version: report.tool.version }] },
      component: imageComponent(report),
    },
    components,
    dependencies: dependencies(inventory.files),
  };
}

function imageComponent(report: Report): Json {
  const { source } = report;
  const hex = sha256Hex(source.manifestDigest);
  const properties: Property[] = [
    { name: 'imgslim:image:platform', value: source.platform },
    { name: 'imgslim:image:manifestDigest', value: source.manifestDigest },
    { name: 'imgslim:image:configDigest', value: source.configDigest },
    { name: 'imgslim:image:manifestMediaType', value: source.manifestMediaType },
    ...source.tags.map((tag) => ({ name: 'imgslim:image:tag', value: tag })),
  ];
  return compact({
    'bom-ref': 'image',
    type: 'container',
    name: imageName(report),
    version: source.manifestDigest,
    hashes: hex ? [{ alg: 'SHA-256', content: hex }] : undefined,
    properties,
  });
}

function packageComponent(entry: InventoryPackage, files: InventoryFile[]): Json {
  const { pkg } = entry;
  const properties: Property[] = [
    { name: 'imgslim:package:manager', value: pkg.manager },
    { name: 'imgslim:package:database', value: pkg.database },
  ];
  if (pkg.architecture) properties.push({ name: 'imgslim:package:architecture', value: pkg.architecture });
  if (pkg.source) properties.push({ name: 'imgslim:package:source', value: pkg.source.version ? `${pkg.source.name}@${pkg.source.version}` : pkg.source.name });
  if (pkg.sourceRpm) properties.push({ name: 'imgslim:package:sourceRpm', value: pkg.sourceRpm });
  return compact({
    'bom-ref': entry.ref,
    type: 'library',
    name: pkg.name,
    version: pkg.version,
    licenses: pkg.license ? [{ license: { name: pkg.license } }] : undefined,
    purl: entry.purl,
    properties,
    components: files.length > 0 ? files.map(fileComponent) : undefined,
  });
}

function fileComponent(file: InventoryFile): Json {
  const { binary } = file;
  const hex = sha256Hex(binary.digest);
  return compact({
    'bom-ref': file.ref,
    type: 'file',
    name: binary.path,
    hashes: hex ? [{ alg: 'SHA-256', content: hex }] : undefined,
    properties: binaryProperties(binary),
    components: file.goModules.length > 0 ? file.goModules.map(goModuleComponent) : undefined,
  });
}

function binaryProperties(binary: Binary): Property[] {
  const properties: Property[] = [
    { name: 'imgslim:elf:role', value: binary.role },
    { name: 'imgslim:elf:machine', value: binary.machine },
    { name: 'imgslim:elf:linkage', value: binary.linkage },
    { name: 'imgslim:elf:libc', value: binary.libc },
    { name: 'imgslim:elf:status', value: binary.status },
    { name: 'imgslim:file:size', value: String(binary.size) },
    { name: 'imgslim:file:layer', value: String(binary.layer) },
  ];
  if (binary.soname) properties.push({ name: 'imgslim:elf:soname', value: binary.soname });
  if (binary.interpreter) properties.push({ name: 'imgslim:elf:interpreter', value: binary.interpreter });
  for (const needed of binary.needed) properties.push({ name: 'imgslim:elf:needed', value: needed });
  if (binary.glibcFloor) properties.push({ name: 'imgslim:elf:glibcFloor', value: binary.glibcFloor });
  if (binary.buildId) properties.push({ name: 'imgslim:elf:buildId', value: binary.buildId });
  if (binary.go) {
    properties.push({ name: 'imgslim:go:version', value: binary.go.version });
    for (const [key, value] of Object.entries(binary.go.settings)) properties.push({ name: `imgslim:go:setting:${key}`, value });
  }
  return properties;
}

function goModuleComponent(module: InventoryGoModule): Json {
  const hex = goSumSha256(module.sum);
  const properties: Property[] = [{ name: 'imgslim:go:module', value: module.main ? 'main' : 'dependency' }];
  if (module.sum) properties.push({ name: 'imgslim:go:sum', value: module.sum });
  if (module.replacedBy) properties.push({ name: 'imgslim:go:replace', value: module.replacedBy });
  return compact({
    'bom-ref': module.ref,
    type: 'library',
    name: module.path,
    version: module.version,
    hashes: hex ? [{ alg: 'SHA-256', content: hex }] : undefined,
    purl: module.purl,
    properties,
  });
}

function dependencies(files: readonly InventoryFile[]): Json[] {
  const out: Json[] = [];
  for (const file of files) {
    out.push({ ref: file.ref, dependsOn: file.dependsOn });
    const main = file.goModules.find((module) => module.main);
    if (main) out.push({ ref: main.ref, dependsOn: file.goModules.filter((module) => !module.main).map((module) => module.ref) });
  }
  return out;
}
