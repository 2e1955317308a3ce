import { createHash, randomBytes, sign as cryptoSign, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Object identifiers used by this module and the CMS signer. */
export const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  countryName: '2.5.4.6',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** Key usage bits as numbered in RFC 5280 §4.2.1.3. */
export const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  keyCertSign: 5,
} as const;

/** What a certificate says about itself, read once and kept with the identity. */
export interface CertificateInfo {
  /** Subject as one line, most significant part last (`CN=…, O=…`), for display. */
  subject: string;
  issuer: string;
  /** Lower-case hex SHA-256 of the DER certificate (what the officer compares on screen). */
  fingerprintSha256: string;
  serialNumberHex: string;
  notBefore: Date;
  notAfter: Date;
  /**
   * RFC 5280 key usage bit numbers present, or `null` when the certificate has no key usage
   * extension (which means any usage is allowed).
   */
  keyUsage: number[] | null;
}

/** The signature algorithm a key of this type signs certificates and CMS with (SHA-256 always). */
export function signatureAlgorithmFor(key: KeyObject): pkijs.AlgorithmIdentifier {
  switch (key.asymmetricKeyType) {
    case 'ec':
      // RFC 5758: ecdsa-with-SHA256 carries no parameters.
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
    case 'rsa':
      // RFC 4055: sha256WithRSAEncryption carries an explicit NULL.
      return new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256WithRsa,
        algorithmParams: new asn1js.Null(),
      });
    default:
      throw new Error(
        `Unsupported key type ${String(key.asymmetricKeyType)}: only RSA (PKCS#1 v1.5) and ECDSA keys can sign`,
      );
  }
}

/** Sign with SHA-256: PKCS#1 v1.5 for RSA, DER-encoded ECDSA-Sig-Value for EC (what CMS expects). */
export function signSha256(key: KeyObject, data: Uint8Array): Buffer {
  return cryptoSign('sha256', data, key);
}

/** Parse DER into a pkijs certificate, with an error that says what the input was meant to be. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch (err) {
    throw new Error(`Not a DER X.509 certificate: ${(err as Error).message}`, { cause: err });
  }
}

function keyUsageBits(cert: pkijs.Certificate): number[] | null {
  const ext = cert.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext) return null;
  const parsed = asn1js.fromBER(ext.extnValue.getValue());
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.BitString)) {
    throw new Error('Certificate key usage extension is malformed');
  }
  const bytes = new Uint8Array(parsed.result.valueBlock.valueHexView);
  const bits: number[] = [];
  bytes.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) bits.push(i * 8 + b);
  });
  return bits;
}

/** Read the facts the identity store and the signer need from a DER certificate. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  const x509 = new X509Certificate(der);
  const cert = parseCertificate(der);
  // Node prints one RDN per line, most significant first; one line reads better in the UI.
  const oneLine = (dn: string): string => dn.split('\n').reverse().join(', ');
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    serialNumberHex: x509.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    keyUsage: keyUsageBits(cert),
  };
}

/** Whether the certificate may make signatures (no key usage extension means it may). */
export function allowsSigning(info: CertificateInfo): boolean {
  return (
    info.keyUsage === null ||
    info.keyUsage.includes(KEY_USAGE.digitalSignature) ||
    info.keyUsage.includes(KEY_USAGE.nonRepudiation)
  );
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), whole seconds only. */
function certTime(date: Date): pkijs.Time {
  const value = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

/** Options for {@link createSelfIssuedCertificate}. */
export interface SelfIssuedOptions {
  commonName: string;
  organization?: string;
  /** Two-letter country code, e.g. `CN`. */
  country?: string;
  notBefore: Date;
  notAfter: Date;
  /**
   * A TLS server certificate instead of a signing one (the LAN signing tablet's HTTPS):
   * key usage digitalSignature, extended key usage serverAuth, and
   * these names in subjectAltName.
   */
  tlsServer?: { dns: string[]; ip: string[] };
}

/**
 * Make a self-issued end-entity certificate for `publicKey`, signed by `privateKey`.
 * It is a leaf (cA false) whose key usage allows only digitalSignature and nonRepudiation:
 * it identifies one workstation and signs documents, nothing else.
 */
export function createSelfIssuedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  options: SelfIssuedOptions,
): Buffer {
  const name = distinguishedName([
    ...(options.country
      ? [[OID.countryName, new asn1js.PrintableString({ value: options.country })] as const]
      : []),
    // UTF8String so that a Chinese agency name survives (RFC 5280 recommends UTF8String).
    ...(options.organization
      ? [[OID.organizationName, new asn1js.Utf8String({ value: options.organization })] as const]
      : []),
    [OID.commonName, new asn1js.Utf8String({ value: options.commonName })],
  ]);

  const cert = new pkijs.Certificate();
  cert.version = 2;
  // 16 random bytes, top bit cleared so the INTEGER is positive, never zero (RFC 5280 §4.1.2.2).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.issuer = name;
  cert.subject = name;
  cert.notBefore = certTime(options.notBefore);
  cert.notAfter = certTime(options.notAfter);

  const spki = publicKey.export({ type: 'spki', format: 'der' });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spki);
  const keyId = createHash('sha1')
    .update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();

  // A signing certificate: digitalSignature and nonRepudiation (bits 0 and 1). A TLS server
  // (an ECDHE handshake signs, never enciphers a key): digitalSignature alone.
  const kuByte = options.tlsServer
    ? 1 << (7 - KEY_USAGE.digitalSignature)
    : (1 << (7 - KEY_USAGE.digitalSignature)) | (1 << (7 - KEY_USAGE.nonRepudiation));
  const kuUnused = options.tlsServer ? 7 : 6;
  cert.extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: new asn1js.BitString({
        valueHex: new Uint8Array([kuByte]),
        unusedBits: kuUnused,
      }).toBER(false),
    }),
    ...(options.tlsServer ? tlsExtensions(options.tlsServer) : []),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: keyId }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.authorityKeyIdentifier,
      extnValue: new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: keyId }),
      })
        .toSchema()
        .toBER(false),
    }),
  ];

  cert.signature = signatureAlgorithmFor(privateKey);
  cert.signatureAlgorithm = signatureAlgorithmFor(privateKey);
  const tbs = cert.encodeTBS().toBER(false);
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureValue = new asn1js.BitString({
    valueHex: signSha256(privateKey, new Uint8Array(tbs)),
  });
  return Buffer.from(cert.toSchema(false).toBER(false));
}

/** serverAuth and the names a TLS client checks the certificate against. */
function tlsExtensions(names: { dns: string[]; ip: string[] }): pkijs.Extension[] {
  const ipBytes = (ip: string): Uint8Array => {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
      throw new Error(`not an IPv4 address: ${ip}`);
    }
    return new Uint8Array(parts);
  };
  const altNames = [
    ...names.dns.map((value) => new pkijs.GeneralName({ type: 2, value })),
    ...names.ip.map(
      (ip) =>
        new pkijs.GeneralName({
          type: 7,
          value: new asn1js.OctetString({ valueHex: ipBytes(ip) }),
        }),
    ),
  ];
  return [
    new pkijs.Extension({
      extnID: OID.extKeyUsage,
      extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [OID.serverAuth] }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectAltName,
      extnValue: new pkijs.GeneralNames({ names: altNames }).toSchema().toBER(false),
    }),
  ];
}

/**
 * A distinguished name with one attribute per RDN, most significant first (`C`, `O`, `CN`),
 * as CAs write them. (PKI.js would put every attribute into one multi-valued RDN, which
 * OpenSSL prints as `O=… + CN=…` and many tools match against nothing.)
 */
export function distinguishedName(
  parts: readonly (readonly [string, asn1js.BaseStringBlock])[],
): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: parts.map(
      ([type, value]) =>
        new asn1js.Set({
          value: [new pkijs.AttributeTypeAndValue({ type, value } as never).toSchema()],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}

/** PEM armour for a DER certificate (64-column base64, as OpenSSL writes it). */
export function certificateToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Every certificate in a PEM text, as DER, in order. */
export function pemToCertificates(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) {
    out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  }
  return out;
}
