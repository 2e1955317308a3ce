/**
 * RFC 3161 time-stamping of the tag manifest, when the agency configures a time-stamping
 * authority (TSA). The token proves the bag existed at the TSA's time, independently of the
 * workstation's clock. Request and response are built and checked with PKI.js; the HTTP
 * transport is RFC 3161 §3.4 (POST application/timestamp-query).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { summariseCertificate, type CertificateSummary } from './cms-verify';

const OIDS = { sha256: '2.16.840.1.101.3.4.2.1', sha512: '2.16.840.1.101.3.4.2.3' } as const;
export type TsaHash = keyof typeof OIDS;

const engine = new pkijs.CryptoEngine({
  name: 'attest-node-tsa',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

function arrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export interface TsaOptions {
  /** The TSA's http(s) URL. */
  url: string;
  /** Message imprint algorithm; SHA-256 is what every TSA accepts. */
  hash?: TsaHash;
  /** Requested policy OID, when the TSA needs one. */
  policy?: string;
  timeoutMs?: number;
}

/** A DER TimeStampReq over `data` with a random nonce and `certReq` set (so the token carries the TSA's certificate). */
export function buildTimestampRequest(
  data: Buffer,
  opts: { hash?: TsaHash; policy?: string; nonce?: Buffer } = {},
): { der: Buffer; nonce: Buffer } {
  const hash = opts.hash ?? 'sha256';
  const nonce = Buffer.from(opts.nonce ?? randomBytes(8));
  nonce[0]! &= 0x7f; // a positive INTEGER
  if (nonce[0] === 0) nonce[0] = 1;
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OIDS[hash] }),
      hashedMessage: new asn1js.OctetString({
        valueHex: arrayBuffer(createHash(hash).update(data).digest()),
      }),
    }),
    nonce: new asn1js.Integer({ valueHex: arrayBuffer(nonce) }),
    certReq: true,
    ...(opts.policy ? { reqPolicy: opts.policy } : {}),
  });
  return { der: Buffer.from(req.toSchema().toBER(false)), nonce };
}

export class TsaError extends Error {}

/** Asks the TSA for a token over `data`; returns the DER TimeStampResp (checked with {@link verifyTimestampResponse}). */
export async function requestTimestamp(data: Buffer, opts: TsaOptions): Promise<Buffer> {
  const url = new URL(opts.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TsaError(`a TSA URL must be http or https, not ${url.protocol}`);
  }
  const { der, nonce } = buildTimestampRequest(data, opts);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/timestamp-query',
      accept: 'application/timestamp-reply',
    },
    // A copy on its own ArrayBuffer: what fetch's BodyInit accepts under every lib typing.
    body: new Uint8Array(der),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
  });
  if (!res.ok) throw new TsaError(`the TSA answered HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  const check = await verifyTimestampResponse(body, data, { nonce });
  if (!check.valid) throw new TsaError(`the TSA's answer does not hold: ${check.error}`);
  return body;
}

export interface TimestampVerification {
  valid: boolean;
  /** The TSA's time. */
  genTime: Date | null;
  serialNumber: string | null;
  policy: string | null;
  tsa: CertificateSummary | null;
  /** Whether the TSA certificate chains to a given anchor; null when none were given. */
  chainValid: boolean | null;
  error: string | null;
}

function integerHex(i: asn1js.Integer): string {
  return Buffer.from(i.valueBlock.valueHexView).toString('hex');
}

/**
 * Checks a TimeStampResp: status granted, the token's signature holds, the imprint is the
 * hash of `data`, and (for a fresh request) the nonce matches.
 */
export async function verifyTimestampResponse(
  respDer: Buffer,
  data: Buffer,
  opts: { nonce?: Buffer; trustAnchors?: readonly Buffer[] } = {},
): Promise<TimestampVerification> {
  const out: TimestampVerification = {
    valid: false,
    genTime: null,
    serialNumber: null,
    policy: null,
    tsa: null,
    chainValid: null,
    error: null,
  };
  try {
    const asn = asn1js.fromBER(arrayBuffer(respDer));
    if (asn.offset === -1) throw new Error('not DER-encoded ASN.1');
    const resp = new pkijs.TimeStampResp({ schema: asn.result });
    const status = resp.status.status;
    if (status !== 0 && status !== 1) throw new Error(`the TSA refused (status ${status})`);
    if (!resp.timeStampToken) throw new Error('the answer holds no token');
    const sd = new pkijs.SignedData({ schema: resp.timeStampToken.content });
    const eContent = sd.encapContentInfo.eContent;
    if (!eContent) throw new Error('the token holds no TSTInfo');
    const tstDer = eContent.idBlock.isConstructed
      ? Buffer.concat(
          (eContent.valueBlock.value as asn1js.OctetString[]).map((p) =>
            Buffer.from(p.valueBlock.valueHexView),
          ),
        )
      : Buffer.from(eContent.valueBlock.valueHexView);
    const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(arrayBuffer(tstDer)).result });
    out.genTime = tst.genTime;
    out.serialNumber = integerHex(tst.serialNumber);
    out.policy = tst.policy;
    if (!(await tst.verify({ data: arrayBuffer(data) }, engine))) {
      throw new Error('the token is for different data (message imprint mismatch)');
    }
    if (opts.nonce && (!tst.nonce || integerHex(tst.nonce) !== opts.nonce.toString('hex'))) {
      throw new Error('the nonce does not match the request');
    }
    const anchors = opts.trustAnchors ?? [];
    const r = await sd.verify(
      {
        signer: 0,
        // PKI.js re-checks the TSTInfo imprint against the time-stamped data.
        data: arrayBuffer(data),
        extendedMode: true,
        checkChain: anchors.length > 0,
        trustedCerts: anchors.map(
          (d) => new pkijs.Certificate({ schema: asn1js.fromBER(arrayBuffer(d)).result }),
        ),
        checkDate: tst.genTime,
      },
      engine,
    );
    if (r.signerCertificate) {
      out.tsa = summariseCertificate(Buffer.from(r.signerCertificate.toSchema().toBER(false)));
    }
    if (!r.signatureVerified) throw new Error(r.message || 'the token signature does not verify');
    if (anchors.length > 0) out.chainValid = r.signerCertificateVerified === true;
    out.valid = true;
  } catch (e) {
    out.error = (e as Error).message;
  }
  return out;
}
