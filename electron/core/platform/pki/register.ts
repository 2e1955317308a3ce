/**
 * The agency certificate register as a file: what travels with the evidence (on every disc,
 * beside every replica) so that a bundle can be verified far from the workstation that
 * sealed it, by anyone who holds the register.
 *
 * The file is canonical: the same entries always give the same bytes, so its SHA-256 names
 * the register (the disc label prints it; `attest verify --expect-register` pins it). It is
 * not signed: a register vouches only as far as the person verifying trusts it, by its hash
 * or by its CA fingerprints compared with the agency's published ones.
 *
 * An entry is a CA of the agency (a seal whose signer chains to it is the agency's) or one
 * workstation certificate the agency accepts. A withdrawn entry stays listed, with the time
 * of its withdrawal, and vouches for nothing.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { certificateToPem, describeCertificate, pemToCertificates } from './certificate';

export const REGISTER_FORMAT = 'attest-agency-register/1';
/** The register's file name on discs and replicas. */
export const REGISTER_FILE = 'agency-register.json';

export type RegisterEntryKind = 'ca' | 'workstation';

export interface RegisterEntry {
  kind: RegisterEntryKind;
  subject: string;
  /** Lower-case hex SHA-256 of the DER certificate. */
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** ISO time of the withdrawal, or null while the entry vouches. */
  withdrawnAt: string | null;
  certificatePem: string;
}

export interface AgencyRegister {
  format: typeof REGISTER_FORMAT;
  entries: RegisterEntry[];
}

export class RegisterError extends Error {}

/** A register entry for a DER certificate. */
export function registerEntry(
  kind: RegisterEntryKind,
  der: Uint8Array,
  withdrawnAt: Date | null = null,
): RegisterEntry {
  const info = describeCertificate(der);
  return {
    kind,
    subject: info.subject,
    fingerprintSha256: info.fingerprintSha256,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    withdrawnAt: withdrawnAt?.toISOString() ?? null,
    certificatePem: certificateToPem(der),
  };
}

/** The canonical text of a register: entries by fingerprint, keys in a fixed order. */
export function registerText(entries: readonly RegisterEntry[]): string {
  const sorted = [...entries].sort((a, b) =>
    a.fingerprintSha256.localeCompare(b.fingerprintSha256),
  );
  const register: AgencyRegister = {
    format: REGISTER_FORMAT,
    entries: sorted.map((e) => ({
      kind: e.kind,
      subject: e.subject,
      fingerprintSha256: e.fingerprintSha256,
      notBefore: e.notBefore,
      notAfter: e.notAfter,
      withdrawnAt: e.withdrawnAt,
      certificatePem: e.certificatePem,
    })),
  };
  return `${JSON.stringify(register, null, 2)}\n`;
}

/** The register's name: the SHA-256 of its file, lower-case hex. */
export function registerSha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads a register file. Every entry's certificate must parse and match the fingerprint it
 * is listed under; anything else is refused whole (a register is trusted or not, never in
 * part).
 */
export function parseRegister(text: string): AgencyRegister {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RegisterError(`not a register file: ${(e as Error).message}`);
  }
  const r = raw as Partial<AgencyRegister> | null;
  if (!r || r.format !== REGISTER_FORMAT || !Array.isArray(r.entries)) {
    throw new RegisterError(`not a register file: the format is not ${REGISTER_FORMAT}`);
  }
  const entries = r.entries.map((e, i): RegisterEntry => {
    const where = `entry ${i + 1}`;
    if (e?.kind !== 'ca' && e?.kind !== 'workstation')
      throw new RegisterError(`${where}: kind must be "ca" or "workstation"`);
    const [der, ...more] = pemToCertificates(String(e.certificatePem ?? ''));
    if (!der || more.length) throw new RegisterError(`${where}: one certificate expected`);
    let fingerprint: string;
    try {
      fingerprint = createHash('sha256').update(new X509Certificate(der).raw).digest('hex');
    } catch (err) {
      throw new RegisterError(
        `${where}: the certificate does not parse: ${(err as Error).message}`,
      );
    }
    if (fingerprint !== e.fingerprintSha256)
      throw new RegisterError(
        `${where}: listed as ${String(e.fingerprintSha256)}, the certificate is ${fingerprint}`,
      );
    const withdrawnAt = e.withdrawnAt ?? null;
    if (withdrawnAt !== null && Number.isNaN(Date.parse(withdrawnAt)))
      throw new RegisterError(`${where}: withdrawnAt is not a time`);
    return registerEntry(e.kind, der, withdrawnAt === null ? null : new Date(withdrawnAt));
  });
  return { format: REGISTER_FORMAT, entries };
}

/** What a register vouches with: its CAs' certificates and its workstations' fingerprints. */
export function registerTrust(register: AgencyRegister): {
  anchors: Buffer[];
  fingerprints: string[];
} {
  const live = register.entries.filter((e) => e.withdrawnAt === null);
  return {
    anchors: live
      .filter((e) => e.kind === 'ca')
      .flatMap((e) => pemToCertificates(e.certificatePem)),
    fingerprints: live.filter((e) => e.kind === 'workstation').map((e) => e.fingerprintSha256),
  };
}
