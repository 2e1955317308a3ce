/**
 * The workstation's TLS identity on the LAN: one self-issued server certificate for every
 * page it serves there (the signing tablet, the live room's observers and remote
 * participants), kept in the identity folder (`attest relay` keeps one of its own). Its SHA-256 fingerprint is shown at the desk,
 * so whoever opens the page can check that it comes from this workstation. The servers listen
 * through {@link listenLanHttps}.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  certificateToPem,
  createSelfIssuedCertificate,
  pemToCertificates,
} from './pki/certificate';
import { writeFileDurable } from './fs';

/** The first non-internal IPv4 address of this machine, or 127.0.0.1. */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

/** The TLS key and certificate, made on first use and again when the address changes. */
async function makeTlsIdentity(
  dir: string,
  hosts: string[],
  now: number,
): Promise<{ key: string; cert: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'lan-tls-key.pem');
  const certPath = join(dir, 'lan-tls-cert.pem');
  if (existsSync(keyPath) && existsSync(certPath)) {
    const cert = readFileSync(certPath, 'utf8');
    const x = new X509Certificate(pemToCertificates(cert)[0]!);
    const covers = hosts.every((h) => x.checkIP(h) !== undefined || x.checkHost(h) !== undefined);
    if (covers && Date.parse(x.validTo) > now + 24 * 3600 * 1000) {
      return { key: readFileSync(keyPath, 'utf8'), cert };
    }
  }
  // The key stays when only the certificate is renewed (a new address, near expiry).
  let privateKey;
  if (existsSync(keyPath)) privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
  else privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const publicKey = createPublicKey(privateKey);
  const ips = hosts.filter((h) => /^\d+\.\d+\.\d+\.\d+$/.test(h));
  const dns = hosts.filter((h) => !ips.includes(h));
  const der = createSelfIssuedCertificate(privateKey, publicKey, {
    commonName: 'Attest 工作站局域网服务 (LAN pages)',
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + 825 * 24 * 3600 * 1000),
    tlsServer: { dns, ip: ips },
  });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = certificateToPem(der);
  for (const [path, text] of [
    [keyPath, key],
    [certPath, cert],
  ] as const) {
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    await writeFileDurable(tmp, text, 0o600);
    renameSync(tmp, path);
  }
  return { key, cert };
}

/** One at a time per folder: two servers starting together make one certificate, not two. */
const making = new Map<string, Promise<unknown>>();

/**
 * The key and certificate covering `hosts` (made on first use, again for a new address or
 * near expiry), with the certificate's SHA-256 fingerprint as browsers show it (AB:CD:…).
 */
export function tlsIdentity(
  dir: string,
  hosts: string[],
  now: number,
): Promise<{ key: string; cert: string; fingerprint: string }> {
  const next = (making.get(dir) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const made = await makeTlsIdentity(dir, hosts, now);
      const fingerprint = new X509Certificate(pemToCertificates(made.cert)[0]!).fingerprint256;
      return { ...made, fingerprint };
    });
  making.set(dir, next);
  return next;
}

/** An HTTPS server of this workstation on the LAN, listening. */
export interface LanHttps {
  /** The address clients are told to open (the certificate names it). */
  address: string;
  port: number;
  /** SHA-256 of the certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  /**
   * Whether a request names this server as its certificate does: any other Host header is a
   * misdirected request (DNS rebinding cannot reach the server through a name of its own).
   */
  hostAllowed(req: IncomingMessage): boolean;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server with the workstation's LAN certificate (covering the advertised
 * address, 127.0.0.1 and localhost) on `bindHost:port`; requests go to `handle`, WebSocket
 * upgrades to `upgrade`.
 */
export async function listenLanHttps(opts: {
  tlsDir: string;
  /** The address to advertise (default the first LAN IPv4 of this machine). */
  advertiseHost?: string | undefined;
  /** Interface to listen on (default every interface). */
  bindHost?: string | undefined;
  /** 0 picks a free one. */
  port: number;
  now: number;
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}): Promise<LanHttps> {
  const address = opts.advertiseHost ?? lanAddress();
  const hosts = [...new Set([address, '127.0.0.1', 'localhost'])];
  const { key, cert, fingerprint } = await tlsIdentity(opts.tlsDir, hosts, opts.now);
  const server = createServer({ key, cert, minVersion: 'TLSv1.2' }, (req, res) =>
    opts.handle(req, res),
  );
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    opts.upgrade(req, socket, head),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindHost ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    address,
    port,
    fingerprint,
    hostAllowed: (req) => hosts.some((h) => (req.headers.host ?? '') === `${h}:${port}`),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
