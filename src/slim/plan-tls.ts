/**
 * CA certificates: a program that speaks TLS verifies peers against the distribution's bundle,
 * which nothing in its ELF headers names. Kept when a TLS library is in a kept closure (OpenSSL,
 * GnuTLS, NSS, mbed TLS, wolfSSL) or a Go binary links crypto/tls, together with what
 * SSL_CERT_FILE / SSL_CERT_DIR in Env name and OpenSSL's configuration file.
 */
import path from 'node:path/posix';
import type { Planner } from './planner.js';

/** Where Go (crypto/x509 root_linux.go), OpenSSL, GnuTLS and the distributions look for the bundle. */
export const CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine, Gentoo
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine, OpenSSL's default OPENSSLDIR
  '/usr/lib/ssl/cert.pem', // Debian's OPENSSLDIR/cert.pem (a symlink to the bundle)
  '/etc/pki/tls/cert.pem', // RHEL's OPENSSLDIR/cert.pem
];

/** OpenSSL's configuration file, read when the library initialises (OPENSSLDIR/openssl.cnf). */
const OPENSSL_CONFIGS = ['/usr/lib/ssl/openssl.cnf', '/etc/ssl/openssl.cnf', '/etc/pki/tls/openssl.cnf'];

const TLS_LIBRARY = /^lib(ssl|crypto|gnutls|nss3|mbedtls|mbedx509|wolfssl)([.-]|$)/;

export function keepCertificates(p: Planner): void {
  let why: string | null = null;
  let openssl = false;
  let nss: string | null = null;
  const note = (library: string, path: string, because: string) => {
    why ??= because;
    if (library === 'ssl' || library === 'crypto') openssl = true;
    if (library === 'nss3') nss ??= path;
  };
  for (const binary of p.keptBinaries()) {
    for (const dep of binary.resolved) {
      const library = dep.path ? TLS_LIBRARY.exec(dep.name)?.[1] : undefined;
      if (library && dep.path) note(library, dep.path, `${dep.name} is NEEDED by ${dep.neededBy}`);
    }
    const name = binary.soname ?? path.basename(binary.path);
    const library = TLS_LIBRARY.exec(name)?.[1];
    if (library) note(library, binary.path, `${name} is kept (${binary.path})`);
    else if (p.elf(binary.path)?.goPackages?.includes('crypto/tls')) why ??= `${binary.path} (Go) links crypto/tls`;
  }
  if (why === null) return;
  const reason = `CA certificates: ${why}`;
  for (const bundle of CA_BUNDLES) if (p.fs.resolveEntry(bundle)) p.keep.keepLookup(bundle, reason, { program: false });
  const file = p.env.get('SSL_CERT_FILE');
  if (file) p.keep.keepLookup(path.resolve(p.workingDir, file), `SSL_CERT_FILE in Env (${why})`, { program: false });
  for (const dir of (p.env.get('SSL_CERT_DIR') ?? '').split(':')) {
    if (dir && dir !== '/') p.keep.keepTree(path.resolve(p.workingDir, dir), `SSL_CERT_DIR in Env (${why})`);
  }
  if (openssl) {
    for (const config of OPENSSL_CONFIGS) {
      if (p.fs.resolveEntry(config)) p.keep.keepLookup(config, `OpenSSL reads its configuration at start-up (${why})`, { program: false });
    }
  }
  if (nss) p.risk(nss, 'NSS (libnss3) reads its certificate database and trust module at run time from paths the application chooses; cover them with ' + p.probeHint() + ' or --keep the NSS database directory');
}
