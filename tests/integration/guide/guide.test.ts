/**
 * The agency's phrase guide (R6.5) through the contract: the form templates' wording until a
 * version is saved, saved only by an administrator or the legal-affairs office, each save a
 * new version in the audit trail; the signing's notices and the transcript's phrases take
 * the guide's words, filled in with the session's officers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseworkEnv, type CaseworkEnv } from '../../helpers/casework';

describe('the phrase guide', () => {
  let w: CaseworkEnv;
  beforeEach(async () => {
    w = await caseworkEnv();
  });
  afterEach(() => w.dispose());

  it('starts from the templates, is revised in versions, and words the notices and the phrases', async () => {
    const first = await w.officer.invoke('guide.get', {});
    expect(first.version).toBe(0);
    const interview = first.entries.filter((e) => e.session === 'interview');
    expect(interview.map((e) => e.step)).toEqual([
      'opening',
      'identity_shown',
      'recording_announced',
      'rights_explained',
      'identity_checked',
      'closing',
    ]);
    const c = await w.officer.invoke('cases.get', { id: w.caseId });
    const session = await w.officer.invoke('sessions.create', {
      caseId: w.caseId,
      kind: 'interview',
      place: '询问室',
      officers: [
        { officerId: w.officers[0].id, role: 'interviewer' },
        { officerId: w.officers[1].id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
    });
    const before = await w.officer.invoke('guide.forSession', { sessionId: session.id });
    expect(before.phrases.find((p) => p.step === 'identity_shown')!.text).toContain('张伟、李娜');
    // The editor shows the placeholders by their Chinese names.
    expect(interview.find((e) => e.step === 'identity_shown')!.text).toContain('{执法人员}');

    // An officer does not revise it; the legal-affairs office does.
    const revised = first.entries.map((e) =>
      e.session === 'interview' && e.step === 'recording_announced'
        ? { ...e, text: '{当事人}，本次询问由{执法人员}全程录音录像，你是否清楚？' }
        : e,
    );
    await expect(w.officer.invoke('guide.save', { entries: revised })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const saved = await w.reviewer.client.invoke('guide.save', {
      entries: [...revised, { session: 'interview', step: 'closing', text: '请仔细核对笔录。' }],
      note: '统一录音录像告知用语',
    });
    expect(saved).toMatchObject({ version: 1, setBy: '周法制', note: '统一录音录像告知用语' });

    const notices = await w.officer.invoke('signing.phrases', { sessionId: session.id });
    expect(notices.find((p) => p.step === 'recording_announced')!.statement).toBe(
      '赵六，本次询问由张伟、李娜全程录音录像，你是否清楚？',
    );
    const after = await w.officer.invoke('guide.forSession', { sessionId: session.id });
    expect(after.version).toBe(1);
    expect(after.phrases.filter((p) => p.step === 'closing').map((p) => p.text)).toEqual([
      first.entries.find((e) => e.session === 'interview' && e.step === 'closing')!.text,
      '请仔细核对笔录。',
    ]);
    await expect(
      w.reviewer.client.invoke('guide.save', {
        entries: [
          { session: 'interview', step: 'opening', text: '重复的用语' },
          { session: 'interview', step: 'closing', text: '重复的用语' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const trail = await w.admin.invoke('audit.list', { limit: 50 });
    expect(trail.filter((e) => e.action === 'guide.saved')).toHaveLength(1);
  });
});
