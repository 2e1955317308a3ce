/**
 * The hearing procedure's time limits (行政处罚法 第六十四条) as pure rules, and as the core
 * records a case's notice of the right, the party's request and the notice of the hearing
 * (real SQLite, the contract in memory).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import {
  daysBetween,
  hearingProcedureStatus,
  requestDeadline,
} from '../../../electron/shared/rules/hearing';
import { fromWallClock } from '../../../electron/shared/time';
import { caseInput, PASSWORD, seed, tempCore } from '../../helpers/core';

const TZ = 'Asia/Shanghai';
/** An instant of a Beijing wall clock. */
const bj = (month: number, day: number, hour = 10, minute = 0) =>
  fromWallClock({ year: 2026, month, day, hour, minute, second: 0 }, TZ);

describe('the hearing time limits', () => {
  it('gives five calendar days to ask, the day of the notice not counted, to the end of the last day', () => {
    // Told on 1 December at 16:30: the last day to ask is 6 December, to its end.
    const deadline = requestDeadline(bj(12, 1, 16, 30), TZ);
    expect(deadline).toBe(bj(12, 7, 0, 0) - 1);
    // The same in another zone: a day is the agency's day.
    expect(requestDeadline(Date.UTC(2026, 11, 1, 23, 0), 'UTC')).toBe(Date.UTC(2026, 11, 7) - 1);
    expect(daysBetween(bj(12, 1, 23, 59), bj(12, 8, 0, 1), TZ)).toBe(7);
  });

  it('says where the procedure stands', () => {
    const notice = { servedAt: bj(12, 1) };
    const at = (answer: Parameters<typeof hearingProcedureStatus>[0]['answer'], now = bj(12, 3)) =>
      hearingProcedureStatus({ notice, answer, summons: null }, now, TZ);
    expect(hearingProcedureStatus({ notice: null, answer: null, summons: null }, 0, TZ).stage).toBe(
      'not-told',
    );
    expect(at(null).stage).toBe('awaiting-request');
    expect(at(null, bj(12, 7, 0, 1)).stage).toBe('lapsed');
    expect(at({ kind: 'waiver', at: bj(12, 2) }).stage).toBe('waived');
    expect(at({ kind: 'request', at: bj(12, 6, 23, 0) }).stage).toBe('to-notify');
    const late = at({ kind: 'request', at: bj(12, 8), accepted: false });
    expect(late).toMatchObject({ stage: 'refused-late', requestLate: true });
    expect(at({ kind: 'request', at: bj(12, 8), accepted: true }).stage).toBe('to-notify');
    const summons = (hearingAt: number, agreed = false) =>
      hearingProcedureStatus(
        {
          notice,
          answer: { kind: 'request', at: bj(12, 2) },
          summons: { notifiedAt: bj(12, 3, 17), hearingAt, shortNoticeAgreed: agreed },
        },
        bj(12, 4),
        TZ,
      );
    expect(summons(bj(12, 10, 9))).toMatchObject({
      stage: 'notified',
      noticeDays: 7,
      noticeTooShort: false,
    });
    expect(summons(bj(12, 9, 9))).toMatchObject({ noticeDays: 6, noticeTooShort: true });
    expect(summons(bj(12, 9, 9), true).noticeTooShort).toBe(false);
  });
});

describe('a case’s hearing procedure', () => {
  let env: ReturnType<typeof tempCore>;
  let admin: Client;
  let desk: Client;
  let caseId: number;
  let officers: Awaited<ReturnType<typeof seed>>['officers'];

  beforeEach(async () => {
    // 1 December 2026, 10:00 in Beijing.
    env = tempCore(bj(12, 1));
    admin = connectInMemory(env.core);
    ({ officers } = await seed(admin));
    await admin.invoke('app.setTimeZone', { timeZone: TZ });
    caseId = (await admin.invoke('cases.create', caseInput([officers[0].id, officers[1].id]))).id;
    desk = connectInMemory(env.core);
    await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
  });
  afterEach(() => env.dispose());

  const day = 86_400_000;

  it('records the notice, a request in time and the notice of the hearing seven days ahead', async () => {
    // Only the case team: the administrator is not on it.
    await expect(admin.invoke('hearings.procedure', { caseId })).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
    });
    let p = await desk.invoke('hearings.procedure', { caseId });
    expect(p.status.stage).toBe('not-told');
    await expect(
      desk.invoke('hearings.recordAnswer', {
        caseId,
        kind: 'request',
        at: bj(12, 1),
        way: 'written',
        by: '赵六',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    p = await desk.invoke('hearings.recordNotice', {
      caseId,
      documentNo: '石人防听告〔2026〕3号',
      servedAt: bj(12, 1),
      servedTo: '赵六',
    });
    expect(p.status).toMatchObject({
      stage: 'awaiting-request',
      requestDeadline: bj(12, 7, 0, 0) - 1,
    });
    env.advance(2 * day);
    p = await desk.invoke('hearings.recordAnswer', {
      caseId,
      kind: 'request',
      at: bj(12, 3),
      way: 'oral',
      by: '赵六',
      note: '当事人口头提出，已记入笔录',
    });
    expect(p.status.stage).toBe('to-notify');
    env.advance(6 * 3_600_000);
    // Six days' notice is too short unless the party agreed to it.
    const summons = {
      caseId,
      documentNo: '石人防听通〔2026〕3号',
      notifiedAt: bj(12, 3, 15),
      hearingAt: bj(12, 9, 9),
      place: '石家庄市人防办听证室',
      moderatorOfficerId: officers[2].id,
      public: true,
    };
    await expect(desk.invoke('hearings.recordSummons', summons)).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('七日前'),
    });
    // The moderator is not an investigator of the case.
    await expect(
      desk.invoke('hearings.recordSummons', {
        ...summons,
        hearingAt: bj(12, 10, 9),
        moderatorOfficerId: officers[0].id,
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // A hearing not held in public says why.
    await expect(
      desk.invoke('hearings.recordSummons', {
        ...summons,
        hearingAt: bj(12, 10, 9),
        public: false,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    p = await desk.invoke('hearings.recordSummons', { ...summons, hearingAt: bj(12, 10, 9) });
    expect(p.status).toMatchObject({ stage: 'notified', noticeDays: 7, noticeTooShort: false });
    expect(p.summons).toMatchObject({ moderator: { name: '王芳' }, recordedBy: '张伟' });
    // Moved up with the party's agreement, on record.
    p = await desk.invoke('hearings.recordSummons', {
      ...summons,
      shortNoticeAgreed: '当事人书面同意提前举行听证',
    });
    expect(p.status).toMatchObject({ noticeDays: 6, noticeTooShort: false });
    const trail = await admin.invoke('audit.list', { limit: 20 });
    expect(trail.filter((e) => e.action.startsWith('hearing.')).map((e) => e.action)).toEqual([
      'hearing.summons_served',
      'hearing.summons_served',
      'hearing.answer_recorded',
      'hearing.notice_served',
    ]);
  });

  it('lets the period lapse, and takes a late request only as the agency decided it', async () => {
    await desk.invoke('hearings.recordNotice', {
      caseId,
      documentNo: '石人防听告〔2026〕4号',
      servedAt: bj(12, 1),
      servedTo: '赵六',
    });
    env.advance(6 * day + 60_000);
    expect((await desk.invoke('hearings.procedure', { caseId })).status.stage).toBe('lapsed');
    const late = {
      caseId,
      kind: 'request' as const,
      at: bj(12, 7, 10, 1),
      way: 'written' as const,
      by: '赵六',
    };
    await expect(desk.invoke('hearings.recordAnswer', late)).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('after the period'),
    });
    const p = await desk.invoke('hearings.recordAnswer', {
      ...late,
      late: { accepted: false, reason: '超过法定期限且无正当理由' },
    });
    expect(p.status).toMatchObject({ stage: 'refused-late', requestLate: true });
    await expect(
      desk.invoke('hearings.recordSummons', {
        caseId,
        documentNo: 'x',
        notifiedAt: bj(12, 7, 11),
        hearingAt: bj(12, 20, 9),
        place: '听证室',
        moderatorOfficerId: officers[2].id,
        public: true,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
