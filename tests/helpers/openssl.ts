/**
 * Throwaway P-256 certificates made by the `openssl` command line, for tests that need a
 * real CA and what it issues (a TSA, an agency signing certificate).
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface CertFiles {
  cert: string;
  key: string;
}

/** `<dir>/<name>.pem` and `<dir>/<name>.key`, self-signed; `addext` as `openssl req -addext`. */
export async function selfSignedCert(
  dir: string,
  name: string,
  opts: { subj: string; days: number; addext?: string[] },
): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  await run('openssl', [
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    files.key,
    '-out',
    files.cert,
    '-days',
    String(opts.days),
    '-subj',
    opts.subj,
    ...(opts.addext ?? []).flatMap((e) => ['-addext', e]),
  ]);
  return files;
}

/** `<dir>/<name>.pem` and `<dir>/<name>.key`, issued by `ca` with the extensions `ext`. */
export async function issuedCert(
  dir: string,
  name: string,
  opts: { subj: string; days: number; ca: CertFiles; ext: string[] },
): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extfile = join(dir, `${name}.ext.cnf`);
  await run('openssl', [
    'req',
    ...NEW_EC_KEY,
    '-keyout',
    files.key,
    '-out',
    csr,
    '-subj',
    opts.subj,
  ]);
  await fsp.writeFile(extfile, `${opts.ext.join('\n')}\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    opts.ca.cert,
    '-CAkey',
    opts.ca.key,
    '-CAcreateserial',
    '-out',
    files.cert,
    '-days',
    String(opts.days),
    '-extfile',
    extfile,
  ]);
  return files;
}
