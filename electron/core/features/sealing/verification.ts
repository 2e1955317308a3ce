/**
 * Verifying a recorded bundle: the bag as `attest verify` checks it, and also that its tag
 * manifest is still the one recorded when it was sealed (a bag swapped for another validly
 * signed one is caught). Each result is recorded (append-only) and audited.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type {
  BundleDto,
  BundleVerificationDto,
  VerifyReportDto,
} from '../../../shared/api/sealing';
import type { Caller, ServiceDeps } from '../context';
import { userDisplayName } from '../users';
import type { AgencyRegister } from '../../platform/pki';
import { verifyBag } from './bundle-verify';
import { formatReport } from './verify-format';
import type { VerifyOptions, VerifyReport } from './verify-report';
import { problemCounts } from './rules';
import {
  insertVerification,
  latestVerificationOf,
  verificationById,
  type VerificationRow,
} from './store';

export class BundleVerifier {
  private readonly running = new Map<number, Promise<BundleVerificationDto>>();

  constructor(
    private readonly deps: ServiceDeps,
    /** The recorded bundle (throws NOT_FOUND when there is none). */
    private readonly bundleOf: (bundleId: number) => BundleDto,
    private readonly opts: VerifyOptions = {},
    /** The agency certificate register as it is now: its CAs and workstations vouch too. */
    private readonly register: () => AgencyRegister | null = () => null,
  ) {}

  /** The latest recorded verification of a bundle, or null when it was never verified. */
  latest(bundleId: number): BundleVerificationDto | null {
    this.bundleOf(bundleId);
    const v = latestVerificationOf(this.deps.db, bundleId);
    return v ? this.toDto(v) : null;
  }

  /** Verifies the bundle now; a verification of it already running is shared, not repeated. */
  verify(caller: Caller, bundleId: number): Promise<BundleVerificationDto> {
    const running = this.running.get(bundleId);
    if (running) return running;
    const run = this.verifyNow(caller, bundleId).finally(() => this.running.delete(bundleId));
    this.running.set(bundleId, run);
    return run;
  }

  private async verifyNow(caller: Caller, bundleId: number): Promise<BundleVerificationDto> {
    const bundle = this.bundleOf(bundleId);
    // This workstation recorded the tag manifest's hash when it sealed: that is what vouches
    // for the signer here (a bag re-signed by anyone else has another tag manifest).
    const register = this.register();
    const report = (await verifyBag(bundle.path, {
      ...this.opts,
      ...(register ? { register } : {}),
      expectTagManifests: [...(this.opts.expectTagManifests ?? []), bundle.tagManifestSha512],
    })) as VerifyReportDto;
    const matches = (await tagManifestSha512(bundle.path)) === bundle.tagManifestSha512;
    if (!matches) {
      report.problems.push({
        severity: 'error',
        code: 'tag-hash-mismatch',
        file: 'tagmanifest-sha512.txt',
        detail: `differs from the tag manifest recorded when the bundle was sealed (SHA-512 ${bundle.tagManifestSha512.slice(0, 16)}…)`,
      });
      report.checks['tag-manifest'] = 'fail';
      report.ok = false;
      report.verdict = 'failed';
    }
    const { errors, warnings } = problemCounts(report);
    const at = this.deps.now();
    const user = caller.user;
    const { db, audit } = this.deps;
    const id = db.transaction(() => {
      const vid = insertVerification(db, {
        bundleId,
        at,
        userId: user?.id ?? null,
        ok: report.ok,
        recordedHashMatches: matches,
        errors,
        warnings,
        report,
      });
      audit.append({
        at,
        actorUserId: user?.id ?? null,
        actor: user?.displayName ?? null,
        action: 'bundle.verified',
        entity: 'session',
        entityId: bundle.sessionId,
        caseId: bundle.caseId,
        data: {
          bundleId,
          ok: report.ok,
          recordedHashMatches: matches,
          errors,
          warnings,
          checks: report.checks,
        },
      });
      return vid;
    })();
    this.deps.emit('bundle.changed', {
      bundleId,
      sessionId: bundle.sessionId,
      caseId: bundle.caseId,
    });
    return this.toDto(verificationById(db, id)!);
  }

  private toDto(v: VerificationRow): BundleVerificationDto {
    const report = JSON.parse(v.report) as VerifyReportDto;
    return {
      bundleId: v.bundle_id,
      at: v.at,
      by: v.user_id === null ? null : (userDisplayName(this.deps.db, v.user_id) ?? null),
      ok: v.ok === 1,
      recordedHashMatches: v.recorded_hash_matches === 1,
      errors: v.errors,
      warnings: v.warnings,
      report,
      text: {
        'zh-CN': formatReport(report as VerifyReport, 'zh-CN'),
        en: formatReport(report as VerifyReport, 'en'),
      },
    };
  }
}

/** SHA-512 of the bag's tag manifest now, or '' when it cannot be read (the report says so). */
async function tagManifestSha512(bagPath: string): Promise<string> {
  try {
    return createHash('sha512')
      .update(await fsp.readFile(join(bagPath, 'tagmanifest-sha512.txt')))
      .digest('hex');
  } catch {
    return '';
  }
}
