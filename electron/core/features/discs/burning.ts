/**
 * Burning one copy of one disc of a set through the {@link Burner} port, or saving its
 * image where no drive is used, then reading it back. The disc is recorded with its serial
 * before anything is written; a failed burn or read-back stays on the record as failed.
 */
import { constants as fsc, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DiscDto, DriveDto } from '../../../shared/api/discs';
import { requireUser, type Caller } from '../context';
import type { DiscChecks } from './checks';
import type { DiscSource, DiscVerifyReport } from './disc-verify';
import { exportFolder, listDrives, progress, type DiscsEnv } from './env';
import type { DiscRecords } from './records';
import { copiesMade, discRow, imageOf, insertDisc } from './store';

export class DiscBurning {
  constructor(
    private readonly env: DiscsEnv,
    private readonly records: DiscRecords,
    private readonly checks: DiscChecks,
  ) {}

  /**
   * Burns one copy of one disc of a set and reads it back; with no drive, saves the image
   * (to `saveTo`, a directory, or where it was built) and checks that file instead. Either
   * way the disc is recorded with its serial before anything is written, and its result
   * after the read-back: a failed disc stays on the record as failed.
   */
  async burn(
    caller: Caller,
    input: {
      setId: number;
      discNumber: number;
      copyNumber: number;
      drive?: string | undefined;
      saveTo?: string | undefined;
      /** The right the disc is made on (the team's, or a grant), for its audit entries. */
      basis?: { basis: 'team' | 'grant'; grantId: number | null };
    },
  ): Promise<DiscDto> {
    const { env } = this;
    const user = requireUser(caller);
    const { db, audit, now } = env.deps;
    const set = this.records.setRow(input.setId);
    if (input.copyNumber > set.copies)
      throw new AppError('INVALID_INPUT', `the set has ${set.copies} copies`);
    const image = imageOf(db, set.id, input.discNumber);
    if (!image) throw new AppError('NOT_FOUND', `the set has no disc ${input.discNumber}`);
    let drive: DriveDto | null = null;
    let imagePath: string | null = null;
    if (input.drive) {
      drive = (await listDrives(env)).find((d) => d.id === input.drive) ?? null;
      if (!drive) throw new AppError('NOT_FOUND', `no drive ${input.drive}`);
      const media = await env.burner.mediaInfo(drive.id);
      if (!media.profile) throw new AppError('CONFLICT', 'there is no disc in the drive');
      if (!media.blank)
        throw new AppError(
          'CONFLICT',
          'the disc in the drive is not blank: an evidence disc is written once, on a blank disc',
        );
      if (media.freeSectors !== null && media.freeSectors < image.sectors)
        throw new AppError(
          'CONFLICT',
          `the image needs ${image.sectors} blocks, the disc holds ${media.freeSectors}`,
        );
    } else {
      imagePath = image.path;
      if (input.saveTo) {
        imagePath = join(
          exportFolder(env.opts, input.saveTo),
          `${set.set_no}-disc-${input.discNumber}-copy-${input.copyNumber}.iso`,
        );
        await fsp.copyFile(image.path, imagePath, fsc.COPYFILE_EXCL);
      }
    }
    const prior = copiesMade(db, set.id, input.discNumber, input.copyNumber);
    const serial = `${set.set_no}-D${input.discNumber}-C${input.copyNumber}${prior > 0 ? `-R${prior + 1}` : ''}`;
    const at = now();
    const discId = db.transaction(() => {
      const id = insertDisc(db, {
        set_id: set.id,
        disc_no: input.discNumber,
        copy_no: input.copyNumber,
        serial,
        medium: set.medium,
        kind: drive ? 'burned' : 'image',
        drive: drive ? drive.id : null,
        image_path: imagePath,
        made_by: user.id,
        made_at: at,
      });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: drive ? 'disc.burn.started' : 'disc.image.saved',
        entity: 'disc',
        entityId: id,
        caseId: set.case_id,
        data: {
          ...(input.basis ?? {}),
          serial,
          setNo: set.set_no,
          disc: input.discNumber,
          copy: input.copyNumber,
          medium: set.medium,
          drive: drive?.path ?? null,
          imagePath,
        },
      });
      return id;
    })();
    env.deps.emit('case.changed', { caseId: set.case_id });
    const row = () => discRow(db, discId)!;
    let source: DiscSource;
    if (drive) {
      try {
        await env.burner.burn(drive.id, image.path, {
          onProgress: (p) =>
            progress(env, set.id, discId, input.discNumber, 'burn', p.fraction, p.message),
        });
      } catch (e) {
        // The burn failed: the disc is recorded failed (a half-written disc is not evidence).
        const report: DiscVerifyReport = {
          ok: false,
          source: drive.path,
          index: null,
          indexSha256: null,
          bundles: [],
          problems: [
            { code: 'unreadable', file: null, detail: `burning failed: ${(e as Error).message}` },
          ],
          filesChecked: 0,
          bytesRead: 0,
        };
        return this.checks.record(row(), report, user.id);
      }
      source = env.burner.readSource(drive);
    } else {
      source = { kind: 'iso', path: imagePath! };
    }
    const report = await this.checks.readBack(row(), source, image.index_sha256);
    const result = this.checks.record(row(), report, user.id);
    if (drive) await env.burner.eject(drive.id).catch(() => {});
    return result;
  }
}
