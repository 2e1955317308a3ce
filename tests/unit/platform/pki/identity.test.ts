import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeCertificate,
  IdentityError,
  importPkcs12,
  listArchivedIdentities,
  loadOrCreateIdentity,
  protectKeysWith,
  requestCertificate,
} from '../../../../electron/core/platform/pki';
import type { Signer } from '../../../../electron/core/platform/pki';
import { fakeKeystore } from '../../../helpers/keystore';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'attest-pki-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function fresh(name: string): string {
  return join(work, name);
}

/** `openssl cms -verify` against the signer's own certificate as the trust anchor. */
function opensslVerify(signer: Signer, data: Buffer, sig: Buffer, tag: string) {
  const d = join(work, `${tag}.data`);
  const s = join(work, `${tag}.p7s`);
  const ca = join(work, `${tag}.ca.pem`);
  writeFileSync(d, data);
  writeFileSync(s, sig);
  const anchor = signer.chainDer.length
    ? signer.chainDer[signer.chainDer.length - 1]!
    : signer.certificateDer;
  writeFileSync(ca, new X509Certificate(anchor).toString());
  return spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', s, '-content', d, '-CAfile', ca],
    { encoding: 'utf8', input: '' },
  );
}

function opensslPrint(sig: Buffer, tag: string): string {
  const s = join(work, `${tag}.print.p7s`);
  writeFileSync(s, sig);
  return execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', s], {
    encoding: 'utf8',
  });
}

describe('loadOrCreateIdentity', () => {
  it('creates a self-issued ECDSA identity with the required fields on first run', async () => {
    const dir = fresh('first');
    const id = await loadOrCreateIdentity(dir, {
      organization: '某市市场监督管理局',
      hostname: 'room-3',
    });
    expect(id.source).toBe('self-issued');
    // One attribute per RDN, as CAs write names (not one multi-valued `O=… + CN=…`).
    expect(id.subject).toBe('CN=Attest workstation room-3, O=某市市场监督管理局');
    expect(id.chainDer).toEqual([]);
    expect(id.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const info = describeCertificate(id.certificateDer);
    expect(info.keyUsage).toEqual([0, 1]); // digitalSignature, nonRepudiation only
    const years = (info.notAfter.getTime() - info.notBefore.getTime()) / (365.25 * 864e5);
    expect(years).toBeGreaterThan(9.99);
    expect(years).toBeLessThan(10.01);
    expect(info.serialNumberHex.length).toBeGreaterThanOrEqual(30); // 16 random bytes

    // OpenSSL reads it the same way.
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], {
      input: id.certificatePem,
      encoding: 'utf8',
    });
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    expect(text).toMatch(/CA:FALSE/);
    expect(text).toMatch(/prime256v1|P-256/);

    const keyStat = statSync(join(dir, 'current', 'key.pem'));
    expect(keyStat.mode & 0o777).toBe(0o600);
    // The signer object carries no key material anyone could log.
    expect(JSON.stringify(id.signer)).not.toMatch(/PRIVATE/);
  });

  it('loads the same identity on the next run', async () => {
    const dir = fresh('reload');
    const a = await loadOrCreateIdentity(dir);
    const b = await loadOrCreateIdentity(dir);
    expect(b.fingerprintSha256).toBe(a.fingerprintSha256);
  });

  it('two concurrent first runs end with one identity', async () => {
    const dir = fresh('race');
    const [a, b] = await Promise.all([loadOrCreateIdentity(dir), loadOrCreateIdentity(dir)]);
    expect(a.fingerprintSha256).toBe(b.fingerprintSha256);
  });

  it('replaces an expired self-issued identity and archives the old one', async () => {
    const dir = fresh('expired');
    const a = await loadOrCreateIdentity(dir);
    const later = new Date(Date.now() + 11 * 365 * 864e5);
    const b = await loadOrCreateIdentity(dir, { now: () => later });
    expect(b.fingerprintSha256).not.toBe(a.fingerprintSha256);
    const archived = await listArchivedIdentities(dir);
    expect(archived).toHaveLength(1);
    expect(archived[0]).toContain(a.fingerprintSha256.slice(0, 16));
  });

  it('refuses a damaged identity with a clear error instead of silently replacing it', async () => {
    const dir = fresh('corrupt');
    await loadOrCreateIdentity(dir);
    writeFileSync(join(dir, 'current', 'certificate.pem'), 'garbage');
    await expect(loadOrCreateIdentity(dir)).rejects.toMatchObject({ code: 'IDENTITY_CORRUPT' });
  });
});

describe('Signer.signDetached', () => {
  const data = Buffer.from('以上笔录我看过，和我说的相符\n'.repeat(50), 'utf8');

  for (const keyType of ['ec-p256', 'rsa-3072'] as const) {
    it(`${keyType}: openssl cms -verify accepts it, and rejects it after one byte of data changes`, async () => {
      const id = await loadOrCreateIdentity(fresh(`sign-${keyType}`), { keyType });
      const sig = await id.signer.signDetached(data, {
        signingTime: new Date('2026-11-22T01:02:03Z'),
      });
      const ok = opensslVerify(id.signer, data, sig, `ok-${keyType}`);
      expect(ok.stderr).toMatch(/Verification successful/);
      expect(ok.status).toBe(0);

      const tampered = Buffer.from(data);
      tampered[10] = tampered[10]! ^ 0x01;
      const bad = opensslVerify(id.signer, tampered, sig, `bad-${keyType}`);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/digest failure|verification failure/i);

      // The signed attributes PAdES/CAdES baseline asks for are present.
      const printed = opensslPrint(sig, keyType);
      expect(printed).toMatch(/contentType/);
      expect(printed).toMatch(/messageDigest/);
      expect(printed).toMatch(/signingTime/);
      expect(printed).toMatch(/261101020[0-9]Z|2026/);
      expect(printed).toMatch(/id-smime-aa-signingCertificateV2|signingCertificateV2/);
      expect(printed).toMatch(/eContent: <ABSENT>/); // detached
    });
  }
});

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/** A small CA and a leaf it issued, exported to PKCS#12 by OpenSSL. */
function makeAgencyP12(
  tag: string,
  opts: {
    leafKeyUsage?: string;
    legacy?: boolean;
    withKey?: boolean;
    ec?: boolean;
    password?: string;
  } = {},
): Buffer {
  const d = join(work, `p12-${tag}`);
  execFileSync('mkdir', ['-p', d]);
  const p = (f: string): string => join(d, f);
  const keyAlg = opts.ec
    ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
    : ['-newkey', 'rsa:2048'];
  openssl([
    'req',
    '-x509',
    ...keyAlg,
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '3650',
    '-subj',
    '/CN=Agency Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl([
    'req',
    '-utf8',
    ...keyAlg,
    '-nodes',
    '-keyout',
    p('leaf.key'),
    '-out',
    p('leaf.csr'),
    '-subj',
    '/CN=执法工作站 Agency Room 1/O=某市市场监督管理局',
  ]);
  writeFileSync(
    p('ext.cnf'),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,${opts.leafKeyUsage ?? 'digitalSignature,nonRepudiation'}\n`,
  );
  openssl([
    'x509',
    '-req',
    '-in',
    p('leaf.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('leaf.pem'),
    '-days',
    '365',
    '-extfile',
    p('ext.cnf'),
  ]);
  const args = [
    'pkcs12',
    '-export',
    '-out',
    p('out.p12'),
    '-in',
    p('leaf.pem'),
    '-certfile',
    p('ca.pem'),
    '-passout',
    `pass:${opts.password ?? 's3cret'}`,
  ];
  if (opts.withKey !== false) args.push('-inkey', p('leaf.key'));
  else args.push('-nokeys');
  if (opts.legacy) {
    args.push('-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
  }
  openssl(args);
  return readFileSync(p('out.p12'));
}

describe('importPkcs12', () => {
  for (const variant of [
    { name: 'RSA, AES-256/PBKDF2 (OpenSSL 3 default)', opts: {} },
    { name: 'RSA, legacy 3DES/SHA-1', opts: { legacy: true } },
    { name: 'ECDSA P-256', opts: { ec: true } },
  ]) {
    it(`imports an agency certificate with its chain: ${variant.name}`, async () => {
      const dir = fresh(`import-${variant.name.replace(/\W+/g, '-')}`);
      const before = await loadOrCreateIdentity(dir);
      const tag = variant.name.replace(/\W+/g, '-');
      const p12 = makeAgencyP12(tag, variant.opts);
      const id = await importPkcs12(dir, p12, 's3cret');
      expect(id.source).toBe('pkcs12');
      expect(id.subject).toContain('某市市场监督管理局');
      expect(id.chainDer).toHaveLength(1);
      expect(new X509Certificate(id.chainDer[0]!).subject).toContain('Agency Test CA');
      // The certificate bytes are the ones OpenSSL put in (a re-encoding would change the
      // fingerprint and break every signature's signing-certificate attribute).
      const leafPem = readFileSync(join(work, `p12-${tag}`, 'leaf.pem'), 'utf8');
      expect(id.certificateDer.equals(Buffer.from(new X509Certificate(leafPem).raw))).toBe(true);

      // Old identity archived with its certificate, never deleted, but without its private
      // key (it signs nothing again); the new one survives a restart.
      const archived = await listArchivedIdentities(dir);
      expect(archived.some((a) => a.includes(before.fingerprintSha256.slice(0, 16)))).toBe(true);
      const retired = join(dir, 'archive', archived[0]!);
      expect(statSync(join(retired, 'certificate.pem')).isFile()).toBe(true);
      expect(existsSync(join(retired, 'key.pem'))).toBe(false);
      const reloaded = await loadOrCreateIdentity(dir);
      expect(reloaded.fingerprintSha256).toBe(id.fingerprintSha256);

      // A signature chains to the agency CA.
      const data = Buffer.from('听证笔录 hearing record');
      const sig = await reloaded.signer.signDetached(data);
      const res = opensslVerify(
        reloaded.signer,
        data,
        sig,
        `p12-${archived.length}-${variant.name.length}`,
      );
      expect(res.stderr).toMatch(/Verification successful/);
    });
  }

  for (const legacy of [false, true]) {
    it(`takes a Chinese password (${legacy ? '3DES' : 'AES/PBKDF2'}), as OpenSSL and Windows write it`, async () => {
      const p12 = makeAgencyP12(`zh-${legacy}`, { password: '执法口令2026', legacy });
      const id = await importPkcs12(fresh(`zh-${legacy}`), p12, '执法口令2026');
      expect(id.source).toBe('pkcs12');
    });
  }

  it('says the password is wrong', async () => {
    const p12 = makeAgencyP12('badpw');
    const err = await importPkcs12(fresh('badpw'), p12, 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityError);
    expect((err as IdentityError).code).toBe('PKCS12_BAD_PASSWORD');
  });

  it('refuses a file without a private key', async () => {
    const p12 = makeAgencyP12('nokey', { withKey: false });
    await expect(importPkcs12(fresh('nokey'), p12, 's3cret')).rejects.toMatchObject({
      code: 'PKCS12_NO_PRIVATE_KEY',
    });
  });

  it('refuses an expired certificate and keeps the current identity', async () => {
    const dir = fresh('p12-expired');
    const before = await loadOrCreateIdentity(dir);
    const p12 = makeAgencyP12('expired');
    const inTwoYears = new Date(Date.now() + 2 * 365 * 864e5);
    await expect(importPkcs12(dir, p12, 's3cret', { now: () => inTwoYears })).rejects.toMatchObject(
      { code: 'CERT_EXPIRED' },
    );
    expect((await loadOrCreateIdentity(dir)).fingerprintSha256).toBe(before.fingerprintSha256);
    expect(readdirSync(dir)).not.toContain('archive');
  });

  it('refuses a certificate whose key usage does not allow signing', async () => {
    const p12 = makeAgencyP12('ku', { leafKeyUsage: 'keyEncipherment' });
    await expect(importPkcs12(fresh('ku'), p12, 's3cret')).rejects.toMatchObject({
      code: 'CERT_KEY_USAGE',
    });
  });

  it('refuses bytes that are not PKCS#12', async () => {
    await expect(importPkcs12(fresh('junk'), Buffer.from('not a p12'), 'x')).rejects.toMatchObject({
      code: 'PKCS12_MALFORMED',
    });
  });
});

describe('private keys under the OS keystore', () => {
  it('keeps no plain private key, signs as before, and is locked without the keystore', async () => {
    const dir = fresh('keystore');
    const keystore = fakeKeystore();
    protectKeysWith(dir, keystore);
    try {
      const id = await loadOrCreateIdentity(dir);
      const current = join(dir, 'current');
      expect(existsSync(join(current, 'key.pem'))).toBe(false);
      const stored = readFileSync(join(current, 'key.protected'));
      expect(stored.toString('latin1')).not.toContain('PRIVATE KEY');
      expect(statSync(join(current, 'key.protected')).mode & 0o777).toBe(0o600);
      const again = await loadOrCreateIdentity(dir);
      expect(again.fingerprintSha256).toBe(id.fingerprintSha256);
      const data = Buffer.from('询问笔录');
      expect(
        opensslVerify(again.signer, data, await again.signer.signDetached(data), 'ks').stderr,
      ).toMatch(/Verification successful/);
      // The certificate request's key is protected too.
      await requestCertificate(dir, { commonName: 'Attest 工作站', organization: '某局' });
      expect(existsSync(join(dir, 'pending', 'key.pem'))).toBe(false);
      expect(existsSync(join(dir, 'pending', 'key.protected'))).toBe(true);
    } finally {
      protectKeysWith(dir, null);
    }
    await expect(loadOrCreateIdentity(dir)).rejects.toMatchObject({ code: 'IDENTITY_LOCKED' });
  });

  it('protects a plain key it finds, and removes the plain file', async () => {
    const dir = fresh('keystore-migrate');
    const plain = await loadOrCreateIdentity(dir);
    expect(existsSync(join(dir, 'current', 'key.pem'))).toBe(true);
    protectKeysWith(dir, fakeKeystore());
    try {
      const id = await loadOrCreateIdentity(dir);
      expect(id.fingerprintSha256).toBe(plain.fingerprintSha256);
      expect(existsSync(join(dir, 'current', 'key.pem'))).toBe(false);
      expect(existsSync(join(dir, 'current', 'key.protected'))).toBe(true);
    } finally {
      protectKeysWith(dir, null);
    }
  });
});
