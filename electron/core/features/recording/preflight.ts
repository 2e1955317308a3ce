/**
 * The pre-flight check (R3.6): before recording, each source is mapped to a registered,
 * numbered device, the disk is checked for the expected recording, and the clocks compared.
 * Segments may be opened only for what the latest pre-flight names.
 */
import type { PreflightDto, PreflightInput } from '../../../shared/api/recording';
import { AppError } from '../../../shared/errors';
import { requireUser, type Caller } from '../context';
import { deviceByNo } from '../registers';
import type { RecordingContext } from './context';
import { checkPreflightSpace } from './rules';
import type { StatusPush } from './status-push';
import { insertPreflight } from './store';

export class Preflight {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly status: StatusPush,
  ) {}

  save(caller: Caller, sessionId: number, preflight: PreflightInput): PreflightDto {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    const saved = db.transaction(() => {
      const s = ctx.session(sessionId);
      if (s.status === 'ended' || s.status === 'sealed') {
        throw new AppError('CONFLICT', `the session is ${s.status}`);
      }
      for (const source of preflight.sources) {
        const device = deviceByNo(db, source.deviceNo.toUpperCase());
        if (!device) {
          throw new AppError(
            'RULE_VIOLATION',
            `device ${source.deviceNo} is not registered (R3.6: devices are registered and numbered)`,
          );
        }
        if (!device.active)
          throw new AppError('CONFLICT', `device ${source.deviceNo} is not active`);
        if (device.kind !== source.kind) {
          throw new AppError(
            'RULE_VIOLATION',
            `device ${source.deviceNo} is registered as a ${device.kind}, not a ${source.kind}`,
          );
        }
      }
      const disk = ctx.measureDisk();
      checkPreflightSpace(disk.freeBytes, ctx.opts.floorBytes, preflight.disk.expectedBytes);
      const at = now();
      const core = {
        at,
        timeZone: ctx.deps.timeZone(),
        freeBytes: disk.freeBytes,
        totalBytes: disk.totalBytes,
        // The renderer's clock against the core's, at the moment of confirmation (≈ one round trip).
        clockSkewMs: preflight.confirmedAt - at,
      };
      const id = insertPreflight(db, { sessionId, preflight, core, savedBy: user.id, at });
      ctx.addEvent({
        session: s,
        at,
        kind: 'preflight.saved',
        userId: user.id,
        data: {
          preflightId: id,
          sources: preflight.sources.map((x) => ({
            sourceId: x.sourceId,
            deviceNo: x.deviceNo.toUpperCase(),
            role: x.role,
          })),
          freeBytes: disk.freeBytes,
          expectedBytes: preflight.disk.expectedBytes,
        },
      });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'recording.preflight_saved',
        entity: 'session',
        entityId: sessionId,
        caseId: s.caseId,
        data: { preflight, core },
      });
      return { id, sessionId, preflight, core, savedBy: user.id, savedAt: at };
    })();
    this.status.push(sessionId);
    return saved;
  }
}
