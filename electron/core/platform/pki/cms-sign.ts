import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, parseCertificate, signatureAlgorithmFor, signSha256 } from './certificate';

/**
 * Something that signs bytes as a CMS detached signature. The workstation identity is one;
 * a smart card or a remote signing service can be another. PDF sealing, the sealed bundle's
 * tag-manifest signature and anything else that signs depend on this port only.
 */
export interface Signer {
  /** DER certificate of the signer and the chain above it (may be empty). */
  certificateDer: Buffer;
  chainDer: Buffer[];
  /** CMS SignedData (DER), detached content, SHA-256, with signed attributes contentType, messageDigest, signingTime and ESS signing-certificate-v2 (PAdES/CAdES baseline). */
  signDetached(data: Buffer, opts?: { signingTime?: Date }): Promise<Buffer>;
}

const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** UTCTime up to 2049, GeneralizedTime after (RFC 5652 §11.3), whole seconds. */
function cmsTime(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const valueDate = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return valueDate.getUTCFullYear() < 2050
    ? new asn1js.UTCTime({ valueDate })
    : new asn1js.GeneralizedTime({ valueDate });
}

/**
 * ESS SigningCertificateV2 (RFC 5035): binds the signature to the exact signer certificate,
 * which CAdES and PAdES baseline require so a certificate with the same key cannot be
 * substituted. hashAlgorithm is omitted because SHA-256 is its DEFAULT (DER forbids
 * encoding a default).
 */
function signingCertificateV2(cert: pkijs.Certificate, certDer: Uint8Array): asn1js.Sequence {
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames ::= SEQUENCE OF GeneralName; directoryName is [4] EXPLICIT Name.
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [cert.issuer.toSchema()],
          }),
        ],
      }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * Order attributes as DER requires for a SET OF (ascending by encoding). Verifiers such as
 * OpenSSL re-encode the parsed attributes before checking the signature, so an unsorted
 * set would fail there even though the bytes we signed were consistent.
 */
function derSorted(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attrs.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return encoded.map((e) => e.a);
}

/**
 * Build a CMS SignedData over `data` (detached) signed by `privateKey`.
 * Exposed for tests and for signers whose key lives elsewhere (pass a function).
 */
export function buildSignedData(
  data: Uint8Array,
  certificateDer: Uint8Array,
  chainDer: readonly Uint8Array[],
  sign: (toBeSigned: Uint8Array) => Buffer,
  signatureAlgorithm: pkijs.AlgorithmIdentifier,
  signingTime: Date,
): Buffer {
  const cert = parseCertificate(certificateDer);
  const digest = createHash('sha256').update(data).digest();
  const attrs = derSorted([
    attribute(CMS_OID.contentType, new asn1js.ObjectIdentifier({ value: CMS_OID.data })),
    attribute(CMS_OID.signingTime, cmsTime(signingTime)),
    attribute(CMS_OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(CMS_OID.signingCertificateV2, signingCertificateV2(cert, certificateDer)),
  ]);
  // The signature covers the attributes encoded as a plain SET (tag 0x31), not as the
  // [0] IMPLICIT field they travel in (RFC 5652 §5.4).
  const toBeSigned = new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER(false);
  const signature = sign(new Uint8Array(toBeSigned));

  const sha256 = (): pkijs.AlgorithmIdentifier =>
    new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
    }),
    digestAlgorithm: sha256(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
    certificates: [cert, ...chainDer.map((c) => parseCertificate(c))],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: CMS_OID.signedData,
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

/**
 * A {@link Signer} backed by a private key held in this process.
 * The key never leaves the closure; nothing here logs it.
 */
/** A signer whose key is in this process: it can also sign synchronously (at shutdown). */
export interface KeySigner extends Signer {
  signDetachedSync(data: Buffer, opts?: { signingTime?: Date }): Buffer;
}

export function createKeySigner(
  privateKey: KeyObject,
  certificateDer: Buffer,
  chainDer: Buffer[],
  now: () => Date = () => new Date(),
): KeySigner {
  const algorithm = signatureAlgorithmFor(privateKey);
  const signDetachedSync = (data: Buffer, opts?: { signingTime?: Date }) =>
    buildSignedData(
      data,
      certificateDer,
      chainDer,
      (tbs) => signSha256(privateKey, tbs),
      algorithm,
      opts?.signingTime ?? now(),
    );
  return {
    certificateDer,
    chainDer,
    signDetachedSync,
    // async so that a failure arrives as a rejected promise, never as a synchronous throw.
    async signDetached(data, opts) {
      return signDetachedSync(data, opts);
    },
  };
}
