/**
 * The party refuses to sign (R2.2): the refusal and its reason go on the record, a `refusal`
 * marker goes on the transcript's timeline at the current session time, and two or more
 * officers sign.
 */
import { CASE_WRITERS } from '../../../shared/api/index';
import type { SigningStatusDto } from '../../../shared/api/signing';
import { requireRole, type Caller } from '../context';
import type { SigningContext } from './context';
import { assertMay } from './machine';
import { sessionTime } from './rules';
import type { SigningReader } from './status';
import { insertAct, markRefused } from './store';

/** The latest a refusal marker may sit on the transcript's timeline (a week in). */
const MARKER_AT_MOST_MS = 7 * 24 * 3600 * 1000;

export class SigningRefusal {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
  ) {}

  /** Records the party's refusal, with its reason; the officers sign next. */
  refuse(caller: Caller, signingId: number, reason: string): Promise<SigningStatusDto> {
    return this.ctx.locked(signingId, () => {
      const user = requireRole(caller, CASE_WRITERS, 'recording a refusal');
      const row = this.reader.row(signingId);
      this.ctx.armings.clear(signingId);
      const latest = this.reader.latestVersion(signingId);
      assertMay(this.reader.facts(row, latest, this.reader.acts(signingId)), { kind: 'refusal' });
      const session = this.ctx.ports.sessions.get(row.session_id);
      const at = this.ctx.deps.now();
      const atMs = sessionTime(session, at);
      const { db } = this.ctx.deps;
      const { transcripts } = this.ctx.ports;
      db.transaction(() => {
        const id = insertAct(db, {
          signingId,
          version: latest.version,
          kind: 'refusal',
          data: JSON.stringify({ reason }),
          via: 'desk',
          userId: user.id,
          at,
          atMs,
        });
        markRefused(db, signingId);
        // The refusal marker on the transcript's timeline, in the same transaction.
        const { seq } = transcripts.get(row.session_id);
        transcripts.apply(caller, row.session_id, seq, [
          {
            type: 'marker.add',
            id: `refusal-${signingId}-${id}`,
            kind: 'refusal',
            at: Math.min(atMs, MARKER_AT_MOST_MS),
            note: reason,
          },
        ]);
        const data = { signingId, actId: id, version: latest.version, reason };
        this.ctx.timeline(session, 'signing.refused', at, user.id, data);
        this.ctx.audit(caller, session, 'signing.refused', signingId, data);
      })();
      this.ctx.emit(row, latest.version);
      return this.reader.describe(signingId);
    });
  }
}
