/**
 * The signing store on a migrated in-memory database: the commands keep to the tables' rules
 * (acts of a kind carry only their own fields) and the queries read back what was written,
 * including those other features use (signed or not, the finished record, the finish act's
 * file hashes).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/platform/db/migrations';
import {
  actsOf,
  finishedRecordOfSession,
  firstVersion,
  hasUnfinishedSigning,
  insertAct,
  insertSigning,
  insertVersion,
  isSessionSigned,
  latestSigningOfSession,
  latestVersion,
  markFinished,
  markRefused,
  refusalsOf,
  signedFilesOf,
  signingById,
  signingIdsOfSession,
  issueSigningToken,
  surfaceOfToken,
  tokenHash,
} from '../../../electron/core/features/signing/store';

const HASH = 'a'.repeat(64);

function store() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF'); // fixture rows without their sessions and users
  migrate(db);
  return db;
}

function open(db: Database.Database, sessionId: number, token: string): number {
  const id = insertSigning(db, {
    sessionId,
    documentId: `doc-${token}`,
    token,
    closingText: '以上笔录我看过，和我说的相符',
    openedBy: 1,
    openedAt: 10,
  });
  insertVersion(db, {
    signingId: id,
    version: 1,
    transcriptSeq: 3,
    turnsHash: HASH,
    contentHash: HASH,
    pageCount: 2,
    transcript: '{"v":1}',
    frozenAt: 10,
    frozenBy: 1,
  });
  return id;
}

const base = { data: '{}', via: 'tablet' as const, userId: null, at: 20, atMs: 5 };

describe('signing store', () => {
  it('reads back signings, versions and acts, oldest act first', () => {
    const db = store();
    const id = open(db, 1, 'k'.repeat(43));
    expect(signingById(db, id)).toMatchObject({ session_id: 1, state: 'open', opened_at: 10 });
    expect(() => signingById(db, id + 1)).toThrow(/no signing/);
    // Each surface's token, kept as a hash; a new one of a surface revokes the one before.
    const pageToken = issueSigningToken(db, id, 'page', 11, null);
    const tablet = issueSigningToken(db, id, 'lan-tablet', 12, null);
    expect(surfaceOfToken(db, id, pageToken.token)).toEqual({ id: pageToken.id, surface: 'page' });
    expect(surfaceOfToken(db, id, tablet.token)).toEqual({ id: tablet.id, surface: 'lan-tablet' });
    expect(surfaceOfToken(db, id + 1, pageToken.token)).toBeNull();
    const stored = db.prepare('SELECT token_sha256 FROM signing_tokens ORDER BY id').all() as {
      token_sha256: string;
    }[];
    expect(stored.map((r) => r.token_sha256)).toEqual([
      tokenHash(pageToken.token),
      tokenHash(tablet.token),
    ]);
    const again = issueSigningToken(db, id, 'page', 13, null);
    expect(surfaceOfToken(db, id, pageToken.token)).toBeNull();
    expect(surfaceOfToken(db, id, again.token)).toEqual({ id: again.id, surface: 'page' });
    expect(surfaceOfToken(db, id, tablet.token)).not.toBeNull();
    expect(() => db.prepare('DELETE FROM signing_tokens').run()).toThrow(/never deleted/);
    expect(() => db.prepare('UPDATE signing_tokens SET revoked_at = 99').run()).toThrow(
      /only ever revoked/,
    );
    expect(latestSigningOfSession(db, 1)?.id).toBe(id);
    expect(latestSigningOfSession(db, 2)).toBeNull();
    expect(hasUnfinishedSigning(db, 1)).toBe(true);
    expect(hasUnfinishedSigning(db, 2)).toBe(false);

    insertVersion(db, {
      signingId: id,
      version: 2,
      transcriptSeq: 5,
      turnsHash: HASH,
      contentHash: HASH,
      pageCount: 3,
      transcript: '{"v":2}',
      frozenAt: 30,
      frozenBy: 1,
    });
    expect(latestVersion(db, id)).toMatchObject({ version: 2, page_count: 3 });
    expect(firstVersion(db, id)).toMatchObject({ version: 1, transcript: '{"v":1}' });

    const view = insertAct(db, { ...base, signingId: id, version: 2, kind: 'view', page: 1 });
    const page = insertAct(db, {
      ...base,
      signingId: id,
      version: 2,
      kind: 'page',
      page: 1,
      handwriting: '{"strokes":[]}',
    });
    expect(page).toBeGreaterThan(view);
    expect(actsOf(db, id)).toEqual([
      {
        id: view,
        version: 2,
        kind: 'view',
        page: 1,
        correction_id: null,
        officer_id: null,
        signer: 0,
        handwriting: null,
        data: '{}',
        at: 20,
        at_ms: 5,
      },
      expect.objectContaining({ id: page, kind: 'page', handwriting: '{"strokes":[]}' }),
    ]);
    // The tables' own rules still hold: a view carries no handwriting.
    expect(() =>
      insertAct(db, {
        ...base,
        signingId: id,
        version: 2,
        kind: 'view',
        page: 1,
        handwriting: '{}',
      }),
    ).toThrow(/CHECK/);
    // Initials at a correction are the first signer's only; a signer is named.
    expect(() =>
      insertAct(db, {
        ...base,
        signingId: id,
        version: 2,
        kind: 'initials',
        correctionId: 'c1',
        signer: 1,
        handwriting: '{}',
      }),
    ).toThrow(/CHECK/);
    expect(
      insertAct(db, {
        ...base,
        signingId: id,
        version: 2,
        kind: 'page',
        page: 1,
        signer: 2,
        handwriting: '{}',
      }),
    ).toBeGreaterThan(page);
  });

  it('records a refusal, then the finished record other features read', () => {
    const db = store();
    const id = open(db, 7, 'r'.repeat(43));
    expect(refusalsOf(db, id)).toEqual([]);
    insertAct(db, {
      ...base,
      via: 'desk',
      userId: 1,
      signingId: id,
      version: 1,
      kind: 'refusal',
      data: JSON.stringify({ reason: '不愿签名' }),
    });
    markRefused(db, id);
    expect(signingById(db, id).state).toBe('refused');
    expect(refusalsOf(db, id)).toMatchObject([{ signer: 0, reason: '不愿签名' }]);
    expect(isSessionSigned(db, 7)).toBe(false);
    expect(finishedRecordOfSession(db, 7)).toBeNull();
    expect(signedFilesOf(db, id)).toEqual({});

    const files = { 'transcript.json': HASH, 'signatures.json': 'b'.repeat(64) };
    insertAct(db, {
      ...base,
      via: 'desk',
      userId: 1,
      signingId: id,
      version: 1,
      kind: 'finish',
      data: JSON.stringify({ path: 'sessions/7/transcript.pdf', sha256: HASH, files }),
      at: 40,
    });
    markFinished(db, id, {
      at: 40,
      path: 'sessions/7/transcript.pdf',
      sha256: HASH,
      contentHash: HASH,
      pageCount: 2,
    });
    expect(isSessionSigned(db, 7)).toBe(true);
    expect(hasUnfinishedSigning(db, 7)).toBe(false);
    expect(finishedRecordOfSession(db, 7)).toEqual({
      finishedAt: 40,
      pdfPath: 'sessions/7/transcript.pdf',
      pdfSha256: HASH,
      pageCount: 2,
    });
    expect(signedFilesOf(db, id)).toEqual(files);

    // A second signing beside the finished one: both belong to the session's event log.
    const again = open(db, 7, 's'.repeat(43));
    expect(signingIdsOfSession(db, 7).sort((a, b) => a - b)).toEqual([id, again]);
    expect(latestSigningOfSession(db, 7)?.id).toBe(again);
    expect(signingIdsOfSession(db, 8)).toEqual([]);
  });
});
