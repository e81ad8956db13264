/**
 * TLS settings for one registry, as skopeo has them: the system CAs plus `*.crt` files, and a
 * client certificate `*.cert` with its `*.key`, from --cert-dir DIR, else from
 * /etc/containers/certs.d/HOST[:PORT] and /etc/docker/certs.d/HOST[:PORT] when they exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { UsageError } from '../../shared/errors.js';

export interface TlsSettings {
  /** Verify the server's certificate (--tls-verify=false turns it off). */
  verify: boolean;
  /** Root CAs: the system's plus the extra ones; undefined when there are no extra ones. */
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
}

const DEFAULT_CERT_ROOTS = ['/etc/containers/certs.d', '/etc/docker/certs.d'];

function listDirectory(dir: string, required: boolean): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    if (!required) return [];
    throw new UsageError(`--cert-dir ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (error as Error).message}`, {
      code: 'E_CERT_DIR',
      cause: error,
    });
  }
}

function readPem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { code: 'E_CERT_DIR', cause: error });
  }
}

export function loadTlsSettings(registry: string, options: { certDir?: string; tlsVerify?: boolean }): TlsSettings {
  const dirs = options.certDir !== undefined ? [options.certDir] : DEFAULT_CERT_ROOTS.map((root) => path.join(root, registry));
  const settings: TlsSettings = { verify: options.tlsVerify ?? true };
  const extraCas: string[] = [];
  for (const dir of dirs) {
    const names = listDirectory(dir, options.certDir !== undefined);
    for (const name of names) {
      const file = path.join(dir, name);
      if (name.endsWith('.crt')) extraCas.push(readPem(file).toString('utf8'));
      else if (name.endsWith('.cert')) {
        const keyName = `${name.slice(0, -'.cert'.length)}.key`;
        if (!names.includes(keyName)) throw new UsageError(`${file}: a client certificate without its key ${keyName}`, { code: 'E_CERT_DIR' });
        settings.cert = readPem(file);
        settings.key = readPem(path.join(dir, keyName));
      } else if (name.endsWith('.key')) {
        const certName = `${name.slice(0, -'.key'.length)}.cert`;
        if (!names.includes(certName)) throw new UsageError(`${file}: a client key without its certificate ${certName}`, { code: 'E_CERT_DIR' });
      }
    }
  }
  if (extraCas.length > 0) settings.ca = [...rootCertificates, ...extraCas];
  return settings;
}

/** The settings as node:tls options, for an https.Agent and for a connection of our own alike. */
export function tlsOptions(settings: TlsSettings): Pick<ConnectionOptions, 'rejectUnauthorized' | 'ca' | 'cert' | 'key'> {
  return {
    rejectUnauthorized: settings.verify,
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.cert ? { cert: settings.cert, key: settings.key } : {}),
  };
}
