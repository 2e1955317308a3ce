/**
 * Playback reads the recorded files through the contract; a read from the start of a file is
 * a viewing, recorded in the audit trail once (who, the session, the source, the file), and
 * the reads that follow are not repeated there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

describe('reading recorded media', () => {
  let env: SealEnv;
  let desk: Client;
  let admin: Client;
  let sessionId: number;
  let ready: Awaited<ReturnType<typeof readySession>>;

  beforeAll(async () => {
    env = sealEnv();
    ready = await readySession(env, 3);
    desk = ready.desk;
    admin = ready.admin;
    sessionId = ready.demo.sessionId;
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  it('records who viewed which file, once per viewing, and the audit viewer finds it', async () => {
    const status = await desk.invoke('recording.status', { sessionId });
    const seg = status.segments.find((s) => s.kind === 'camera')!;
    const ref = { sessionId, sourceId: seg.sourceId, segment: seg.segment };
    const before = (await admin.invoke('audit.search', { kind: 'media', limit: 500 })).entries;
    const first = await desk.invoke('recording.read', { ...ref, offset: 0, length: 4096 });
    expect(first.bytes).toBe(4096);
    await desk.invoke('recording.read', { ...ref, offset: 4096, length: 4096 });
    await desk.invoke('recording.read', { ...ref, offset: 8192, length: 4096 });
    const after = (await admin.invoke('audit.search', { kind: 'media', limit: 500 })).entries;
    const views = after.filter((e) => e.action === 'media.read');
    expect(views.length - before.filter((e) => e.action === 'media.read').length).toBe(1);
    const detail = await desk.invoke('sessions.get', { id: sessionId });
    expect(views[0]).toMatchObject({
      actor: '张伟',
      entity: 'session',
      entityId: sessionId,
      caseId: detail.caseId,
      data: { sourceId: seg.sourceId, segment: seg.segment, path: seg.path },
    });
    // A second viewing from the start is a second entry.
    await desk.invoke('recording.read', { ...ref, offset: 0, length: 16 });
    const again = (await admin.invoke('audit.search', { kind: 'media', limit: 500 })).entries;
    expect(again.filter((e) => e.action === 'media.read')).toHaveLength(views.length + 1);
    // Reading from the middle does not go unrecorded: another account's first read is an
    // entry, and so is the same account's after an hour.
    const lina = env.connect();
    await lina.invoke('auth.signIn', ready.demo.accounts.officer2);
    await lina.invoke('recording.read', { ...ref, offset: 100, length: 16 });
    env.advance(61 * 60_000);
    await desk.invoke('recording.read', { ...ref, offset: 200, length: 16 });
    await desk.invoke('recording.read', { ...ref, offset: 300, length: 16 });
    const later = (await admin.invoke('audit.search', { kind: 'media', limit: 500 })).entries;
    const reads = later.filter((e) => e.action === 'media.read');
    expect(reads).toHaveLength(views.length + 3);
    expect(reads.slice(0, 2).map((e) => e.actor)).toEqual(['张伟', '李娜']);
    // A read that fails (past the end) is refused and not recorded as a viewing.
    await expect(
      desk.invoke('recording.read', { ...ref, offset: 1e12, length: 16 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(
      (await admin.invoke('audit.search', { kind: 'media', limit: 500 })).entries.filter(
        (e) => e.action === 'media.read',
      ),
    ).toHaveLength(reads.length);
  });
});
