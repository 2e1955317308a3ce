/** The rules of the regulations that the case store enforces, through the contract. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../electron/shared/client';
import { type Client } from '../../../electron/shared/client';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { ADMIN, PASSWORD, caseInput, residentId, seed, tempCore } from '../../helpers/core';
import type { OfficerDto } from '../../../electron/shared/domain';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as ApiError).code;
  }
  throw new Error('expected the call to fail');
}

describe('case store rules', () => {
  let env: ReturnType<typeof tempCore>;
  let admin: Client;
  let officers: readonly OfficerDto[];

  beforeEach(async () => {
    env = tempCore();
    admin = connectInMemory(env.core);
    ({ officers } = await seed(admin));
  });
  afterEach(() => env.dispose());

  it('needs two officers on a case, and a duplicate case number is a conflict', async () => {
    expect(await codeOf(admin.invoke('cases.create', caseInput([officers[0]!.id])))).toBe(
      'INVALID_INPUT',
    );
    await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    const dup = admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    await expect(dup).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already exists'),
    });
  });

  it('validates parties: resident ID checksum, credit code for organisations', async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    const bad = admin.invoke('cases.addParty', {
      caseId: c.id,
      party: {
        kind: 'person',
        name: '钱七',
        idType: 'resident_id',
        idNumber: '110105194912310021',
      },
    });
    await expect(bad).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'party.idNumber', message: expect.stringContaining('resident identity') }],
    });
    const org = await admin.invoke('cases.addParty', {
      caseId: c.id,
      party: {
        kind: 'organisation',
        name: '某某建设有限公司',
        idType: 'uscc',
        idNumber: '91350100M000100Y43',
        legalRepresentative: '孙八',
      },
    });
    expect(org.legalRepresentative).toBe('孙八');
  });

  it('needs at least two officers at an interview (R1.3)', async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    const one = admin.invoke('sessions.create', {
      caseId: c.id,
      kind: 'interview',
      place: '询问室',
      officers: [{ officerId: officers[0]!.id, role: 'interviewer' }],
      participants: [],
    });
    await expect(one).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
  });

  it("puts a hearing under one moderator who is not one of the case's investigators", async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    const base = { caseId: c.id, kind: 'hearing' as const, place: '听证室', participants: [] };
    const investigatorPresides = admin.invoke('sessions.create', {
      ...base,
      officers: [
        { officerId: officers[0]!.id, role: 'moderator' },
        { officerId: officers[1]!.id, role: 'investigator' },
      ],
    });
    await expect(investigatorPresides).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const noModerator = admin.invoke('sessions.create', {
      ...base,
      officers: [
        { officerId: officers[1]!.id, role: 'investigator' },
        { officerId: officers[2]!.id, role: 'recorder' },
      ],
    });
    await expect(noModerator).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const ok = await admin.invoke('sessions.create', {
      ...base,
      officers: [
        { officerId: officers[2]!.id, role: 'moderator' },
        { officerId: officers[0]!.id, role: 'investigator' },
      ],
    });
    expect(ok.officers[0]).toMatchObject({ name: '王芳', role: 'moderator' });
    // 听证员 sit with the moderator, not among the investigators, and only at hearings.
    const investigatorOnPanel = admin.invoke('sessions.create', {
      ...base,
      officers: [
        { officerId: officers[2]!.id, role: 'moderator' },
        { officerId: officers[1]!.id, role: 'hearing_officer' },
        { officerId: officers[0]!.id, role: 'investigator' },
      ],
    });
    await expect(investigatorOnPanel).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('听证员'),
    });
    const panelAtInterview = admin.invoke('sessions.create', {
      ...base,
      kind: 'interview',
      officers: [
        { officerId: officers[0]!.id, role: 'interviewer' },
        { officerId: officers[2]!.id, role: 'hearing_officer' },
      ],
    });
    await expect(panelAtInterview).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
  });

  it('refuses a participant who is a party of another case', async () => {
    const a = await admin.invoke(
      'cases.create',
      caseInput([officers[0]!.id, officers[1]!.id], 'A-1'),
    );
    const b = await admin.invoke(
      'cases.create',
      caseInput([officers[0]!.id, officers[1]!.id], 'B-1'),
    );
    const wrong = admin.invoke('sessions.create', {
      caseId: b.id,
      kind: 'summons',
      place: '约谈室',
      officers: [
        { officerId: officers[0]!.id, role: 'interviewer' },
        { officerId: officers[1]!.id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: a.parties[0]!.id, name: '赵六' }],
    });
    await expect(wrong).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('moves phases forward one at a time; service needs the approved decision form; archiving is the filing act', async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    expect(await codeOf(admin.invoke('cases.advancePhase', { id: c.id, to: 'review' }))).toBe(
      'CONFLICT',
    );
    await admin.invoke('cases.advancePhase', { id: c.id, to: 'investigation' });
    await admin.invoke('cases.advancePhase', { id: c.id, to: 'review' });
    expect(
      await codeOf(admin.invoke('cases.advancePhase', { id: c.id, to: 'investigation' })),
    ).toBe('CONFLICT');
    await expect(
      admin.invoke('cases.advancePhase', { id: c.id, to: 'service' }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('请先办结决定审批表'),
    });
    // The rest of the order (review, discussion, leader) is tests/integration/casework's.
    const raw = new Database(join(env.dataDir, 'attest.db'));
    raw.prepare("UPDATE cases SET phase = 'service' WHERE id = ?").run(c.id);
    raw.close();
    await expect(
      admin.invoke('cases.advancePhase', { id: c.id, to: 'archiving', note: '结案归档' }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('立卷归档'),
    });
  });

  it('searches by case number, cause and party, filters by phase and kind, and escapes wildcards', async () => {
    const ids = [officers[0]!.id, officers[1]!.id];
    await admin.invoke('cases.create', caseInput(ids, '石人防罚〔2026〕1号'));
    await admin.invoke('cases.create', {
      ...caseInput(ids, '石人防检〔2026〕2号'),
      matterKind: 'inspection',
      cause: '100%检查',
    });
    expect((await admin.invoke('cases.list', { query: '检〔2026〕' })).total).toBe(1);
    expect(
      (await admin.invoke('cases.list', { matterKind: 'penalty' })).items.map((c) => c.caseNo),
    ).toEqual(['石人防罚〔2026〕1号']);
    expect((await admin.invoke('cases.list', { query: '%' })).total).toBe(1);
    expect((await admin.invoke('cases.list', { phase: 'review' })).total).toBe(0);
    expect((await admin.invoke('cases.list', { query: residentId().slice(0, 10) })).total).toBe(2);
  });

  it('records every change in a hash chain that detects tampering', async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    const trail = await admin.invoke('audit.list', { caseId: c.id });
    expect(trail.map((e) => e.action)).toEqual(['party.added', 'case.created']);
    expect(trail[1]).toMatchObject({ actor: ADMIN.displayName, entity: 'case', entityId: c.id });
    const all = await admin.invoke('audit.list', { limit: 500 });
    // Nothing secret in the trail.
    expect(JSON.stringify(all)).not.toMatch(/scrypt|correct horse|long enough/);
    const good = await admin.invoke('audit.verifyChain', {});
    expect(good).toMatchObject({ ok: true, count: all.length, brokenAt: null, problems: [] });

    // Someone with the database file drops the guard and rewrites entry 3.
    const raw = new Database(join(env.dataDir, 'attest.db'));
    raw.exec('DROP TRIGGER events_no_update');
    raw.prepare('UPDATE events SET data = \'{"forged":true}\' WHERE seq = 3').run();
    raw.close();
    expect(await admin.invoke('audit.verifyChain', {})).toMatchObject({
      ok: false,
      count: 3,
      brokenAt: 3,
      problems: ['the chain does not hold at entry #3'],
    });
  });

  it('locks a username after repeated failures from one address, and logs the attempts', async () => {
    const c = connectInMemory(env.core, { address: '198.51.100.7' });
    for (let i = 0; i < 5; i++) {
      expect(
        await codeOf(c.invoke('auth.signIn', { username: 'zhangwei', password: 'wrong-password' })),
      ).toBe('BAD_CREDENTIALS');
    }
    // Locked: even the right password is refused until the lock passes.
    await expect(
      c.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('too many'),
    });
    // The owner at another address is not locked out by a stranger's guesses.
    const owner = connectInMemory(env.core, { address: '192.0.2.10' });
    expect(
      (await owner.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD })).username,
    ).toBe('zhangwei');
    // Changing the password is checked the same way: wrong current passwords lock too.
    for (let i = 0; i < 5; i++)
      await expect(
        owner.invoke('auth.changePassword', {
          currentPassword: 'wrong-password',
          newPassword: 'another long pw 2',
        }),
      ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await expect(
      owner.invoke('auth.changePassword', {
        currentPassword: PASSWORD,
        newPassword: 'another long pw 2',
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('too many') });
    env.advance(61_000);
    expect(
      (await c.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD })).username,
    ).toBe('zhangwei');
    const failures = (await admin.invoke('audit.list', { entity: 'user' })).filter(
      (e) => e.action === 'auth.failed',
    );
    expect(failures).toHaveLength(10);
    expect(failures.map((f) => (f.data as { address: string }).address).sort()).toEqual([
      ...Array<string>(5).fill('192.0.2.10'),
      ...Array<string>(5).fill('198.51.100.7'),
    ]);
  });

  it('counts parallel guesses as they start, so a burst cannot slip past the lock', async () => {
    const c = connectInMemory(env.core);
    const burst = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        c.invoke('auth.signIn', { username: 'zhangwei', password: 'wrong-password' }),
      ),
    );
    expect(burst.every((r) => r.status === 'rejected')).toBe(true);
    const audited = (await admin.invoke('audit.list', { entity: 'user' })).filter(
      (e) => e.action === 'auth.failed',
    );
    // At most the limit was ever checked against the password; the rest were refused outright.
    expect(audited.length).toBeLessThanOrEqual(5);
    await expect(
      c.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD }),
    ).rejects.toMatchObject({ message: expect.stringContaining('too many') });
  });

  it('signs out a disabled user at once, and never deletes the account', async () => {
    const c = connectInMemory(env.core);
    const me = await c.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    await admin.invoke('users.setDisabled', { id: me.id, disabled: true });
    expect(await codeOf(c.invoke('cases.list', {}))).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(c.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD })),
    ).toBe('BAD_CREDENTIALS');
    expect((await admin.invoke('users.list', {})).find((u) => u.id === me.id)?.disabled).toBe(true);
    expect(await codeOf(admin.invoke('users.setDisabled', { id: 1, disabled: true }))).toBe(
      'CONFLICT',
    );
  });

  it('registers devices under unique numbers and retires them without deleting', async () => {
    const cam = await admin.invoke('devices.register', {
      deviceNo: 'sjz-cam-01',
      kind: 'camera',
      label: '询问室一 近景',
      room: '询问室一',
    });
    expect(cam.deviceNo).toBe('SJZ-CAM-01');
    await expect(
      admin.invoke('devices.register', { deviceNo: 'SJZ-CAM-01', kind: 'camera', label: 'dup' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await admin.invoke('devices.setActive', { id: cam.id, active: false });
    expect(await admin.invoke('devices.list', {})).toEqual([]);
    expect((await admin.invoke('devices.list', { includeInactive: true }))[0]).toMatchObject({
      active: false,
    });
  });

  it('keeps everything across a restart of the core', async () => {
    const c = await admin.invoke('cases.create', caseInput([officers[0]!.id, officers[1]!.id]));
    env.core.close();
    const { openCore } = await import('../../../electron/core');
    const reopened = openCore({ dataDir: env.dataDir, log: () => {} });
    try {
      const client = connectInMemory(reopened);
      expect((await client.invoke('app.info', {})).needsSetup).toBe(false);
      await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
      expect((await client.invoke('cases.get', { id: c.id })).caseNo).toBe(c.caseNo);
      expect((await client.invoke('audit.verifyChain', {})).ok).toBe(true);
    } finally {
      reopened.close();
    }
    // dispose() would close the already-closed core again: that must be harmless.
  });
});
