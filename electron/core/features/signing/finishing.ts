/**
 * Finishing a signing: the signed record is rendered with the workstation's identity (PAdES)
 * and written, with its transcript and stroke data, durably into the session's folder beside
 * its media; the hashes go on the record so the seal can tell if a file was touched later.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningFinishedDto } from '../../../shared/api/signing';
import { fsyncDirectorySync, writeFileAtomicSync } from '../../platform/fs';
import { canonicalJson } from '../../platform/pdf/canonical';
import type { Transcript } from '../../platform/pdf/model';
import type { Caller } from '../context';
import type { SigningContext } from './context';
import { assertMay } from './machine';
import type { SigningPreviews } from './previews';
import { sessionTime, signaturesOf } from './rules';
import type { SigningReader } from './status';
import { insertAct, markFinished } from './store';

export class SigningFinishing {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
    private readonly previews: SigningPreviews,
  ) {}

  /**
   * Renders the signed record with the workstation identity (PAdES) and writes it, with
   * its transcript and stroke data, into the session's folder; records its SHA-256.
   */
  finish(caller: Caller, signingId: number): Promise<SigningFinishedDto> {
    return this.ctx.locked(signingId, async () => {
      const user = this.reader.desk(caller, signingId, 'finishing a signing');
      const row = this.reader.row(signingId);
      this.ctx.armings.clear(signingId);
      const version = this.reader.latestVersion(signingId);
      const acts = this.reader.acts(signingId);
      assertMay(this.reader.facts(row, version, acts), { kind: 'finish' });
      const session = this.ctx.ports.sessions.get(row.session_id);
      const transcript = JSON.parse(version.transcript) as Transcript;
      const form = this.ctx.printer.templates().kinds[transcript.kind];
      const mode = this.reader.mode(row);
      const signatures = signaturesOf(
        acts,
        version.version,
        mode,
        session,
        form,
        transcript.header.signers?.length ?? 0,
      );
      const at = this.ctx.deps.now();
      const rendered = await this.ctx.printer.signed({ transcript, signatures }, new Date(at));

      const rel = `sessions/${session.id}`;
      const dir = join(this.ctx.dataDir, 'sessions', String(session.id));
      mkdirSync(dir, { recursive: true });
      const transcriptJson = Buffer.from(canonicalJson(transcript), 'utf8');
      const signaturesJson = Buffer.from(canonicalJson(signatures), 'utf8');
      // Their hashes go on the record, so the seal can tell if either was touched afterwards.
      const files = {
        'transcript.json': createHash('sha256').update(transcriptJson).digest('hex'),
        'signatures.json': createHash('sha256').update(signaturesJson).digest('hex'),
      };
      writeFileAtomicSync(join(dir, 'transcript.json'), transcriptJson);
      writeFileAtomicSync(join(dir, 'signatures.json'), signaturesJson);
      writeFileAtomicSync(join(dir, 'transcript.pdf'), rendered.pdf);
      fsyncDirectorySync(dir);

      const path = `${rel}/transcript.pdf`;
      const atMs = sessionTime(session, at);
      const { db } = this.ctx.deps;
      db.transaction(() => {
        insertAct(db, {
          signingId,
          version: version.version,
          kind: 'finish',
          data: JSON.stringify({ path, sha256: rendered.sha256, files }),
          via: 'desk',
          userId: user.id,
          at,
          atMs,
        });
        markFinished(db, signingId, {
          at,
          path,
          sha256: rendered.sha256,
          contentHash: rendered.contentHash,
          pageCount: rendered.pageCount,
        });
        const data = {
          signingId,
          version: version.version,
          path,
          sha256: rendered.sha256,
          contentHash: rendered.contentHash,
          pageCount: rendered.pageCount,
          bytes: rendered.pdf.length,
          party: signatures.kind,
          files,
        };
        this.ctx.timeline(session, 'signing.finished', at, user.id, data);
        this.ctx.audit(caller, session, 'signing.finished', signingId, data);
      })();
      this.previews.drop(signingId);
      this.ctx.emit(row, version.version);
      return {
        signingId,
        sessionId: session.id,
        path,
        sha256: rendered.sha256,
        contentHash: rendered.contentHash,
        pageCount: rendered.pageCount,
        bytes: rendered.pdf.length,
        finishedAt: at,
      };
    });
  }
}
