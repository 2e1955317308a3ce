/**
 * Who vouches for this workstation's seals (R4.3): the agency's certificate register (its
 * CAs and the workstation certificates it accepts), the workstation's own certificate (made
 * here, imported, or issued by the agency's CA for a request made here) and the
 * time-stamping authority. Administrators change them; every change is audited.
 */
import { z } from 'zod';
import { ADMINS, SUPERVISORS, events, method } from './define';
import { empty } from '../schema';

export type RegisterEntryKindDto = 'ca' | 'workstation';

export interface RegisterEntryDto {
  id: number;
  kind: RegisterEntryKindDto;
  subject: string;
  fingerprintSha256: string;
  notBefore: number;
  notAfter: number;
  addedAt: number;
  addedBy: string;
  withdrawn: { at: number; by: string; reason: string } | null;
}

export interface WorkstationCertificateDto {
  subject: string;
  issuer: string;
  fingerprintSha256: string;
  notAfter: number;
  source: 'self-issued' | 'pkcs12' | 'agency-issued';
  /** Whether the agency register vouches for it (a CA of the register issued it, or it is listed). */
  vouchedByRegister: boolean;
}

export interface TrustStatusDto {
  /** Null before the first seal or signed PDF made one. */
  workstation: WorkstationCertificateDto | null;
  register: RegisterEntryDto[];
  /** SHA-256 of the register file every disc and replica carries (null while it is empty). */
  registerSha256: string | null;
  /** The certificate request waiting for the agency's CA, if any. */
  pendingRequest: { requestPem: string; subject: string; createdAt: string } | null;
  /** The RFC 3161 time-stamping authority seals are stamped by, and where that setting comes from. */
  timeStampAuthority: { url: string; from: 'settings' | 'environment' } | null;
  /**
   * What protects secrets at rest (storage passwords and keys, the workstation's private
   * key): the OS keystore, or nothing; then secrets are stored only once an administrator
   * accepted plain storage (who, when, why).
   */
  keystore: {
    backend: string | null;
    plainAccepted: { at: number; by: string; reason: string } | null;
  };
}

const pemText = z
  .string()
  .max(200_000)
  .refine((t) => t.includes('-----BEGIN CERTIFICATE-----'), {
    message:
      '请粘贴 PEM 格式的证书 paste the certificate as PEM text (-----BEGIN CERTIFICATE-----)',
  });

export const trustMethods = {
  'trust.status': method<TrustStatusDto>()(empty, SUPERVISORS),
  /**
   * The register as the file every disc and replica carries (`agency-register.json`), for
   * `attest verify --register` elsewhere; null while it is empty.
   */
  'trust.registerFile': method<{ text: string; sha256: string } | null>()(empty, SUPERVISORS),
  /** Adds a CA of the agency, or one workstation certificate it accepts, to the register. */
  'trust.addToRegister': method<RegisterEntryDto>()(
    z.object({ kind: z.enum(['ca', 'workstation']), certificatePem: pemText }).strict(),
    ADMINS,
  ),
  /** Withdraws an entry: it vouches for nothing signed from now on; it stays listed. */
  'trust.withdraw': method<RegisterEntryDto>()(
    z
      .object({ id: z.number().int().positive(), reason: z.string().trim().min(2).max(500) })
      .strict(),
    ADMINS,
  ),
  /** Makes a new key and a certificate request (PKCS#10) for the agency's CA to sign. */
  'trust.requestCertificate': method<{ requestPem: string }>()(
    z
      .object({
        commonName: z.string().trim().min(2).max(64),
        organization: z.string().trim().min(2).max(64),
      })
      .strict(),
    ADMINS,
  ),
  /** Installs the certificate the agency's CA issued for the request; it must chain to the register. */
  'trust.installCertificate': method<WorkstationCertificateDto>()(
    z.object({ certificatePem: pemText }).strict(),
    ADMINS,
  ),
  /** Imports an agency certificate with its key (PKCS#12); it must chain to the register. */
  'trust.importPkcs12': method<WorkstationCertificateDto>()(
    z
      .object({ fileBase64: z.string().max(200_000).base64(), password: z.string().max(256) })
      .strict(),
    ADMINS,
  ),
  /**
   * Where the operating system offers no keystore: accepts, for this workstation, that
   * storage secrets are kept in the case store unencrypted (readable by this OS account).
   */
  'trust.acceptPlainSecrets': method<TrustStatusDto['keystore']>()(
    z.object({ reason: z.string().trim().min(4).max(500) }).strict(),
    ADMINS,
  ),
  /** Sets (or, with null, clears) the time-stamping authority every seal is stamped by. */
  'trust.setTimeStampAuthority': method<TrustStatusDto['timeStampAuthority']>()(
    z
      .object({
        url: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .nullable(),
      })
      .strict(),
    ADMINS,
  ),
} as const;

export interface TrustEvents {
  'trust.changed': Record<string, never>;
}
export const TRUST_EVENTS = events<TrustEvents>()(['trust.changed']);
