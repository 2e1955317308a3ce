/**
 * The party, or another participant at their turn, refuses to sign (R2.2, R2.3): the refusal
 * and its reason go on the record, a `refusal` marker goes on the transcript's timeline at the
 * current session time, the next signer goes on, and two or more officers sign.
 */
import type { SigningStatusDto } from '../../../shared/api/signing';
import type { Caller } from '../context';
import type { SigningContext } from './context';
import { assertMay } from './machine';
import { sessionTime } from './rules';
import type { SigningReader } from './status';
import { insertAct, markRefused } from './store';
import { signersOfRecord } from './document';
import type { Transcript } from '../../platform/pdf/model';

/** The latest a refusal marker may sit on the transcript's timeline (a week in). */
const MARKER_AT_MOST_MS = 7 * 24 * 3600 * 1000;

export class SigningRefusal {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
  ) {}

  /**
   * Records the refusal of whoever signs now (`signer`, when given, must be them), with its
   * reason; the next signer, or the officers, sign next.
   */
  refuse(
    caller: Caller,
    signingId: number,
    reason: string,
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.ctx.locked(signingId, () => {
      const user = this.reader.desk(caller, signingId, 'recording a refusal');
      const row = this.reader.row(signingId);
      this.ctx.armings.clear(signingId);
      const latest = this.reader.latestVersion(signingId);
      const progress = assertMay(this.reader.facts(row, latest, this.reader.acts(signingId)), {
        kind: 'refusal',
        signer,
      });
      const who = progress.acting ?? 0;
      const name = signersOfRecord(JSON.parse(latest.transcript) as Transcript)[who]!.name;
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
          signer: who,
          data: JSON.stringify({ reason }),
          via: 'desk',
          userId: user.id,
          at,
          atMs,
        });
        // The party's refusal lays the whole record out with the note; another signer's
        // refusal is noted in its place and the signing goes on.
        if (who === 0) markRefused(db, signingId);
        // The refusal marker on the transcript's timeline, in the same transaction.
        const { seq } = transcripts.get(row.session_id);
        transcripts.apply(caller, row.session_id, seq, [
          {
            type: 'marker.add',
            id: `refusal-${signingId}-${id}`,
            kind: 'refusal',
            at: Math.min(atMs, MARKER_AT_MOST_MS),
            note: who === 0 ? reason : `${name}：${reason}`,
          },
        ]);
        const data = {
          signingId,
          actId: id,
          version: latest.version,
          reason,
          ...(who ? { signer: who, name } : {}),
        };
        this.ctx.timeline(session, 'signing.refused', at, user.id, data);
        this.ctx.audit(caller, session, 'signing.refused', signingId, data);
      })();
      this.ctx.emit(row, latest.version);
      return this.reader.describe(signingId);
    });
  }
}
