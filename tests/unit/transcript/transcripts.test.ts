import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { openCore } from '../../../electron/core';
import { SNAPSHOT_EVERY } from '../../../electron/core/features/transcript/rules';
import type { SessionDto } from '../../../electron/shared/domain';
import type { TranscriptActionInput } from '../../../electron/shared/rules/transcript';
import {
  registerChecked,
  startChecked,
  caseInput,
  PASSWORD,
  seed,
  tempCore,
} from '../../helpers/core';

describe('transcripts', () => {
  let env: ReturnType<typeof tempCore>;
  let client: Client;
  /** The administrator who set things up: not on the case team. */
  let admin: Client;
  let session: SessionDto;

  beforeEach(async () => {
    env = tempCore();
    client = connectInMemory(env.core);
    const { officers } = await seed(client);
    await registerChecked(client);
    const c = await client.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
    session = await client.invoke('sessions.create', {
      caseId: c.id,
      kind: 'interview',
      place: '询问室',
      officers: [
        { officerId: officers[0].id, role: 'interviewer' },
        { officerId: officers[1].id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
    });
    admin = client;
    // The record is written by the case team: 张伟, the case's officer, at the desk.
    client = connectInMemory(env.core);
    await client.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
  });
  afterEach(() => env.dispose());

  it('is written by the case team only, whatever else one may do', async () => {
    await startChecked(client, session.id);
    await expect(
      admin.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: 0,
        actions: [{ type: 'turn.add', id: 'a', speaker: 'question', at: 0 }],
      }),
    ).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
      message: expect.stringContaining('记录笔录'),
    });
    const refused = (await admin.invoke('audit.list', { limit: 5 })).find(
      (e) => e.action === 'access.refused',
    );
    expect(refused?.data).toMatchObject({ what: '记录笔录', mode: 'write' });
    await client.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: [{ type: 'turn.add', id: 'a', speaker: 'question', at: 0 }],
    });
  });

  it('starts on the session clock and ends only with confirmation', async () => {
    await expect(
      client.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: 0,
        actions: [{ type: 'turn.add', id: 'a', speaker: 'question', at: 0 }],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const started = await startChecked(client, session.id);
    expect(started).toMatchObject({
      status: 'recording',
      startedAt: Date.UTC(2026, 10, 23, 9, 0, 0),
    });
    expect(started.timeZone).toBeTruthy();
    await expect(client.invoke('sessions.end', { id: session.id } as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    env.advance(3_600_000);
    const ended = await client.invoke('sessions.end', { id: session.id, confirm: true });
    expect(ended.endedAt! - ended.startedAt!).toBe(3_600_000);
    // A stop time on the session clock is the end (R2.4), capped by the present.
    expect(ended.endedAt).toBe(ended.startedAt! + 3_600_000);
    await expect(client.invoke('sessions.start', { id: session.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('persists every acknowledged edit, refuses a stale writer, and survives a restart', async () => {
    await startChecked(client, session.id);
    const watcher = connectInMemory(env.core);
    const seen: number[] = [];
    watcher.subscribe('transcript.changed', (p) => seen.push(p.seq));
    const r1 = await client.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: [
        { type: 'marker.add', id: 'm1', kind: 'recording_announced', at: 2_000 },
        { type: 'turn.add', id: 't1', speaker: 'question', at: 4_000 },
        { type: 'turn.text', id: 't1', text: '今天我们依法对你进行询问' },
      ],
    });
    expect(r1.seq).toBe(3);
    await expect(
      client.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: 1,
        actions: [{ type: 'turn.text', id: 't1', text: 'stale' }],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // An action that does not fit is refused whole: none of the batch is applied.
    await expect(
      client.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: 3,
        actions: [
          { type: 'turn.text', id: 't1', text: 'half' },
          { type: 'turn.text', id: 'missing', text: 'x' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect.poll(() => seen).toEqual([3]);

    env.core.close();
    const reopened = openCore({ dataDir: env.dataDir, log: () => {} });
    try {
      const c2 = connectInMemory(reopened);
      await c2.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
      const t = await c2.invoke('transcripts.get', { sessionId: session.id });
      expect(t.seq).toBe(3);
      expect(t.state.turns).toEqual([
        { id: 't1', speaker: 'question', text: '今天我们依法对你进行询问', at: 4_000 },
      ]);
    } finally {
      reopened.close();
    }
  });

  it('snapshots long logs and replays to the same state', async () => {
    await startChecked(client, session.id);
    let seq = 0;
    const total = SNAPSHOT_EVERY * 2 + 37;
    for (let i = 0; i < total; i += 100) {
      const actions: TranscriptActionInput[] = [];
      for (let j = i; j < Math.min(i + 100, total); j++) {
        actions.push({
          type: 'turn.add',
          id: `t${j}`,
          speaker: j % 2 ? 'answer' : 'question',
          text: `第${j}段`,
          at: j * 1000,
        });
      }
      seq = (
        await client.invoke('transcripts.apply', { sessionId: session.id, baseSeq: seq, actions })
      ).seq;
    }
    expect(seq).toBe(total);
    const zhang = connectInMemory(env.core);
    await zhang.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    const live = await zhang.invoke('transcripts.get', { sessionId: session.id });
    env.core.close();
    const reopened = openCore({ dataDir: env.dataDir, log: () => {} });
    try {
      const c2 = connectInMemory(reopened);
      await c2.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
      const replayed = await c2.invoke('transcripts.get', { sessionId: session.id });
      expect(replayed).toEqual(live);
      expect(replayed.state.turns).toHaveLength(total);
    } finally {
      reopened.close();
    }
  });

  it('takes the end time from when the recording stopped, never later than now', async () => {
    const started = await startChecked(client, session.id);
    env.advance(90_000); // the last bytes were saved a while after the stop
    const ended = await client.invoke('sessions.end', {
      id: session.id,
      confirm: true,
      stoppedAtSessionMs: 87_500,
    });
    expect(ended.endedAt).toBe(started.startedAt! + 87_500);
    const other = await client.invoke('sessions.create', {
      caseId: session.caseId,
      kind: 'interview',
      place: '询问室',
      officers: session.officers.map((o) => ({ officerId: o.officerId, role: o.role })),
      participants: [],
    });
    const s2 = await startChecked(client, other.id);
    env.advance(1_000);
    const e2 = await client.invoke('sessions.end', {
      id: other.id,
      confirm: true,
      stoppedAtSessionMs: 10_000_000,
    });
    expect(e2.endedAt).toBe(s2.startedAt! + 1_000);
  });
});
