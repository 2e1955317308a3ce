/**
 * Step 4: the session's event log for its bag: its audit entries (with their sequence
 * number and hash in the case store's own chain, so the two can be checked against each
 * other) and its timeline (segments, faults, signing acts), merged in time order, ending
 * with the seal request.
 */
import type { UserDto } from '../../../shared/domain';
import type { AuditLog } from '../../platform/audit';
import type { Db } from '../../platform/db/database';
import { sessionEvents } from '../sessions';
import { signingIdsOfSession } from '../signing';
import type { EventInput } from '../../platform/bagit/eventlog';
import type { SessionRecord } from './record';
import { ZH_ENUMS } from '../../../shared/names-zh';

export type SealEvent = EventInput & { at: number };

export function eventLogOf(
  deps: { db: Db; audit: AuditLog },
  r: SessionRecord,
  at: number,
  user: UserDto,
): SealEvent[] {
  const { db, audit } = deps;
  const { session, signing } = r;
  const start = session.startedAt ?? 0;
  const auditRows = audit.entriesAbout([
    { entity: 'session', ids: [session.id] },
    { entity: 'signing', ids: signingIdsOfSession(db, session.id) },
  ]);
  const merged: { at: number; order: number; entry: SealEvent }[] = [];
  for (const e of auditRows) {
    merged.push({
      at: e.at,
      order: merged.length,
      entry: {
        at: e.at,
        ...(session.startedAt !== null && e.at >= start ? { t: e.at - start } : {}),
        type: `audit.${e.action}`,
        data: {
          auditSeq: e.seq,
          auditHash: e.hash,
          actor: e.actor,
          entity: e.entity,
          entityId: e.entityId,
          data: e.data,
        },
      },
    });
  }
  const segmentNo = new Map(r.segments.map((s) => [s.id, s.segment]));
  for (const e of sessionEvents(db, session.id)) {
    merged.push({
      at: e.at,
      order: merged.length,
      entry: {
        at: e.at,
        ...(e.atUs !== null ? { t: Math.round(e.atUs / 1000) } : {}),
        type: `timeline.${e.kind}`,
        data: {
          timelineId: e.id,
          sourceId: e.sourceId,
          segment: e.segmentId === null ? null : (segmentNo.get(e.segmentId) ?? null),
          userId: e.userId,
          data: e.data,
        },
      },
    });
  }
  // The procedure as the transcript marked it, on the recording's clock.
  for (const m of r.markers) {
    merged.push({
      at: start + m.at,
      order: merged.length,
      entry: {
        at: start + m.at,
        t: m.at,
        type: `transcript.marker.${m.kind}`,
        data: {
          markerId: m.id,
          kind: m.kind,
          name: ZH_ENUMS.markerKind[m.kind],
          note: m.note,
          ...(m.answers ? { answers: m.answers } : {}),
        },
      },
    });
  }
  merged.sort((a, b) => a.at - b.at || a.order - b.order);
  const entries = merged.map((m) => m.entry);
  entries.push({
    at,
    ...(session.startedAt !== null ? { t: at - start } : {}),
    type: 'seal.requested',
    data: {
      by: { userId: user.id, name: user.displayName },
      sessionId: session.id,
      signing: signing
        ? { documentId: signing.document_id, pdfSha256: signing.pdf_sha256, state: signing.state }
        : null,
    },
  });
  return entries;
}
