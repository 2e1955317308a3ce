/**
 * The hearing procedure's time limits (行政处罚法 第六十四、八十五条: working days) as pure rules,
 * and as the core records a case's notice of the right, the party's request and the notice of
 * the hearing on the agency's calendar (real SQLite, the contract in memory).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import {
  daysBetween,
  earliestHearing,
  hearingProcedureStatus,
  requestDeadline,
  workdaysBetween,
} from '../../../electron/shared/rules/hearing';
import { fromWallClock } from '../../../electron/shared/time';
import { caseInput, PASSWORD, seed, tempCore } from '../../helpers/core';

const TZ = 'Asia/Shanghai';
/** An instant of a Beijing wall clock in 2026 (1 December is a Tuesday). */
const bj = (month: number, day: number, hour = 10, minute = 0) =>
  fromWallClock({ year: 2026, month, day, hour, minute, second: 0 }, TZ);

describe('the hearing time limits', () => {
  it('gives five working days to ask, the day of the notice not counted, to the end of the last day', () => {
    // Told on Tuesday 1 December at 16:30: Wed 2, Thu 3, Fri 4, Mon 7, Tue 8: to the end of the 8th.
    expect(requestDeadline(bj(12, 1, 16, 30), TZ)).toBe(bj(12, 9, 0, 0) - 1);
    // The same in another zone: a day is the agency's day.
    expect(requestDeadline(Date.UTC(2026, 11, 1, 23, 0), 'UTC')).toBe(Date.UTC(2026, 11, 9) - 1);
    expect(daysBetween(bj(12, 1, 23, 59), bj(12, 8, 0, 1), TZ)).toBe(7);
    // A holiday on a weekday moves it on; a weekend made a working day (调休) brings it back.
    const holiday = { holidays: ['2026-12-07'], workdays: [] };
    expect(requestDeadline(bj(12, 1, 16, 30), TZ, holiday)).toBe(bj(12, 10, 0, 0) - 1);
    const makeUp = { holidays: ['2026-12-07'], workdays: ['2026-12-05'] };
    expect(requestDeadline(bj(12, 1, 16, 30), TZ, makeUp)).toBe(bj(12, 9, 0, 0) - 1);
    // Seven working days' notice: notified on Thursday 3 December, the hearing from the 14th.
    expect(workdaysBetween(bj(12, 3, 17), bj(12, 14, 9), TZ)).toBe(7);
    expect(earliestHearing(bj(12, 3, 17), TZ)).toBe(bj(12, 14, 0, 0));
  });

  it('says where the procedure stands', () => {
    const notice = { servedAt: bj(12, 1) };
    const at = (answer: Parameters<typeof hearingProcedureStatus>[0]['answer'], now = bj(12, 3)) =>
      hearingProcedureStatus({ notice, answer, summons: null }, now, TZ);
    expect(hearingProcedureStatus({ notice: null, answer: null, summons: null }, 0, TZ).stage).toBe(
      'not-told',
    );
    expect(at(null).stage).toBe('awaiting-request');
    expect(at(null, bj(12, 8, 23, 59)).stage).toBe('awaiting-request');
    expect(at(null, bj(12, 9, 0, 1)).stage).toBe('lapsed');
    expect(at({ kind: 'waiver', at: bj(12, 2) }).stage).toBe('waived');
    expect(at({ kind: 'request', at: bj(12, 8, 23, 0) }).stage).toBe('to-notify');
    const late = at({ kind: 'request', at: bj(12, 9), accepted: false });
    expect(late).toMatchObject({ stage: 'refused-late', requestLate: true });
    expect(at({ kind: 'request', at: bj(12, 9), accepted: true }).stage).toBe('to-notify');
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
    expect(summons(bj(12, 14, 9))).toMatchObject({
      stage: 'notified',
      noticeDays: 7,
      noticeTooShort: false,
    });
    expect(summons(bj(12, 11, 9))).toMatchObject({ noticeDays: 6, noticeTooShort: true });
    expect(summons(bj(12, 11, 9), true).noticeTooShort).toBe(false);
  });
});

describe('a case’s hearing procedure', () => {
  let env: ReturnType<typeof tempCore>;
  let admin: Client;
  let desk: Client;
  let caseId: number;
  let officers: Awaited<ReturnType<typeof seed>>['officers'];

  beforeEach(async () => {
    // Tuesday 1 December 2026, 10:00 in Beijing.
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

  it('records the notice, a request in time and the notice of the hearing seven working days ahead', async () => {
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
      requestDeadline: bj(12, 9, 0, 0) - 1,
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
    // Notified on Thursday 3 December: four working days to Wednesday the 9th is too short
    // unless the party agreed to it.
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
        hearingAt: bj(12, 14, 9),
        moderatorOfficerId: officers[0].id,
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // A hearing not held in public says why.
    await expect(
      desk.invoke('hearings.recordSummons', {
        ...summons,
        hearingAt: bj(12, 14, 9),
        public: false,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    p = await desk.invoke('hearings.recordSummons', { ...summons, hearingAt: bj(12, 14, 9) });
    expect(p.status).toMatchObject({ stage: 'notified', noticeDays: 7, noticeTooShort: false });
    expect(p.summons).toMatchObject({ moderator: { name: '王芳' }, recordedBy: '张伟' });
    // Moved up with the party's agreement, on record.
    p = await desk.invoke('hearings.recordSummons', {
      ...summons,
      shortNoticeAgreed: '当事人书面同意提前举行',
    });
    expect(p.status).toMatchObject({ noticeDays: 4, noticeTooShort: false });
    const trail = await admin.invoke('audit.list', { limit: 20 });
    expect(trail.filter((e) => e.action.startsWith('hearing.')).map((e) => e.action)).toEqual([
      'hearing.summons_served',
      'hearing.summons_served',
      'hearing.answer_recorded',
      'hearing.notice_served',
    ]);
  });

  it('is read under a grant, and recorded only by the case team', async () => {
    await admin.invoke('users.create', {
      username: 'leader',
      displayName: '周建国',
      password: PASSWORD,
      roles: ['leader'],
    });
    const leader = connectInMemory(env.core);
    await leader.invoke('auth.signIn', { username: 'leader', password: PASSWORD });
    const asked = await admin.invoke('access.request', {
      caseId,
      mode: 'view',
      purpose: '法制审核',
      days: 2,
    });
    await leader.invoke('access.decide', {
      requestId: asked.id,
      decision: 'approved',
      opinion: '同意查阅',
    });
    expect((await admin.invoke('hearings.procedure', { caseId })).status.stage).toBe('not-told');
    await expect(
      admin.invoke('hearings.recordNotice', {
        caseId,
        documentNo: '石人防听告〔2026〕5号',
        servedAt: bj(12, 1),
        servedTo: '赵六',
      }),
    ).rejects.toMatchObject({ code: 'ACCESS_NOT_GRANTED' });
  });

  it('counts on the agency’s calendar, lets the period lapse, and takes a late request only as decided', async () => {
    await desk.invoke('hearings.recordNotice', {
      caseId,
      documentNo: '石人防听告〔2026〕4号',
      servedAt: bj(12, 1),
      servedTo: '赵六',
    });
    // A holiday the administrator set (Monday 7 December) moves the deadline to the 9th.
    await admin.invoke('app.setCalendarDay', { day: '2026-12-07', kind: 'holiday', note: '演示' });
    env.advance(8 * day);
    let p = await desk.invoke('hearings.procedure', { caseId });
    expect(p.status).toMatchObject({
      stage: 'awaiting-request',
      requestDeadline: bj(12, 10, 0, 0) - 1,
    });
    env.advance(day);
    expect((await desk.invoke('hearings.procedure', { caseId })).status.stage).toBe('lapsed');
    const late = {
      caseId,
      kind: 'request' as const,
      at: bj(12, 10, 10, 0),
      way: 'written' as const,
      by: '赵六',
    };
    await expect(desk.invoke('hearings.recordAnswer', late)).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('after the period'),
    });
    p = await desk.invoke('hearings.recordAnswer', {
      ...late,
      late: { accepted: false, reason: '超过法定期限且无正当理由' },
    });
    expect(p.status).toMatchObject({ stage: 'refused-late', requestLate: true });
    await expect(
      desk.invoke('hearings.recordSummons', {
        caseId,
        documentNo: 'x',
        notifiedAt: bj(12, 10, 10),
        hearingAt: bj(12, 30, 9),
        place: '听证室',
        moderatorOfficerId: officers[2].id,
        public: true,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // The calendar: a holiday on a weekend, or a working day on a weekday, makes no sense; it
    // is the administrator's.
    await expect(
      admin.invoke('app.setCalendarDay', { day: '2026-12-05', kind: 'holiday' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      desk.invoke('app.setCalendarDay', { day: '2026-12-08', kind: 'holiday' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await desk.invoke('app.calendar', {})).toEqual([
      { day: '2026-12-07', kind: 'holiday', note: '演示' },
    ]);
    expect(
      (await admin.invoke('audit.list', { limit: 20 })).some(
        (e) => e.action === 'app.calendarDaySet',
      ),
    ).toBe(true);
  });
});
