/**
 * An agency's certification authority made with openssl, as an agency's PKI team would:
 * a CA certificate, and certificates it issues for certificate requests (PKCS#10 PEM).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgencyCa {
  certPem: string;
  certFile: string;
  keyFile: string;
  /** Issues a signing certificate for the request, valid `days` from now. */
  issue(requestPem: string, days?: number): string;
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeAgencyCa(dir: string, commonName: string): AgencyCa {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'ca.pem');
  openssl([
    ...['req', '-x509', '-utf8', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    ...['-nodes', '-keyout', keyFile, '-out', certFile, '-days', '3650'],
    ...['-subj', `/O=某市市场监督管理局/CN=${commonName}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  let serial = 0;
  return {
    certPem: readFileSync(certFile, 'utf8'),
    certFile,
    keyFile,
    issue(requestPem, days = 730) {
      serial++;
      const csr = join(dir, `req-${serial}.pem`);
      const out = join(dir, `issued-${serial}.pem`);
      const ext = join(dir, `ext-${serial}.cnf`);
      writeFileSync(csr, requestPem);
      writeFileSync(
        ext,
        'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
      );
      openssl([
        ...['x509', '-req', '-in', csr, '-CA', certFile, '-CAkey', keyFile],
        ...['-set_serial', String(1000 + serial), '-days', String(days), '-extfile', ext],
        ...['-out', out],
      ]);
      return readFileSync(out, 'utf8');
    },
  };
}
