/**
 * A real RFC 3161 time-stamping authority on 127.0.0.1: an HTTP endpoint that answers each
 * `application/timestamp-query` with `openssl ts -reply`, signed by a throwaway TSA
 * certificate (EKU timeStamping, critical) issued by a throwaway CA.
 */
import { execFile } from 'node:child_process';
import { promises as fsp, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { issuedCert, selfSignedCert } from '../openssl';

const run = promisify(execFile);

export interface TestTsa {
  url: string;
  /** The CA the TSA certificate chains to (PEM). */
  caPem: string;
  caFile: string;
  tsaCertFile: string;
  /** Requests answered so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startTsa(): Promise<TestTsa> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-tsa-'));
  const f = (n: string) => join(dir, n);
  const ca = await selfSignedCert(dir, 'ca', {
    subj: '/CN=Test TSA root',
    days: 3650,
    addext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign'],
  });
  // tsa.pem and tsa.key, as tsa.cnf names them.
  await issuedCert(dir, 'tsa', {
    subj: '/CN=Test time-stamping authority',
    days: 365,
    ca,
    ext: [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=critical,timeStamping',
    ],
  });
  await fsp.writeFile(f('serial'), '01\n');
  await fsp.writeFile(
    f('tsa.cnf'),
    `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
  );
  let requests = 0;
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (
          req.method !== 'POST' ||
          req.headers['content-type'] !== 'application/timestamp-query'
        ) {
          res.writeHead(400).end();
          return;
        }
        const i = n++;
        try {
          await fsp.writeFile(f(`q${i}.tsq`), Buffer.concat(chunks));
          await run('openssl', [
            'ts',
            '-reply',
            '-config',
            f('tsa.cnf'),
            '-queryfile',
            f(`q${i}.tsq`),
            '-out',
            f(`r${i}.tsr`),
          ]);
          const body = await fsp.readFile(f(`r${i}.tsr`));
          requests++;
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body);
        } catch (e) {
          res.writeHead(500).end(String(e));
        }
      })();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPem: await fsp.readFile(f('ca.pem'), 'utf8'),
    caFile: f('ca.pem'),
    tsaCertFile: f('tsa.pem'),
    get requests() {
      return requests;
    },
    async close() {
      await new Promise<void>((ok) => server.close(() => ok()));
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
