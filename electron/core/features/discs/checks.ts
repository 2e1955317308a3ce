/**
 * Reading discs back against the manifests and recording what was found: every check is
 * appended (disc_checks and the audit trail); the first one settles the disc's result, so
 * a failed disc stays on the record as failed.
 */
import { AppError } from '../../../shared/errors';
import type { DiscDto, DiscProblemDto } from '../../../shared/api/discs';
import { requireUser, type Caller } from '../context';
import { verifyDisc, type DiscSource, type DiscVerifyReport } from './disc-verify';
import { listDrives, progress, userName, xorrisoBin, type DiscsEnv } from './env';
import type { DiscRecords } from './records';
import { discRow, imageOf, insertCheck, settleDisc, type DiscRow } from './store';

export class DiscChecks {
  constructor(
    private readonly env: DiscsEnv,
    private readonly records: DiscRecords,
  ) {}

  /** Reads a disc (or image file) of a recorded disc back, reporting progress. */
  readBack(disc: DiscRow, source: DiscSource, expectedIndexSha256: string) {
    return verifyDisc(source, {
      expectedIndexSha256,
      ...xorrisoBin(this.env),
      onProgress: (done, total) =>
        progress(
          this.env,
          disc.set_id,
          disc.id,
          disc.disc_no,
          'verify',
          total ? done / total : null,
        ),
    });
  }

  /** Appends a check of a disc; the first settles its result. */
  record(disc: DiscRow, report: DiscVerifyReport, by: number | null): DiscDto {
    const { db, audit, now } = this.env.deps;
    const at = now();
    const problems: DiscProblemDto[] = report.problems.map((p) => ({
      code: p.code,
      file: p.file,
      detail: p.detail,
    }));
    const set = this.records.setRow(disc.set_id);
    db.transaction(() => {
      insertCheck(db, {
        discId: disc.id,
        at,
        by,
        ok: report.ok,
        filesChecked: report.filesChecked,
        bytesRead: report.bytesRead,
        problems: JSON.stringify(problems),
      });
      if (disc.result === 'pending')
        settleDisc(db, disc.id, report.ok ? 'verified' : 'failed', at, JSON.stringify(problems));
      audit.append({
        at,
        actorUserId: by,
        actor: by ? userName(this.env, by) : null,
        action: report.ok ? 'disc.verified' : 'disc.failed',
        entity: 'disc',
        entityId: disc.id,
        caseId: set.case_id,
        data: {
          serial: disc.serial,
          filesChecked: report.filesChecked,
          bytesRead: report.bytesRead,
          problems: problems.slice(0, 20),
          bundles: report.bundles.map((b) => ({
            name: b.name,
            ok: b.ok,
            tagManifestSha512: b.tagManifestSha512,
            signatureValid: b.signature?.valid ?? null,
          })),
        },
      });
    })();
    this.env.deps.emit('case.changed', { caseId: set.case_id });
    return this.records.discDto(discRow(db, disc.id)!);
  }

  /** Reads a recorded disc again (a filed disc, years later) and appends the check. */
  async verify(caller: Caller, discId: number): Promise<DiscDto> {
    const user = requireUser(caller);
    const { db } = this.env.deps;
    const disc = discRow(db, discId);
    if (!disc) throw new AppError('NOT_FOUND', `no disc ${discId}`);
    const image = imageOf(db, disc.set_id, disc.disc_no)!;
    let source: DiscSource;
    if (disc.kind === 'image') source = { kind: 'iso', path: disc.image_path! };
    else {
      const drive = (await listDrives(this.env)).find((d) => d.id === disc.drive);
      if (!drive) throw new AppError('NOT_FOUND', `the drive ${disc.drive} is not there`);
      source = this.env.burner.readSource(drive);
    }
    const report = await this.readBack(disc, source, image.index_sha256);
    return this.record(disc, report, user.id);
  }
}
