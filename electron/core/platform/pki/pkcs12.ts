import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** Why an identity could not be loaded or imported; `code` is stable, `message` is for people. */
export type IdentityErrorCode =
  | 'PKCS12_MALFORMED'
  | 'PKCS12_BAD_PASSWORD'
  | 'PKCS12_NO_PRIVATE_KEY'
  | 'PKCS12_NO_MATCHING_CERTIFICATE'
  | 'CERT_NOT_YET_VALID'
  | 'CERT_EXPIRED'
  | 'CERT_KEY_USAGE'
  | 'UNSUPPORTED_KEY'
  | 'IDENTITY_CORRUPT'
  | 'NOT_A_CERTIFICATE'
  | 'NO_PENDING_REQUEST'
  | 'CERT_KEY_MISMATCH'
  | 'CERT_NOT_TRUSTED'
  | 'IDENTITY_LOCKED';

/** An error the identity store raises on purpose, with a code the UI can translate. */
export class IdentityError extends Error {
  readonly code: IdentityErrorCode;
  constructor(code: IdentityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityError';
    this.code = code;
  }
}

/** The useful content of a PKCS#12 file. */
export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** The certificate whose public key matches `privateKey`. */
  certificateDer: Buffer;
  /** The other certificates, issuer of the leaf first, then upwards, then any unrelated ones. */
  chainDer: Buffer[];
}

/** DER of a parsed certificate; forge re-encodes the original TBS, so DER input round-trips. */
function derOf(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/**
 * Decode a PKCS#12 (.p12/.pfx) file. node-forge does the work because it reads both the
 * modern format (PBES2 with AES, HMAC-SHA-256, OpenSSL 3's default) and the legacy one
 * (3DES and RC2-40 with SHA-1) that Windows and many CAs still export; WebCrypto-based
 * libraries cannot do RC2 or 3DES, and OpenSSL 3 in Node has no RC2 without the legacy
 * provider.
 */
export function parsePkcs12(p12: Uint8Array, password: string): Pkcs12Contents {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  // forge hands PBES2 (PBKDF2) the password as a byte string, one byte per character, so a
  // Chinese password fails there although the MAC (BMPString, per RFC 7292) accepts it.
  // OpenSSL and Windows feed PBKDF2 the UTF-8 bytes; do the same, for this call only (forge
  // is synchronous, nothing else runs in between). ASCII passwords are unchanged.
  const pbe = (
    forge.pki as unknown as {
      pbe: { getCipherForPBES2: (oid: string, params: unknown, password: string) => unknown };
    }
  ).pbe;
  const pbes2 = pbe.getCipherForPBES2;
  pbe.getCipherForPBES2 = (oid, params, pw) => pbes2(oid, params, forge.util.encodeUtf8(pw));
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (/MAC could not be verified|Invalid password|wrong password|decrypt/i.test(msg)) {
      throw new IdentityError(
        'PKCS12_BAD_PASSWORD',
        '证书口令错误 The PKCS#12 password is wrong (or the file is damaged).',
        { cause: err },
      );
    }
    throw new IdentityError(
      'PKCS12_MALFORMED',
      `不是有效的 PKCS#12 文件 Not a readable PKCS#12 file: ${msg}`,
      { cause: err },
    );
  } finally {
    pbe.getCipherForPBES2 = pbes2;
  }

  const keys: KeyObject[] = [];
  const certs: Buffer[] = [];
  for (const safe of parsed.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        // forge parses RSA certificates only; for others it passes the ASN.1 through.
        const raw = (bag as { asn1?: forge.asn1.Asn1 }).asn1;
        if (bag.cert) certs.push(derOf(bag.cert));
        else if (raw) certs.push(Buffer.from(forge.asn1.toDer(raw).getBytes(), 'binary'));
      }
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        // forge understands RSA keys only; for others (EC) it hands back the decrypted
        // PrivateKeyInfo, which Node's crypto reads directly.
        const info = bag.key
          ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
          : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
        if (!info) continue;
        const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
        try {
          keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
        } catch (err) {
          throw new IdentityError(
            'UNSUPPORTED_KEY',
            `不支持的私钥类型 Unsupported private key in the PKCS#12 file: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
    }
  }
  if (keys.length === 0) {
    throw new IdentityError(
      'PKCS12_NO_PRIVATE_KEY',
      '文件中没有私钥 The PKCS#12 file holds no private key (export it with the private key).',
    );
  }

  for (const key of keys) {
    const leafIndex = certs.findIndex((c) => new X509Certificate(c).checkPrivateKey(key));
    if (leafIndex === -1) continue;
    const leaf = certs[leafIndex]!;
    const rest = certs.filter((_, i) => i !== leafIndex);
    return { privateKey: key, certificateDer: leaf, chainDer: orderChain(leaf, rest) };
  }
  throw new IdentityError(
    'PKCS12_NO_MATCHING_CERTIFICATE',
    '私钥与证书不匹配 No certificate in the PKCS#12 file matches its private key.',
  );
}

/** Put the issuer of `leaf` first, its issuer next, and so on; leftovers go last. */
function orderChain(leaf: Buffer, others: Buffer[]): Buffer[] {
  const remaining = [...others];
  const ordered: Buffer[] = [];
  let current = new X509Certificate(leaf);
  for (;;) {
    if (current.issuer === current.subject) break; // self-issued: top of the chain
    const idx = remaining.findIndex((c) => current.checkIssued(new X509Certificate(c)));
    if (idx === -1) break;
    const [next] = remaining.splice(idx, 1);
    ordered.push(next!);
    current = new X509Certificate(next!);
  }
  return [...ordered, ...remaining];
}
