/**
 * The agency's list of matters recorded on A/V (音像记录事项清单, R3.2, R6.5) through the
 * contract: R3.2's default, a session of a listed kind refused to start without its recording
 * checked (picture and sound for a whole recording), the list's version recorded with the
 * session, and a revised list kept as a new version by the legal-affairs office.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerChecked, startChecked } from '../../helpers/core';
import { caseworkEnv, type CaseworkEnv } from '../../helpers/casework';

describe('the A/V matters list', () => {
  let w: CaseworkEnv;
  beforeEach(async () => {
    w = await caseworkEnv();
    await registerChecked(w.admin);
  });
  afterEach(() => w.dispose());

  const session = async (kind: 'interview' | 'inspection') => {
    const c = await w.officer.invoke('cases.get', { id: w.caseId });
    return w.officer.invoke('sessions.create', {
      caseId: w.caseId,
      kind,
      place: '现场',
      officers: [
        {
          officerId: w.officers[0].id,
          role: kind === 'interview' ? 'interviewer' : 'investigator',
        },
        { officerId: w.officers[1].id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
    });
  };
  const check = (sessionId: number, kinds: ('camera' | 'microphone')[]) =>
    w.officer.invoke('recording.savePreflight', {
      sessionId,
      preflight: {
        sources: kinds.map((kind) => ({
          sourceId: kind === 'camera' ? 'cam1' : 'mic1',
          kind,
          label: kind,
          deviceNo: kind === 'camera' ? 'CHK-CAM-01' : 'CHK-MIC-01',
          role: kind === 'camera' ? ('room_wide' as const) : ('ambient' as const),
        })),
        disk: { freeBytes: 50 * 1024 ** 3, expectedBytes: 1024 ** 2 },
        clock: { utc: Date.UTC(2026, 11, 1, 2), timeZone: 'Asia/Shanghai' },
        confirmedAt: Date.UTC(2026, 11, 1, 2),
      },
    });

  it('refuses to start a listed session without its recording checked, and records the list with it', async () => {
    const list = await w.officer.invoke('avList.get', {});
    expect(list.version).toBe(0);
    expect(list.entries).toContainEqual({
      session: 'inspection',
      matter: 'any',
      requirement: 'whole',
    });
    expect(list.entries).toContainEqual({
      session: 'interview',
      matter: 'coercion',
      requirement: 'whole',
    });

    // An on-site inspection is recorded whole: picture and sound both.
    const inspection = await session('inspection');
    await expect(w.officer.invoke('sessions.start', { id: inspection.id })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('全程不间断录音录像'),
    });
    await check(inspection.id, ['microphone']);
    await expect(w.officer.invoke('sessions.start', { id: inspection.id })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    await check(inspection.id, ['camera', 'microphone']);
    const started = await w.officer.invoke('sessions.start', { id: inspection.id });
    expect(started.avList).toEqual({ version: 0, requirement: 'whole' });

    // An interview is recorded: sound alone will do.
    const interview = await session('interview');
    await check(interview.id, ['microphone']);
    expect((await w.officer.invoke('sessions.start', { id: interview.id })).avList).toEqual({
      version: 0,
      requirement: 'record',
    });
  });

  it('is revised as a new version by the legal-affairs office, and the version goes with the session', async () => {
    const entries = [
      { session: 'interview' as const, matter: 'any' as const, requirement: 'whole' as const },
      { session: 'hearing' as const, matter: 'any' as const, requirement: 'whole' as const },
    ];
    await expect(w.officer.invoke('avList.save', { entries })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      w.reviewer.client.invoke('avList.save', { entries: [...entries, entries[0]!] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const saved = await w.reviewer.client.invoke('avList.save', {
      entries,
      note: '询问一律全程录音录像',
    });
    expect(saved).toMatchObject({ version: 1, setBy: '周法制' });
    // Interviews now need picture and sound; inspections are no longer listed.
    const interview = await session('interview');
    await check(interview.id, ['microphone']);
    await expect(w.officer.invoke('sessions.start', { id: interview.id })).rejects.toMatchObject({
      message: expect.stringContaining('第 1 版'),
    });
    expect((await startChecked(w.officer, interview.id, w.admin)).avList).toEqual({
      version: 1,
      requirement: 'whole',
    });
    const inspection = await session('inspection');
    const free = await w.officer.invoke('sessions.start', { id: inspection.id });
    expect(free.avList).toBeUndefined();
    const trail = await w.admin.invoke('audit.list', { limit: 50 });
    expect(trail.find((e) => e.action === 'avList.saved')).toMatchObject({ actor: '周法制' });
    expect(trail.find((e) => e.action === 'session.started')?.data).toMatchObject({
      avList: null,
    });
  });
});
