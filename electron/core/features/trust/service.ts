/**
 * Who vouches for this workstation's seals: the agency certificate register, the
 * workstation's certificate and the time-stamping authority (R4.3). Other features read
 * the register (to verify, and to carry it on discs and replicas) and the authority (to
 * stamp seals) through this service; only administrators change them, each change audited.
 */
import { X509Certificate } from 'node:crypto';
import type {
  RegisterEntryDto,
  TrustStatusDto,
  WorkstationCertificateDto,
} from '../../../shared/api/trust';
import { AppError } from '../../../shared/errors';
import { chainsTo } from '../../platform/pki/cms-verify';
import { describeCertificate, pemToCertificates } from '../../platform/pki/certificate';
import {
  currentIdentity,
  IdentityError,
  importPkcs12,
  installIssuedCertificate,
  pendingRequest,
  registerEntry,
  REGISTER_FORMAT,
  registerSha256,
  registerText,
  requestCertificate,
  type AgencyRegister,
  type WorkstationIdentity,
} from '../../platform/pki';
import type { Keystore } from '../../platform/keystore';
import type { TsaOptions } from '../../platform/pki/tsa';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';
import { userDisplayName } from '../users';
import {
  insertRegisterEntry,
  registerRow,
  registerRows,
  setTrustSetting,
  trustSetting,
  trustSettingRow,
  withdrawRegisterEntry,
  type RegisterRow,
} from './store';
import type { AuditAction } from '../../../shared/audit-actions';

export interface TrustOptions {
  /** Where the workstation identity lives (shared with sealing and signing). */
  identityDir: string;
  /** A time-stamping authority given by the environment (`ATTEST_TSA_URL`), used when none is set here. */
  environmentTsaUrl?: string | undefined;
  /** The OS keystore protecting secrets at rest, when there is one. */
  keystore?: Keystore | undefined;
}

export class TrustService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly opts: TrustOptions,
  ) {}

  // -------------------------------------------------------------------------------------
  // What other features read

  /** The register as the file discs and replicas carry, or null while it is empty. */
  registerFile(): { text: string; sha256: string } | null {
    const register = this.register();
    if (!register) return null;
    const text = registerText(register.entries);
    return { text, sha256: registerSha256(text) };
  }

  /** The register, for verification here; null while it is empty. */
  register(): AgencyRegister | null {
    const rows = registerRows(this.deps.db);
    if (!rows.length) return null;
    return {
      format: REGISTER_FORMAT,
      entries: rows.map((r) =>
        registerEntry(r.kind, r.der, r.withdrawn_at === null ? null : new Date(r.withdrawn_at)),
      ),
    };
  }

  /** The time-stamping authority seals are stamped by, or undefined when there is none. */
  tsa(): TsaOptions | undefined {
    const authority = this.timeStampAuthority();
    return authority ? { url: authority.url } : undefined;
  }

  /** The authority in the trust settings, else the environment's, and which it is. */
  private timeStampAuthority(): TrustStatusDto['timeStampAuthority'] {
    const stored = trustSetting(this.deps.db, 'tsa_url');
    const env = this.opts.environmentTsaUrl;
    return stored
      ? { url: stored, from: 'settings' }
      : env
        ? { url: env, from: 'environment' }
        : null;
  }

  /**
   * Why a secret may not be stored now: there is no OS keystore and no administrator has
   * accepted plain storage. Null when it may.
   */
  secretRefusal(): string | null {
    if (this.opts.keystore || trustSetting(this.deps.db, 'plain_secrets_accepted')) return null;
    return '本机没有可用的系统密钥库，密码和密钥将以明文存放：须由系统管理员在“证书与信任”中明确接受后才能保存 No OS keystore is available here, so the secret would be stored unencrypted: an administrator must accept that on the Certificates screen first.';
  }

  keystoreStatus(): TrustStatusDto['keystore'] {
    const accepted = trustSettingRow(this.deps.db, 'plain_secrets_accepted');
    return {
      backend: this.opts.keystore?.backend ?? null,
      plainAccepted: accepted
        ? {
            at: accepted.set_at,
            by: userDisplayName(this.deps.db, accepted.set_by) ?? `#${accepted.set_by}`,
            reason: accepted.value,
          }
        : null,
    };
  }

  acceptPlainSecrets(caller: Caller, input: { reason: string }): TrustStatusDto['keystore'] {
    const user = requireUser(caller);
    if (this.opts.keystore)
      throw new AppError(
        'CONFLICT',
        `系统密钥库可用（${this.opts.keystore.backend}），无需明文存放 The OS keystore (${this.opts.keystore.backend}) protects secrets here; plain storage is not needed.`,
      );
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      setTrustSetting(this.deps.db, 'plain_secrets_accepted', input.reason, at, user.id);
      this.audited(user, 'trust.plainSecretsAccepted', null, { reason: input.reason });
    })();
    this.deps.emit('trust.changed', {});
    return this.keystoreStatus();
  }

  // -------------------------------------------------------------------------------------
  // The administrator's screen

  async status(): Promise<TrustStatusDto> {
    const identity = await currentIdentity(this.opts.identityDir).catch(() => null);
    const pending = await pendingRequest(this.opts.identityDir);
    const { organization, commonName } = pending?.subject ?? {};
    return {
      workstation: identity ? await this.describe(identity) : null,
      register: registerRows(this.deps.db).map((r) => this.toDto(r)),
      registerSha256: this.registerFile()?.sha256 ?? null,
      pendingRequest: pending
        ? {
            requestPem: pending.requestPem,
            subject: [`CN=${commonName}`, ...(organization ? [`O=${organization}`] : [])].join(
              ', ',
            ),
            createdAt: pending.createdAt,
          }
        : null,
      timeStampAuthority: this.timeStampAuthority(),
      keystore: this.keystoreStatus(),
    };
  }

  addToRegister(
    caller: Caller,
    input: { kind: 'ca' | 'workstation'; certificatePem: string },
  ): RegisterEntryDto {
    const user = requireUser(caller);
    const certs = pemToCertificates(input.certificatePem);
    if (certs.length !== 1)
      throw new AppError(
        'INVALID_INPUT',
        `请一次登记一张证书 Register one certificate at a time (found ${certs.length}).`,
      );
    const der = certs[0]!;
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(der);
    } catch (e) {
      throw new AppError(
        'INVALID_INPUT',
        `证书无法读取 The certificate does not parse: ${(e as Error).message}`,
      );
    }
    const info = describeCertificate(der);
    const at = this.deps.now();
    if (info.notAfter.getTime() < at)
      throw new AppError(
        'RULE_VIOLATION',
        `证书已过期 The certificate expired on ${info.notAfter.toISOString()}.`,
      );
    if (input.kind === 'ca' && !x509.ca)
      throw new AppError(
        'RULE_VIOLATION',
        '这不是 CA 证书 This is not a CA certificate (basicConstraints cA is not set): register it as a workstation certificate.',
      );
    if (input.kind === 'workstation' && x509.ca)
      throw new AppError(
        'RULE_VIOLATION',
        '这是 CA 证书 This is a CA certificate: register it as a CA.',
      );
    const { db, audit } = this.deps;
    const id = db.transaction(() => {
      const rowId = conflictOnUnique(
        () =>
          insertRegisterEntry(db, {
            kind: input.kind,
            fingerprint_sha256: info.fingerprintSha256,
            subject: info.subject,
            not_before: info.notBefore.getTime(),
            not_after: info.notAfter.getTime(),
            der,
            added_at: at,
            added_by: user.id,
          }),
        `该证书已在登记册中 The certificate ${info.fingerprintSha256} is already in the register`,
      );
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'trust.registered',
        entity: 'trust_register',
        entityId: rowId,
        caseId: null,
        data: {
          kind: input.kind,
          subject: info.subject,
          fingerprintSha256: info.fingerprintSha256,
        },
      });
      return rowId;
    })();
    this.deps.emit('trust.changed', {});
    return this.toDto(registerRow(db, id)!);
  }

  withdraw(caller: Caller, input: { id: number; reason: string }): RegisterEntryDto {
    const user = requireUser(caller);
    const { db, audit } = this.deps;
    const row = registerRow(db, input.id);
    if (!row) throw new AppError('NOT_FOUND', `no register entry ${input.id}`);
    const at = this.deps.now();
    db.transaction(() => {
      if (!withdrawRegisterEntry(db, input.id, { at, by: user.id, reason: input.reason }))
        throw new AppError('CONFLICT', '该证书已撤下 The entry was already withdrawn.');
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'trust.withdrawn',
        entity: 'trust_register',
        entityId: input.id,
        caseId: null,
        data: {
          subject: row.subject,
          fingerprintSha256: row.fingerprint_sha256,
          reason: input.reason,
        },
      });
    })();
    this.deps.emit('trust.changed', {});
    return this.toDto(registerRow(db, input.id)!);
  }

  async requestCertificate(
    caller: Caller,
    input: { commonName: string; organization: string },
  ): Promise<{ requestPem: string }> {
    const user = requireUser(caller);
    const r = await requestCertificate(this.opts.identityDir, input, {
      now: () => new Date(this.deps.now()),
    });
    this.audited(user, 'trust.certificateRequested', null, { subject: input });
    return { requestPem: r.requestPem };
  }

  installCertificate(
    caller: Caller,
    input: { certificatePem: string },
  ): Promise<WorkstationCertificateDto> {
    return this.replaceIdentity(caller, (opts) =>
      installIssuedCertificate(this.opts.identityDir, input.certificatePem, opts),
    );
  }

  importPkcs12(
    caller: Caller,
    input: { fileBase64: string; password: string },
  ): Promise<WorkstationCertificateDto> {
    return this.replaceIdentity(caller, (opts) =>
      importPkcs12(
        this.opts.identityDir,
        Buffer.from(input.fileBase64, 'base64'),
        input.password,
        opts,
      ),
    );
  }

  /**
   * Puts a new workstation identity in place (an issued certificate, a PKCS#12) only when the
   * register vouches for it; the change is audited with the identity it replaced.
   */
  private async replaceIdentity(
    caller: Caller,
    replace: (opts: {
      now: () => Date;
      accept: (leaf: Buffer, chain: Buffer[]) => Promise<void>;
    }) => Promise<WorkstationIdentity>,
  ): Promise<WorkstationCertificateDto> {
    const user = requireUser(caller);
    const before = await currentIdentity(this.opts.identityDir).catch(() => null);
    const identity = await this.identityChange(() =>
      replace({
        now: () => new Date(this.deps.now()),
        accept: (leaf, chain) => this.requireVouched(leaf, chain),
      }),
    );
    this.audited(user, 'trust.identityInstalled', null, {
      source: identity.source,
      subject: identity.subject,
      fingerprintSha256: identity.fingerprintSha256,
      previousFingerprintSha256: before?.fingerprintSha256 ?? null,
    });
    return this.describe(identity);
  }

  setTimeStampAuthority(
    caller: Caller,
    input: { url: string | null },
  ): TrustStatusDto['timeStampAuthority'] {
    const user = requireUser(caller);
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      setTrustSetting(this.deps.db, 'tsa_url', input.url, at, user.id);
      this.audited(user, 'trust.timeStampAuthoritySet', null, { url: input.url });
    })();
    this.deps.emit('trust.changed', {});
    return this.timeStampAuthority();
  }

  // -------------------------------------------------------------------------------------

  /**
   * Refuses a certificate the register does not vouch for: it is listed as a workstation,
   * or it chains (through `chain`) to a CA of the register that is not withdrawn.
   */
  private async requireVouched(leaf: Buffer, chain: Buffer[]): Promise<void> {
    const why = await this.vouching(leaf, chain);
    if (why !== null)
      throw new IdentityError(
        'CERT_NOT_TRUSTED',
        `机构证书登记册不认可该证书 The agency certificate register does not vouch for this certificate (${why}): register the agency’s CA first.`,
      );
  }

  /** Null when the register vouches for the certificate, else why not. */
  private async vouching(leaf: Buffer, chain: Buffer[]): Promise<string | null> {
    const live = registerRows(this.deps.db).filter((r) => r.withdrawn_at === null);
    const fingerprint = describeCertificate(leaf).fingerprintSha256;
    if (live.some((r) => r.kind === 'workstation' && r.fingerprint_sha256 === fingerprint))
      return null;
    const anchors = live.filter((r) => r.kind === 'ca').map((r) => Buffer.from(r.der));
    if (!anchors.length) return 'the register lists no CA';
    const r = await chainsTo(leaf, chain, anchors, new Date(this.deps.now()));
    return r.ok ? null : (r.error ?? 'no chain to a registered CA');
  }

  private async identityChange(
    change: () => Promise<WorkstationIdentity>,
  ): Promise<WorkstationIdentity> {
    try {
      const identity = await change();
      this.deps.emit('trust.changed', {});
      return identity;
    } catch (e) {
      if (e instanceof IdentityError) {
        const code =
          e.code === 'CERT_NOT_TRUSTED' ||
          e.code === 'CERT_EXPIRED' ||
          e.code === 'CERT_NOT_YET_VALID' ||
          e.code === 'CERT_KEY_USAGE'
            ? 'RULE_VIOLATION'
            : e.code === 'NO_PENDING_REQUEST'
              ? 'CONFLICT'
              : 'INVALID_INPUT';
        throw new AppError(code, e.message);
      }
      throw e;
    }
  }

  private async describe(identity: WorkstationIdentity): Promise<WorkstationCertificateDto> {
    const info = describeCertificate(identity.certificateDer);
    return {
      subject: info.subject,
      issuer: info.issuer,
      fingerprintSha256: info.fingerprintSha256,
      notAfter: info.notAfter.getTime(),
      source: identity.source,
      vouchedByRegister: (await this.vouching(identity.certificateDer, identity.chainDer)) === null,
    };
  }

  private audited(
    user: { id: number; displayName: string },
    action: AuditAction,
    entityId: number | null,
    data: unknown,
  ): void {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: user.id,
      actor: user.displayName,
      action,
      entity: 'trust',
      entityId,
      caseId: null,
      data,
    });
  }

  private toDto(r: RegisterRow): RegisterEntryDto {
    const name = (id: number) => userDisplayName(this.deps.db, id) ?? `#${id}`;
    return {
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      fingerprintSha256: r.fingerprint_sha256,
      notBefore: r.not_before,
      notAfter: r.not_after,
      addedAt: r.added_at,
      addedBy: name(r.added_by),
      withdrawn:
        r.withdrawn_at === null
          ? null
          : { at: r.withdrawn_at, by: name(r.withdrawn_by!), reason: r.withdrawn_reason! },
    };
  }
}
