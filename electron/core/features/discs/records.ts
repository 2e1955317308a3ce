/** The disc record as the clients see it: a set with its images and every disc made of it. */
import { AppError } from '../../../shared/errors';
import type { DiscDto, DiscImageDto, DiscProblemDto, DiscSetDto } from '../../../shared/api/discs';
import type { DiscPlan } from '../../../shared/rules/disc-plan';
import { caseOf, userName, type DiscsEnv } from './env';
import { discsOfSet, imagesOfSet, setIdsOfCase, setRow, type DiscRow, type SetRow } from './store';

export class DiscRecords {
  constructor(private readonly env: DiscsEnv) {}

  /** The stored set; NOT_FOUND when there is none. */
  setRow(setId: number): SetRow {
    const row = setRow(this.env.deps.db, setId);
    if (!row) throw new AppError('NOT_FOUND', `no disc set ${setId}`);
    return row;
  }

  discDto(r: DiscRow): DiscDto {
    return {
      id: r.id,
      setId: r.set_id,
      serial: r.serial,
      discNumber: r.disc_no,
      copyNumber: r.copy_no,
      medium: r.medium,
      kind: r.kind,
      drive: r.drive,
      imagePath: r.image_path,
      madeBy: userName(this.env, r.made_by),
      madeAt: r.made_at,
      result: r.result,
      verifiedAt: r.verified_at,
      problems: JSON.parse(r.problems) as DiscProblemDto[],
    };
  }

  getSet(setId: number): DiscSetDto {
    const s = this.setRow(setId);
    const { db } = this.env.deps;
    const images = imagesOfSet(db, setId).map((i): DiscImageDto => ({
      discNumber: i.disc_no,
      path: i.path,
      volumeId: i.volume_id,
      bytes: i.bytes,
      sectors: i.sectors,
      indexSha256: i.index_sha256,
      registerSha256: i.register_sha256,
      bundles: JSON.parse(i.bundles) as DiscImageDto['bundles'],
    }));
    const discs = discsOfSet(db, setId).map((r) => this.discDto(r));
    return {
      id: s.id,
      setNo: s.set_no,
      caseId: s.case_id,
      medium: s.medium,
      copies: s.copies,
      createdBy: userName(this.env, s.created_by),
      createdAt: s.created_at,
      images,
      discs,
      plan: JSON.parse(s.plan) as DiscPlan,
    };
  }

  /** The case's disc sets, oldest first; NOT_FOUND when there is no such case. */
  list(caseId: number): DiscSetDto[] {
    caseOf(this.env, caseId);
    return setIdsOfCase(this.env.deps.db, caseId).map((id) => this.getSet(id));
  }
}
