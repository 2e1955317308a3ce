/**
 * Building the images of a new disc set: the plan, one ISO image per disc, each read back
 * and checked as a burned disc is checked before it is offered for burning, and the set
 * recorded with its images and the audit entry in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DiscSetDto } from '../../../shared/api/discs';
import { MEDIA, planDiscs, type MediumId } from '../../../shared/rules/disc-plan';
import { safeVolumeId } from '../../platform/optical/xorriso';
import { requireUser, type Caller } from '../context';
import { isoInZone } from '../../../shared/time';
import type { DiscBundles } from './bundles';
import { verifyDisc } from './disc-verify';
import { caseOf, progress, xorrisoBin, type DiscsEnv } from './env';
import { buildDiscImage, placementOf } from './layout';
import type { DiscRecords } from './records';
import { insertImage, insertSet, setNoTaken, type ImageRow } from './store';

export class DiscImaging {
  constructor(
    private readonly env: DiscsEnv,
    private readonly bundles: DiscBundles,
    private readonly records: DiscRecords,
  ) {}

  /**
   * `YYYYMMDD-NNN` in the agency's zone: the next number not taken by a recorded set, nor by
   * a folder a failed attempt left behind (its images are kept, never overwritten).
   */
  private nextSetNo(at: number): string {
    const day = isoInZone(at, this.env.tz).slice(0, 10).replace(/-/g, '');
    for (let n = 1; ; n++) {
      const no = `${day}-${String(n).padStart(3, '0')}`;
      if (
        !setNoTaken(this.env.deps.db, no) &&
        !existsSync(join(this.env.opts.dataDir, 'discs', no))
      )
        return no;
    }
  }

  /**
   * Plans and builds the images of a new disc set, then reads each image back and checks
   * it as a burned disc is checked: a bad image is never offered for burning.
   */
  async image(
    caller: Caller,
    input: {
      caseId: number;
      bundles: string[];
      medium: MediumId;
      copies: number;
      purpose?: string | undefined;
    },
    /**
     * Asked again once the images are built: a grant may have ended meanwhile (throws); the
     * basis it gives is named in the audit entry.
     */
    stillAllowed: () => { basis: 'team' | 'grant'; grantId: number | null } | void = () =>
      undefined,
  ): Promise<DiscSetDto> {
    const { env } = this;
    const user = requireUser(caller);
    const c = caseOf(env, input.caseId);
    const sources = await this.bundles.sources(input.caseId);
    const chosen = this.bundles.pick(sources, input.bundles);
    const plan = planDiscs(chosen, input.medium, input.copies);
    if (plan.refused) {
      throw new AppError(
        'CONFLICT',
        plan.refused.code === 'file-too-large'
          ? `${plan.refused.bundle}: ${plan.refused.file} is larger than one ${MEDIA[input.medium].label} disc; choose a larger medium`
          : `${plan.refused.bundle} is chosen twice`,
      );
    }
    const at = env.deps.now();
    const setNo = this.nextSetNo(at);
    const dir = join(env.opts.dataDir, 'discs', setNo);
    await fsp.mkdir(dir, { recursive: true });
    const placement = placementOf(plan.discs);
    // The set id is only known once the row exists; progress before it uses 0.
    const images: Omit<ImageRow, 'set_id'>[] = [];
    for (const d of plan.discs) {
      const stage = join(dir, `.stage-${d.number}-${randomBytes(4).toString('hex')}`);
      const out = join(dir, `disc-${d.number}.iso`);
      const volumeId = safeVolumeId(`ATT_${setNo.slice(2, 8)}_${setNo.slice(9)}_${d.number}`);
      try {
        const built = await buildDiscImage({
          disc: d,
          discCount: plan.discs.length,
          sources,
          placement,
          texts: {
            setNo,
            volumeId,
            medium: input.medium,
            caseNo: c.caseNo,
            cause: c.cause,
            madeAt: isoInZone(at, env.tz),
            timeZone: env.tz,
            madeBy: user.displayName,
            software: `Attest ${env.opts.version}`,
            purpose: input.purpose ?? null,
          },
          register: env.opts.register?.() ?? null,
          out,
          stageDir: stage,
          maxSectors: MEDIA[input.medium].sectors,
          onProgress: (f) => progress(env, 0, null, d.number, 'image', f),
          ...(env.opts.resourcesDir ? { resourcesDir: env.opts.resourcesDir } : {}),
          ...xorrisoBin(env),
        });
        const check = await verifyDisc(
          { kind: 'iso', path: out },
          {
            expectedIndexSha256: built.indexSha256,
            ...xorrisoBin(env),
            onProgress: (done, total) =>
              progress(env, 0, null, d.number, 'verify', total ? done / total : null),
          },
        );
        if (!check.ok) {
          const p = check.problems[0]!;
          throw new AppError(
            'CONFLICT',
            `the image of disc ${d.number} does not match the sealed bundles (${p.code} ${p.file ?? ''}); the local bundle may be damaged: run attest verify on it`,
          );
        }
        images.push({
          disc_no: d.number,
          path: out,
          volume_id: volumeId,
          bytes: built.bytes,
          sectors: Math.ceil(built.bytes / 2048),
          index_sha256: built.indexSha256,
          register_sha256: built.index.register?.sha256 ?? null,
          bundles: JSON.stringify(d.bundles.map((b) => ({ name: b.name, part: b.part }))),
          built_at: env.deps.now(),
        });
      } finally {
        await fsp.rm(stage, { recursive: true, force: true });
      }
    }
    // A grant that ended while the images were built: the copies made under it go.
    let basis: { basis: 'team' | 'grant'; grantId: number | null } | void;
    try {
      basis = stillAllowed();
    } catch (e) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw e;
    }
    const { db, audit } = env.deps;
    const setId = db.transaction(() => {
      const id = insertSet(db, {
        set_no: setNo,
        case_id: c.id,
        medium: input.medium,
        copies: input.copies,
        disc_count: plan.discs.length,
        bundles: JSON.stringify(input.bundles),
        plan: JSON.stringify(plan),
        purpose: input.purpose ?? null,
        created_by: user.id,
        created_at: at,
      });
      for (const im of images) insertImage(db, { ...im, set_id: id });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'disc.imaged',
        entity: 'disc_set',
        entityId: id,
        caseId: c.id,
        data: {
          ...(basis ?? {}),
          setNo,
          medium: input.medium,
          copies: input.copies,
          bundles: input.bundles,
          images: images.map((i) => ({
            disc: i.disc_no,
            bytes: i.bytes,
            volumeId: i.volume_id,
            indexSha256: i.index_sha256,
          })),
          warnings: plan.warnings,
        },
      });
      return id;
    })();
    env.deps.emit('case.changed', { caseId: c.id });
    return this.records.getSet(setId);
  }
}
