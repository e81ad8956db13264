/** The registry options analyze, check and slim share: credentials, TLS, and their help. */
import path from 'node:path';
import type { RegistryAccess } from '../image/index.js';
import { UsageError } from '../shared/errors.js';
import type { CliIO } from './io.js';

export const REGISTRY_OPTIONS = {
  creds: { type: 'string' },
  'cert-dir': { type: 'string' },
  'tls-verify': { type: 'string' },
} as const;

export interface RegistryArgs {
  creds?: string;
  'cert-dir'?: string;
  'tls-verify'?: string;
}

export const REGISTRY_HELP = `  --creds USER[:PASS]       registry credentials (else REGISTRY_AUTH_FILE,
                            \${XDG_RUNTIME_DIR}/containers/auth.json, ~/.docker/config.json
                            and its credential helpers)
  --cert-dir DIR            registry TLS: *.crt CAs, *.cert + *.key client certificate (default
                            /etc/containers/certs.d/HOST and /etc/docker/certs.d/HOST)
  --tls-verify=false        do not verify the registry's certificate; allow plain HTTP (plain
                            HTTP is otherwise used only for loopback registries)`;

/** REGISTRY_HELP with its descriptions at `column` (the column a command's --help uses). */
export function registryHelp(column: number): string {
  return REGISTRY_HELP.replace(/^ {2}(\S+(?: \S+)?) {2,}/gm, (_, option: string) => `  ${option.padEnd(column - 4)}  `).replace(/^ {28}/gm, ' '.repeat(column));
}

export const IMAGE_ARGUMENT_HELP = `With skopeo's transport names IMAGE may also be docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]
(read from a registry; docker://alpine is docker.io/library/alpine:latest), oci:DIR[:REF],
oci-archive:FILE[:REF] or docker-archive:FILE[:REF].`;

export function registryAccess(values: RegistryArgs, io: Pick<CliIO, 'env' | 'cwd'>): RegistryAccess {
  const tls = values['tls-verify'];
  if (tls !== undefined && tls !== 'true' && tls !== 'false') throw new UsageError(`--tls-verify must be true or false (got '${tls}')`);
  const access: RegistryAccess = { env: io.env };
  if (values.creds !== undefined) access.creds = values.creds;
  if (values['cert-dir'] !== undefined) access.certDir = path.resolve(io.cwd, values['cert-dir']);
  if (tls !== undefined) access.tlsVerify = tls === 'true';
  return access;
}
