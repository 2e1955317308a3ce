/**
 * The LAN signing tablet's HTTPS certificate: self-issued, for TLS servers only (serverAuth),
 * naming the workstation's addresses, and accepted by OpenSSL as such.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  certificateToPem,
  createSelfIssuedCertificate,
} from '../../../../electron/core/platform/pki/certificate';

describe('TLS server certificate', () => {
  it('carries serverAuth and the addresses in subjectAltName', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = createSelfIssuedCertificate(privateKey, publicKey, {
      commonName: 'Attest 签名平板',
      notBefore: new Date(Date.UTC(2026, 10, 1)),
      notAfter: new Date(Date.UTC(2027, 10, 1)),
      tlsServer: { dns: ['localhost'], ip: ['127.0.0.1', '192.168.1.20'] },
    });
    const x = new X509Certificate(der);
    expect(x.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20');
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x.checkIP('192.168.1.20')).toBe('192.168.1.20');
    expect(x.checkIP('10.0.0.1')).toBeUndefined();
    expect(x.verify(publicKey)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'attest-tls-'));
    try {
      writeFileSync(join(dir, 'c.pem'), certificateToPem(der));
      const text = execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem'), '-noout', '-text'], {
        encoding: 'utf8',
      });
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
      expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication/);
      // OpenSSL's own check of the purpose: a self-signed leaf, trusted as itself.
      const purpose = execFileSync(
        'openssl',
        [
          'verify',
          '-purpose',
          'sslserver',
          '-CAfile',
          join(dir, 'c.pem'),
          '-partial_chain',
          join(dir, 'c.pem'),
        ],
        { encoding: 'utf8' },
      );
      expect(purpose).toMatch(/OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an address that is not IPv4', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() =>
      createSelfIssuedCertificate(privateKey, publicKey, {
        commonName: 'x',
        notBefore: new Date(),
        notAfter: new Date(Date.now() + 1000),
        tlsServer: { dns: [], ip: ['300.1.1.1'] },
      }),
    ).toThrow(/not an IPv4 address/);
  });
});
