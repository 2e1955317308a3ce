/**
 * A sealed bundle's files as people open them: the list (with each file's classification),
 * a piece of one file under the access check, and the classification set by the team when
 * sealing or later by the legal-affairs office. Only files the bag's own manifest lists can
 * be named, so no path leads outside the bag.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleFileDto, ClassificationLevel } from '../../../shared/api/access';
import { AppError } from '../../../shared/errors';
import { parseManifest } from '../../platform/bagit/bagformat';
import { fromPosix } from '../../platform/fs';
import { Viewings } from '../../platform/viewings';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { sealedBundleRef, type SealedBundleRef } from '../sealing';
import { classificationsOf, insertClassification } from './copies-store';
import type { AccessService } from './service';

export class BundleFiles {
  private readonly viewings = new Viewings();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly access: AccessService,
    private readonly dataDir: string,
  ) {}

  bundle(id: number): SealedBundleRef {
    const b = sealedBundleRef(this.deps.db, id);
    if (!b) throw new AppError('NOT_FOUND', `sealed bundle ${id} not found`);
    return b;
  }

  bagDir(b: SealedBundleRef): string {
    return join(this.dataDir, fromPosix(b.path));
  }

  /** The payload files of the bag as its SHA-256 manifest lists them. */
  listed(b: SealedBundleRef): { path: string; sha256: string }[] {
    const text = readFileSync(join(this.bagDir(b), 'manifest-sha256.txt'), 'utf8');
    return parseManifest(text, 'sha256').entries.map((e) => ({ path: e.path, sha256: e.digest }));
  }

  /** The listed files with their sizes on disk. */
  manifest(b: SealedBundleRef): { path: string; sha256: string; bytes: number }[] {
    return this.listed(b).map((f) => ({ ...f, bytes: this.sizeOf(b, f.path) }));
  }

  private sizeOf(b: SealedBundleRef, path: string): number {
    return statSync(join(this.bagDir(b), fromPosix(path))).size;
  }

  list(caller: Caller, bundleId: number): BundleFileDto[] {
    requireUser(caller);
    const b = this.bundle(bundleId);
    const cls = classificationsOf(this.deps.db, b.id);
    return this.manifest(b).map((f) => ({
      bundleId: b.id,
      path: f.path,
      bytes: f.bytes,
      sha256: f.sha256,
      classification: cls.get(f.path) ?? null,
    }));
  }

  classify(
    caller: Caller,
    input: {
      bundleId: number;
      path: string;
      level: ClassificationLevel;
      reason?: string | undefined;
    },
  ): BundleFileDto {
    const user = requireUser(caller);
    const b = this.bundle(input.bundleId);
    // The legal-affairs office classifies any case's files; the team its own open case's.
    if (
      !user.roles.includes('legal_reviewer') &&
      (!this.access.onTeam(user, b.caseId) || this.access.filed(b.caseId))
    ) {
      throw new AppError('FORBIDDEN', '只有本案办案人员（封存时）或法制审核人员可以标定密级');
    }
    this.fileOf(b, input.path);
    if (input.level !== 'none' && !input.reason) {
      throw new AppError('INVALID_INPUT', '标定为涉密或隐私的文件须写明理由', [
        { path: 'reason', message: '请写明理由' },
      ]);
    }
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      insertClassification(this.deps.db, {
        bundleId: b.id,
        path: input.path,
        level: input.level,
        reason: input.reason ?? null,
        by: user.id,
        at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'bundle.classified',
        entity: 'bundle',
        entityId: b.id,
        caseId: b.caseId,
        data: { path: input.path, level: input.level, reason: input.reason ?? null },
      });
    })();
    this.deps.emit('access.changed', { caseId: b.caseId });
    return this.list(caller, b.id).find((f) => f.path === input.path)!;
  }

  read(
    caller: Caller,
    input: {
      bundleId: number;
      path: string;
      offset: number;
      length: number;
      grantId?: number | undefined;
    },
  ): { data: string; bytes: number; eof: boolean } {
    const user = requireUser(caller);
    const b = this.bundle(input.bundleId);
    const basis = this.access.require(caller, {
      caseId: b.caseId,
      mode: 'view',
      sessionIds: [b.sessionId],
      what: '查看封存文件',
      grantId: input.grantId,
      entity: 'bundle',
      entityId: b.id,
      detail: { path: input.path },
    });
    const file = this.fileOf(b, input.path);
    if (input.offset > file.bytes) {
      throw new AppError('INVALID_INPUT', `offset ${input.offset} is past the end (${file.bytes})`);
    }
    const n = Math.min(input.length, file.bytes - input.offset);
    const buf = Buffer.alloc(n);
    const fd = openSync(join(this.bagDir(b), fromPosix(input.path)), 'r');
    try {
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buf, done, n - done, input.offset + done);
        if (got === 0) break;
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    const at = this.deps.now();
    if (this.viewings.starts(`${user.id}:${b.id}:${input.path}`, at, input.offset === 0)) {
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'bundle.file_read',
        entity: 'bundle',
        entityId: b.id,
        caseId: b.caseId,
        data: {
          path: input.path,
          sessionId: b.sessionId,
          grantId: basis.kind === 'grant' ? basis.grantId : null,
          basis: basis.kind,
        },
      });
    }
    return { data: buf.toString('base64'), bytes: n, eof: input.offset + n >= file.bytes };
  }

  private fileOf(
    b: SealedBundleRef,
    path: string,
  ): { path: string; sha256: string; bytes: number } {
    // Each piece of a read asks this: the one file is measured, not the whole bag.
    const f = this.listed(b).find((x) => x.path === path);
    if (!f) throw new AppError('NOT_FOUND', `${path} is not a file of bundle ${b.bagName}`);
    return { ...f, bytes: this.sizeOf(b, path) };
  }
}
