/**
 * Who took part remotely (R2.3), as the session's timeline has it: each remote participant
 * invited into the live room, with every time they joined and left. The written record and the
 * sealed record name them from this; their sources are recorded like the desk's own.
 */
import type { ParticipantRole } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';
import { sessionEvents } from '../sessions';

export interface RemoteParticipation {
  inviteId: number;
  name: string;
  role: ParticipantRole;
  /**
   * Each time in the room: joined and left (wall clock ms; left is null while still in), and
   * the identity as an officer checked it on video during that visit (null: not checked).
   */
  visits: {
    joinedAt: number;
    leftAt: number | null;
    why: string | null;
    identity: { at: number; credential: string; checkedBy: string } | null;
  }[];
}

export function remoteParticipationOf(db: Db, sessionId: number): RemoteParticipation[] {
  const byInvite = new Map<number, RemoteParticipation>();
  for (const e of sessionEvents(db, sessionId)) {
    if (
      e.kind !== 'remote.joined' &&
      e.kind !== 'remote.left' &&
      e.kind !== 'remote.identity_checked'
    )
      continue;
    const d = e.data as {
      inviteId: number;
      name: string;
      role: ParticipantRole;
      why?: string;
      credential?: string;
      checkedBy?: string;
    };
    let p = byInvite.get(d.inviteId);
    if (!p) {
      p = { inviteId: d.inviteId, name: d.name, role: d.role, visits: [] };
      byInvite.set(d.inviteId, p);
    }
    if (e.kind === 'remote.joined')
      p.visits.push({ joinedAt: e.at, leftAt: null, why: null, identity: null });
    else if (e.kind === 'remote.identity_checked') {
      const visit = p.visits.at(-1);
      if (visit)
        visit.identity = { at: e.at, credential: d.credential ?? '', checkedBy: d.checkedBy ?? '' };
    } else {
      const open = p.visits.findLast((v) => v.leftAt === null);
      if (open) {
        open.leftAt = e.at;
        open.why = d.why ?? null;
      }
    }
  }
  return [...byInvite.values()];
}
