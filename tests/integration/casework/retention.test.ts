/**
 * Retention (R4.4) on the demo's hearing, where a witness refuses to sign: the record
 * proposes long-term retention, filing waits for the legal officer's answer, a confirmed case
 * seals its A/V long-term and refuses a shorter class, a decline stands until a new ground
 * appears, and the register lists every bundle with the class that applies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import type { DemoSession } from '../../../electron/core/demo/session';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

describe('retention', () => {
  let env: SealEnv;
  let desk: Client;
  let admin: Client;
  let demo: DemoSession;
  let reviewer: Client;

  beforeEach(async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    ({ desk, admin, demo } = await readySession(env, 6, undefined, { kind: 'hearing' }));
    await admin.invoke('users.create', {
      username: 'zhoufz',
      displayName: '周法制',
      password: 'long enough pw 1',
      roles: ['legal_reviewer'],
    });
    reviewer = env.connect();
    await reviewer.invoke('auth.signIn', { username: 'zhoufz', password: 'long enough pw 1' });
  }, 60_000);
  afterEach(() => env.dispose());

  it('proposes long-term retention after a refusal to sign; confirmed, the A/V is kept long-term', async () => {
    const status = await desk.invoke('retention.status', { caseId: demo.caseId });
    expect(status.state).toBe('proposed');
    expect(status.caseClass).toBe('case-3y');
    expect(status.grounds.map((g) => g.ground)).toContain('signature_refused');
    expect(status.grounds.find((g) => g.ground === 'signature_refused')!.evidence).toContain(
      '证人称只对本人证言负责',
    );
    const filing = await desk.invoke('filing.status', { caseId: demo.caseId });
    expect(filing.blockers.map((b) => b.code)).toContain('retention_undecided');

    // The officer does not decide it; the legal officer does, with a reason.
    await expect(
      desk.invoke('retention.decide', {
        caseId: demo.caseId,
        decision: 'confirmed',
        reason: '拒签',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const confirmed = await reviewer.invoke('retention.decide', {
      caseId: demo.caseId,
      decision: 'confirmed',
      reason: '证人拒绝在听证笔录上签名，音像记录长期保存备查',
    });
    expect(confirmed).toMatchObject({ state: 'confirmed', caseClass: 'long-term' });
    await expect(
      reviewer.invoke('retention.decide', {
        caseId: demo.caseId,
        decision: 'declined',
        reason: '改',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    // The seal offers long-term with the reason, and refuses anything shorter.
    const check = await desk.invoke('sessions.sealCheck', { id: demo.sessionId });
    expect(check.defaultRetention).toEqual({
      choice: 'long-term',
      reason: '证人拒绝在听证笔录上签名，音像记录长期保存备查',
    });
    await expect(
      desk.invoke('sessions.seal', { id: demo.sessionId, retention: { choice: 'case-3y' } }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('长期保存'),
    });
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    const register = await reviewer.invoke('retention.register', {});
    expect(register).toEqual([
      expect.objectContaining({
        bundleId: bundle.id,
        caseNo: demo.caseNo,
        sealedClass: 'long-term',
        effectiveClass: 'long-term',
        retainUntil: null,
      }),
    ]);
    await expect(desk.invoke('retention.register', {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  }, 60_000);

  it('keeps a decline until a new ground appears, and lists a sealed bundle at the case file’s class', async () => {
    await reviewer.invoke('retention.decide', {
      caseId: demo.caseId,
      decision: 'declined',
      reason: '证人拒签不影响案件事实认定，按案卷期限保存',
    });
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    let register = await reviewer.invoke('retention.register', {});
    expect(register[0]).toMatchObject({ sealedClass: 'case-3y', effectiveClass: 'case-3y' });
    expect(register[0]!.retainUntil).toBeGreaterThan(bundle.recordedEndAt ?? 0);
    expect(
      (await desk.invoke('filing.status', { caseId: demo.caseId })).blockers.map((b) => b.code),
    ).not.toContain('retention_undecided');
    const again = await desk.invoke('retention.recordIncident', {
      caseId: demo.caseId,
      kind: 'obstruction',
      note: '当事人在送达时阻挠执法人员拍摄',
      occurredAt: env.now() - 1000,
    });
    expect(again.state).toBe('proposed');
    const confirmed = await reviewer.invoke('retention.decide', {
      caseId: demo.caseId,
      decision: 'confirmed',
      reason: '当事人阻挠执法，长期保存',
    });
    expect(confirmed.decisions.map((d) => d.decision)).toEqual(['declined', 'confirmed']);
    // The bag sealed for three years is held to the case file's long term now.
    register = await reviewer.invoke('retention.register', {});
    expect(register[0]).toMatchObject({
      sealedClass: 'case-3y',
      effectiveClass: 'long-term',
      retainUntil: null,
    });
  }, 60_000);
});
