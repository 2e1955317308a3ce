/**
 * The seal's signature: a detached CMS SignedData (RFC 5652) over tagmanifest-sha512.txt,
 * made by a {@link Signer} and verified here in Node with PKI.js, so `attest verify` needs
 * no openssl. (Anyone may still check it with `openssl cms -verify`; the tests do both.)
 */
import { X509Certificate, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** One engine over Node's WebCrypto, passed explicitly so no global default is relied on. */
const engine = new pkijs.CryptoEngine({
  name: 'attest-node',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

/**
 * Whether `leaf` chains, through `intermediates`, to one of `anchors`, valid at `at`: the
 * check the agency register makes of a certificate before the workstation signs with it.
 */
export async function chainsTo(
  leaf: Buffer,
  intermediates: readonly Buffer[],
  anchors: readonly Buffer[],
  at: Date,
): Promise<{ ok: boolean; error: string | null }> {
  if (!anchors.length) return { ok: false, error: 'no trusted certificate to chain to' };
  const cert = (d: Buffer) => pkijs.Certificate.fromBER(new Uint8Array(d));
  try {
    const r = await new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors.map(cert),
      certs: [cert(leaf), ...intermediates.map(cert)],
      checkDate: at,
    }).verify({}, engine);
    return { ok: r.result, error: r.result ? null : r.resultMessage || 'no chain' };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function arrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Who signed, as shown in a report. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 of the DER certificate, colon-separated hex (as `openssl x509 -fingerprint -sha256`). */
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
}

export function summariseCertificate(der: Buffer): CertificateSummary {
  const c = new X509Certificate(der);
  return {
    subject: c.subject.replace(/\n/g, ', '),
    issuer: c.issuer.replace(/\n/g, ', '),
    serialNumber: c.serialNumber,
    fingerprintSha256: c.fingerprint256,
    notBefore: new Date(c.validFrom).toISOString(),
    notAfter: new Date(c.validTo).toISOString(),
  };
}

export interface CmsVerification {
  /** The signature over the content holds (digest and signature both). */
  signatureValid: boolean;
  /**
   * Whether the signer's certificate chains to one of the trust anchors given; null when no
   * anchors were given (the report then shows the fingerprint for a person to compare with
   * the agency's register of workstation certificates).
   */
  chainValid: boolean | null;
  signer: CertificateSummary | null;
  signerDer: Buffer | null;
  signingTime: Date | null;
  /** Why it failed, in plain words; null when it did not. */
  error: string | null;
}

/** Parses DER into a PKI.js SignedData, or throws with a plain reason. */
export function parseSignedData(der: Buffer): pkijs.SignedData {
  const asn = asn1js.fromBER(arrayBuffer(der));
  if (asn.offset === -1) throw new Error('not DER-encoded ASN.1');
  const ci = new pkijs.ContentInfo({ schema: asn.result });
  if (ci.contentType !== OID_SIGNED_DATA) {
    throw new Error(`not CMS SignedData (content type ${ci.contentType})`);
  }
  return new pkijs.SignedData({ schema: ci.content });
}

function signingTimeOf(sd: pkijs.SignedData): Date | null {
  const attr = sd.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const v = attr?.values[0] as { toDate?: () => Date } | undefined;
  return v?.toDate ? v.toDate() : null;
}

/**
 * Verifies a detached CMS signature over `content`. With `trustAnchors` (DER), the signer's
 * certificate must also chain to one of them, at the signing time when the signature states
 * one (a workstation certificate that expires later must not void old seals).
 */
export async function verifyDetachedCms(
  cmsDer: Buffer,
  content: Buffer,
  opts: { trustAnchors?: readonly Buffer[] } = {},
): Promise<CmsVerification> {
  const result: CmsVerification = {
    signatureValid: false,
    chainValid: null,
    signer: null,
    signerDer: null,
    signingTime: null,
    error: null,
  };
  let sd: pkijs.SignedData;
  try {
    sd = parseSignedData(cmsDer);
  } catch (e) {
    result.error = `the signature file cannot be read: ${(e as Error).message}`;
    return result;
  }
  if (sd.encapContentInfo.eContent) {
    result.error =
      'the signature is not detached (it embeds content instead of signing the tag manifest)';
    return result;
  }
  if (sd.signerInfos.length !== 1) {
    result.error = `expected exactly one signer, found ${sd.signerInfos.length}`;
    return result;
  }
  result.signingTime = signingTimeOf(sd);
  try {
    const r = await sd.verify(
      { signer: 0, data: arrayBuffer(content), extendedMode: true, checkChain: false },
      engine,
    );
    result.signatureValid = r.signatureVerified === true;
    if (r.signerCertificate) {
      result.signerDer = Buffer.from(r.signerCertificate.toSchema().toBER(false));
    }
    if (!result.signatureValid)
      result.error = r.message || 'the signature does not match the tag manifest';
  } catch (e) {
    const err = e as pkijs.SignedDataVerifyError | Error;
    if ('signerCertificate' in err && err.signerCertificate) {
      result.signerDer = Buffer.from(err.signerCertificate.toSchema().toBER(false));
    }
    result.error = `the signature does not verify: ${err.message}`;
  }
  if (result.signerDer) {
    try {
      result.signer = summariseCertificate(result.signerDer);
    } catch {
      // summary only; the signature result stands
    }
  }
  if (opts.trustAnchors && opts.trustAnchors.length > 0 && result.signatureValid) {
    try {
      const r = await sd.verify(
        {
          signer: 0,
          data: arrayBuffer(content),
          extendedMode: true,
          checkChain: true,
          trustedCerts: opts.trustAnchors.map(
            (d) => new pkijs.Certificate({ schema: asn1js.fromBER(arrayBuffer(d)).result }),
          ),
          ...(result.signingTime ? { checkDate: result.signingTime } : {}),
        },
        engine,
      );
      result.chainValid = r.signerCertificateVerified === true;
      if (!result.chainValid)
        result.error = r.message || 'the signer is not one of the trusted certificates';
    } catch (e) {
      result.chainValid = false;
      result.error = `the signer's certificate does not chain to a trusted certificate: ${(e as Error).message}`;
    }
  }
  return result;
}
