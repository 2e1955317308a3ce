/**
 * A PKCS#10 certificate request for the workstation's key: what the app writes for the
 * agency's CA to sign, so that the private key never leaves the workstation. It asks for a
 * signing certificate (digitalSignature and nonRepudiation), as a self-issued one has.
 */
import type { KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  distinguishedName,
  KEY_USAGE,
  OID,
  signatureAlgorithmFor,
  signSha256,
} from './certificate';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

export interface RequestSubject {
  commonName: string;
  organization?: string;
}

export function createCertificationRequest(
  privateKey: KeyObject,
  publicKey: KeyObject,
  subject: RequestSubject,
): Buffer {
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  // UTF8String so that a Chinese agency name survives.
  csr.subject = distinguishedName([
    ...(subject.organization
      ? [[OID.organizationName, new asn1js.Utf8String({ value: subject.organization })] as const]
      : []),
    [OID.commonName, new asn1js.Utf8String({ value: subject.commonName })],
  ]);
  csr.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const keyUsage = new pkijs.Extension({
    extnID: OID.keyUsage,
    critical: true,
    extnValue: new asn1js.BitString({
      valueHex: new Uint8Array([
        (1 << (7 - KEY_USAGE.digitalSignature)) | (1 << (7 - KEY_USAGE.nonRepudiation)),
      ]),
      unusedBits: 6,
    }).toBER(false),
  });
  csr.attributes = [
    new pkijs.Attribute({
      type: EXTENSION_REQUEST,
      values: [new pkijs.Extensions({ extensions: [keyUsage] }).toSchema()],
    }),
  ];
  csr.signatureAlgorithm = signatureAlgorithmFor(privateKey);
  const tbs = (csr as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false);
  csr.tbsView = new Uint8Array(tbs);
  csr.signatureValue = new asn1js.BitString({
    valueHex: signSha256(privateKey, new Uint8Array(tbs)),
  });
  return Buffer.from(csr.toSchema(false).toBER(false));
}

/** PEM armour for a DER certificate request, as OpenSSL writes it. */
export function requestToPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}
