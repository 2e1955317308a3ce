/**
 * Party copies (R6.2): a party or their agent asks for copies of the case's records; a clerk
 * or officer of the case records the request with the requester's identity; the leader
 * grants it, possibly in part, or refuses; the team makes the copy: per source bundle one
 * signed bag holding the granted files, classified files (国家秘密 / 商业秘密 / 个人隐私)
 * left out unless the grant releases them. The register lists every copy given out.
 */
import { join } from 'node:path';
import { SUPERVISORS } from '../../../shared/api/define';
import type {
  ClassificationLevel,
  CopyDecideInput,
  CopyRequestDto,
  CopyRequestInput,
  FileRefDto,
  PartyCopyDto,
} from '../../../shared/api/access';
import type { PdfDto } from '../../../shared/api/discs';
import { ZH_ENUMS } from '../../../shared/names-zh';
import { AppError } from '../../../shared/errors';
import { dateIn, dateTimeIn } from '../../../shared/time';
import { loadOrCreateIdentity } from '../../platform/pki';
import type { TsaOptions } from '../../platform/pki/tsa';
import { caseHeader, isPartyOfCase } from '../cases';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { makeCopyBag, safeDirName } from '../sealing';
import {
  classificationsOf,
  copiesOfRequest,
  copyDecisionOf,
  copyNosWithPrefix,
  copyRequestById,
  copyRequests,
  insertCopyDecision,
  insertCopyRequest,
  insertPartyCopy,
  partyCopies,
  type CopyRequestRow,
  type PartyCopyRow,
} from './copies-store';
import type { BundleFiles } from './files';
import { renderCopyRegister } from './register-pdf';
import type { AccessService } from './service';

const key = (f: FileRefDto) => `${f.bundleId}\u0000${f.path}`;

export interface CopiesOptions {
  dataDir: string;
  identityDir: string;
  tsa: () => TsaOptions | undefined;
  software: string;
}

export class PartyCopies {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly access: AccessService,
    private readonly files: BundleFiles,
    private readonly opts: CopiesOptions,
  ) {}

  request(caller: Caller, input: CopyRequestInput): CopyRequestDto {
    const user = requireUser(caller);
    if (!caseHeader(this.deps.db, input.caseId)) {
      throw new AppError('NOT_FOUND', `case ${input.caseId} not found`);
    }
    if (!this.access.onTeam(user, input.caseId)) {
      throw new AppError('FORBIDDEN', '当事人的复制申请由本案的书记员或执法人员登记');
    }
    if (input.partyId !== undefined && !isPartyOfCase(this.deps.db, input.partyId, input.caseId)) {
      throw new AppError('INVALID_INPUT', `当事人 ${input.partyId} 不是本案的当事人`);
    }
    const files = this.checkedFiles(input.caseId, input.files);
    const at = this.deps.now();
    const id = this.deps.db.transaction(() => {
      const id = insertCopyRequest(this.deps.db, {
        caseId: input.caseId,
        partyId: input.partyId ?? null,
        requesterRole: input.requesterRole,
        requesterName: input.requesterName,
        idType: input.idType,
        idNumber: input.idNumber,
        authorization: input.authorization ?? null,
        files,
        purpose: input.purpose,
        recordedBy: user.id,
        recordedAt: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'copy.requested',
        entity: 'copy_request',
        entityId: id,
        caseId: input.caseId,
        // The identity number stays in the request; the trail names the person only.
        data: {
          requester: input.requesterName,
          role: input.requesterRole,
          files: files.length,
          purpose: input.purpose,
        },
      });
      return id;
    })();
    this.deps.emit('access.changed', { caseId: input.caseId });
    return this.get(id);
  }

  decide(caller: Caller, input: CopyDecideInput): CopyRequestDto {
    const user = requireUser(caller);
    const req = this.requestOf(input.requestId);
    if (copyDecisionOf(this.deps.db, req.id)) {
      throw new AppError('CONFLICT', `复制申请第 ${req.id} 号已经审批`);
    }
    if (req.recordedById === user.id) {
      throw new AppError('RULE_VIOLATION', '登记复制申请的人不能审批同一申请');
    }
    const asked = new Set(req.files.map(key));
    const granted = [...new Map(input.files.map((f) => [key(f), f])).values()];
    if (granted.some((f) => !asked.has(key(f)))) {
      throw new AppError('INVALID_INPUT', '批准的文件只能是申请的文件');
    }
    const grantedKeys = new Set(granted.map(key));
    if (input.classified.some((f) => !grantedKeys.has(key(f)))) {
      throw new AppError('INVALID_INPUT', '准予提供的涉密或隐私文件须在批准的文件之中');
    }
    const expected =
      granted.length === 0
        ? 'refused'
        : granted.length === asked.size
          ? 'granted'
          : 'partly_granted';
    if (input.decision !== expected) {
      throw new AppError(
        'INVALID_INPUT',
        `批准 ${granted.length}/${asked.size} 个文件应为「${ZH_COPY_DECISION[expected]}」`,
      );
    }
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      // Each granted file keeps the classification it had when the leader decided: a later
      // change cannot release what the leader saw classified.
      const levels = new Map<number, Map<string, ClassificationLevel>>();
      const levelOf = (f: FileRefDto): ClassificationLevel => {
        let m = levels.get(f.bundleId);
        if (!m) {
          m = new Map(
            [...classificationsOf(this.deps.db, f.bundleId)].map(([p, c]) => [p, c.level]),
          );
          levels.set(f.bundleId, m);
        }
        return m.get(f.path) ?? 'none';
      };
      insertCopyDecision(this.deps.db, {
        requestId: req.id,
        decision: input.decision,
        files: granted.map((f) => ({ bundleId: f.bundleId, path: f.path, level: levelOf(f) })),
        classified: input.classified,
        opinion: input.opinion,
        decidedBy: user.id,
        decidedAt: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'copy.decided',
        entity: 'copy_request',
        entityId: req.id,
        caseId: req.caseId,
        data: {
          decision: input.decision,
          files: granted.length,
          of: asked.size,
          classifiedReleased: input.classified.length,
          opinion: input.opinion,
        },
      });
    })();
    this.deps.emit('access.changed', { caseId: req.caseId });
    return this.get(req.id);
  }

  /** Copies are made one at a time: each takes the next number and is recorded whole. */
  private making: Promise<unknown> = Promise.resolve();

  make(caller: Caller, requestId: number): Promise<CopyRequestDto> {
    const run = this.making.then(() => this.makeNow(caller, requestId));
    this.making = run.catch(() => undefined);
    return run;
  }

  private async makeNow(caller: Caller, requestId: number): Promise<CopyRequestDto> {
    const user = requireUser(caller);
    const req = this.requestOf(requestId);
    const decision = copyDecisionOf(this.deps.db, req.id);
    if (!decision || decision.decision === 'refused') {
      throw new AppError('RULE_VIOLATION', `复制申请第 ${req.id} 号未获批准，不能制作复制件`);
    }
    if (copiesOfRequest(this.deps.db, req.id).length > 0) {
      throw new AppError('CONFLICT', `复制申请第 ${req.id} 号的复制件已经制作`);
    }
    const byBundle = new Map<number, string[]>();
    for (const f of decision.files)
      byBundle.set(f.bundleId, [...(byBundle.get(f.bundleId) ?? []), f.path]);
    const bundles = [...byBundle.keys()].map((id) => this.files.bundle(id));
    const ask = {
      caseId: req.caseId,
      mode: 'copy' as const,
      sessionIds: bundles.map((b) => b.sessionId),
      what: '制作当事人复制件',
      entity: 'copy_request' as const,
      entityId: req.id,
    };
    this.access.require(caller, ask);
    const released = new Set(decision.classified.map(key));
    const grantedKeys = new Set(decision.files.map(key));
    const decidedLevel = new Map(decision.files.map((f) => [key(f), f.level]));
    const plans = bundles.map((b) => {
      const cls = classificationsOf(this.deps.db, b.id);
      const included: string[] = [];
      const leftOut: { path: string; reason: string }[] = [];
      for (const f of req.files.filter((x) => x.bundleId === b.id)) {
        if (!grantedKeys.has(key(f))) {
          leftOut.push({ path: f.path, reason: '未获批准' });
          continue;
        }
        // Classified when the leader decided, or since: out, unless the leader released it
        // as it was then (a file classified later was never seen classified by the leader).
        const then = decidedLevel.get(key(f)) ?? 'none';
        const now = cls.get(f.path)?.level ?? 'none';
        const level = now !== 'none' ? now : then;
        const releasedAsSeen =
          released.has(key(f)) && then !== 'none' && (now === then || now === 'none');
        if (level !== 'none' && !releasedAsSeen) {
          leftOut.push({ path: f.path, reason: `涉及${ZH_CLASSIFICATION[level]}，不予提供` });
        } else included.push(f.path);
      }
      return { bundle: b, included, leftOut };
    });
    if (plans.every((p) => p.included.length === 0)) {
      throw new AppError('RULE_VIOLATION', '批准的文件都已定密或涉及隐私，没有可以提供的文件');
    }
    const header = caseHeader(this.deps.db, req.caseId)!;
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    const tz = this.deps.timeZone();
    const grantText = `复制申请第 ${req.id} 号，${decision.decidedBy} 于 ${dateTimeIn(decision.decidedAt, tz)} ${ZH_COPY_DECISION[decision.decision]}：${decision.opinion}`;
    const recipient = `${req.requesterName}（${ZH_REQUESTER[req.requesterRole]}，${ZH_ENUMS.idType[req.idType]} ${masked(req.idNumber)}）`;
    for (const plan of plans.filter((p) => p.included.length > 0)) {
      const at = this.deps.now();
      const prefix = `FZ${dateIn(at, tz).slice(0, 4)}-`;
      const copyNo = `${prefix}${String(copyNosWithPrefix(this.deps.db, prefix) + 1).padStart(4, '0')}`;
      const caseDir = safeDirName(header.caseNo);
      const bagName = `${copyNo}_${plan.bundle.bagName}`;
      const made = await makeCopyBag({
        sourceDir: this.files.bagDir(plan.bundle),
        sourceBagName: plan.bundle.bagName,
        sourceTagManifestSha512: plan.bundle.tagManifestSha512,
        files: plan.included,
        leftOut: plan.leftOut,
        copyNo,
        grant: grantText,
        recipient,
        madeBy: user.displayName,
        at,
        timeZone: tz,
        signer: identity.signer,
        tsa: this.opts.tsa(),
        outDir: join(this.opts.dataDir, 'copies', caseDir),
        bagName,
        software: this.opts.software,
        events: [
          {
            type: 'copy.requested',
            at: req.recordedAt,
            data: { request: req.id, requester: req.requesterName, recordedBy: req.recordedBy },
          },
          {
            type: 'copy.decided',
            at: decision.decidedAt,
            data: {
              decision: decision.decision,
              by: decision.decidedBy,
              opinion: decision.opinion,
            },
          },
          {
            type: 'copy.made',
            at,
            data: { copyNo, by: user.displayName, files: plan.included, leftOut: plan.leftOut },
          },
        ],
      });
      // The grant may have ended while the bag was built: checked again before it is recorded
      // (the bag stays where it was made, unrecorded, and the refusal is in the trail).
      const basis = this.access.require(caller, ask);
      this.deps.db.transaction(() => {
        const id = insertPartyCopy(this.deps.db, {
          copyNo,
          requestId: req.id,
          bundleId: plan.bundle.id,
          path: `copies/${caseDir}/${bagName}`,
          tagManifestSha512: made.tagManifestSha512,
          files: plan.included,
          leftOut: plan.leftOut,
          madeBy: user.id,
          madeAt: at,
        });
        this.deps.audit.append({
          at,
          actorUserId: user.id,
          actor: user.displayName,
          action: 'copy.made',
          entity: 'copy_request',
          entityId: req.id,
          caseId: req.caseId,
          data: {
            copyId: id,
            copyNo,
            bundleId: plan.bundle.id,
            files: plan.included,
            leftOut: plan.leftOut,
            recipient: req.requesterName,
            basis: basis.kind,
            grantId: basis.kind === 'grant' ? basis.grantId : null,
            tagManifestSha512: made.tagManifestSha512,
          },
        });
      })();
    }
    this.deps.emit('access.changed', { caseId: req.caseId });
    return this.get(req.id);
  }

  list(caller: Caller, caseId?: number): CopyRequestDto[] {
    const user = requireUser(caller);
    const supervising = user.roles.some((r) => SUPERVISORS.includes(r));
    return copyRequests(this.deps.db, caseId)
      .filter((r) => supervising || this.access.onTeam(user, r.caseId))
      .map((r) => this.toDto(r));
  }

  async register(caller: Caller, caseId?: number): Promise<PdfDto> {
    const user = requireUser(caller);
    const at = this.deps.now();
    const tz = this.deps.timeZone();
    const rows = partyCopies(this.deps.db, caseId)
      .reverse()
      .map((c) => {
        const req = copyRequestById(this.deps.db, c.requestId)!;
        const decision = copyDecisionOf(this.deps.db, c.requestId)!;
        return {
          copyNo: c.copyNo,
          caseNo: caseHeader(this.deps.db, c.caseId)?.caseNo ?? '',
          recipient: `${req.requesterName}（${ZH_REQUESTER[req.requesterRole]}）`,
          idText: `${ZH_ENUMS.idType[req.idType]} ${masked(req.idNumber)}`,
          madeAt: dateTimeIn(c.madeAt, tz),
          what: c.files.join('\n'),
          leftOut: c.leftOut.map((l) => `${l.path}（${l.reason}）`).join('\n') || '无',
          grant: `申请第 ${req.id} 号 · ${decision.decidedBy} ${ZH_COPY_DECISION[decision.decision]}`,
          madeBy: c.madeBy,
          tagManifest: c.tagManifestSha512.slice(0, 16),
        };
      });
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    const scope =
      caseId !== undefined ? (caseHeader(this.deps.db, caseId)?.caseNo ?? String(caseId)) : null;
    const data = await renderCopyRegister({
      scope,
      rows,
      generatedAt: at,
      generatedBy: user.displayName,
      timeZone: tz,
      signer: identity.signer,
    });
    this.deps.audit.append({
      at,
      actorUserId: user.id,
      actor: user.displayName,
      action: 'copy.register_printed',
      entity: caseId !== undefined ? 'case' : 'archive',
      entityId: caseId ?? null,
      caseId: caseId ?? null,
      data: { copies: rows.length },
    });
    return {
      fileName: `当事人复制登记簿${scope ? `-${scope.replace(/[\\/:*?"<>|]/g, '_')}` : ''}-${dateIn(at, tz)}.pdf`,
      data: data.toString('base64'),
      savedAt: null,
    };
  }

  get(id: number): CopyRequestDto {
    return this.toDto(this.requestOf(id));
  }

  /** The files asked for, each a listed file of a sealed bundle of the case, once. */
  private checkedFiles(caseId: number, files: FileRefDto[]): FileRefDto[] {
    const seen = new Map<string, FileRefDto>();
    const manifests = new Map<number, Set<string>>();
    for (const f of files) {
      const b = this.files.bundle(f.bundleId);
      if (b.caseId !== caseId) {
        throw new AppError('INVALID_INPUT', `封存包 ${b.bagName} 不是本案的封存包`);
      }
      let listed = manifests.get(b.id);
      if (!listed) {
        listed = new Set(this.files.listed(b).map((m) => m.path));
        manifests.set(b.id, listed);
      }
      if (!listed.has(f.path))
        throw new AppError('NOT_FOUND', `${f.path} 不是封存包 ${b.bagName} 中的文件`);
      seen.set(key(f), { bundleId: f.bundleId, path: f.path });
    }
    return [...seen.values()];
  }

  private requestOf(id: number): CopyRequestRow {
    const r = copyRequestById(this.deps.db, id);
    if (!r) throw new AppError('NOT_FOUND', `复制申请第 ${id} 号不存在`);
    return r;
  }

  private toDto(r: CopyRequestRow): CopyRequestDto {
    const bagNames = new Map<number, string>();
    const copy = (c: PartyCopyRow): PartyCopyDto => {
      if (!bagNames.has(c.bundleId))
        bagNames.set(c.bundleId, this.files.bundle(c.bundleId).bagName);
      return {
        id: c.id,
        copyNo: c.copyNo,
        requestId: c.requestId,
        bundleId: c.bundleId,
        bagName: c.path.split('/').pop()!,
        path: join(this.opts.dataDir, ...c.path.split('/')),
        tagManifestSha512: c.tagManifestSha512,
        files: c.files,
        leftOut: c.leftOut,
        madeBy: c.madeBy,
        madeAt: c.madeAt,
      };
    };
    return {
      ...r,
      caseNo: caseHeader(this.deps.db, r.caseId)?.caseNo ?? '',
      decision: copyDecisionOf(this.deps.db, r.id),
      copies: copiesOfRequest(this.deps.db, r.id).map(copy),
    };
  }
}

/** An identity number as printed on a copy: its last four characters only. */
export function masked(idNumber: string): string {
  return idNumber.length <= 4
    ? idNumber
    : `${'*'.repeat(Math.min(idNumber.length - 4, 14))}${idNumber.slice(-4)}`;
}

const ZH_COPY_DECISION = ZH_ENUMS.copyDecision;
const ZH_REQUESTER = ZH_ENUMS.copyRequesterRole;
const ZH_CLASSIFICATION = ZH_ENUMS.classification;
