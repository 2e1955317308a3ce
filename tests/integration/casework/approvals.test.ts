/**
 * The approval form (审批表, R1.4) through the contract: the handler proposes, the legal
 * review comes before the leader, a collective discussion is held and signed by each
 * participant where required, an approval given before the case reached review does not
 * count, and the decided form is a PDF whose signature pdfsig accepts.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { PASSWORD } from '../../helpers/core';
import { DECISION_CONTENT, caseworkEnv, type CaseworkEnv } from '../../helpers/casework';

describe('approval forms', () => {
  let w: CaseworkEnv;
  beforeEach(async () => {
    w = await caseworkEnv();
  });
  afterEach(() => w.dispose());

  const propose = (collectiveRequired = false) =>
    w.officer.invoke('approvals.propose', {
      caseId: w.caseId,
      kind: 'decision',
      collectiveRequired,
      content: DECISION_CONTENT,
      handwriting: w.hand(),
    });
  const toPhase = async (to: 'investigation' | 'review') =>
    w.officer.invoke('cases.advancePhase', { id: w.caseId, to });

  it('takes the legal review before the leader, and the leader only of another person', async () => {
    await expect(propose()).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    await toPhase('investigation');
    await toPhase('review');
    // An officer who is not on the case cannot propose.
    const outsider = connectInMemory(w.env.core);
    await w.admin.invoke('users.create', {
      username: 'wangfang',
      displayName: '王芳',
      password: PASSWORD,
      roles: ['officer'],
      officerId: w.officers[2].id,
    });
    await outsider.invoke('auth.signIn', { username: 'wangfang', password: PASSWORD });
    await expect(
      outsider.invoke('approvals.propose', {
        caseId: w.caseId,
        kind: 'decision',
        collectiveRequired: false,
        content: DECISION_CONTENT,
        handwriting: w.hand(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    outsider.close();

    const form = await propose();
    expect(form.progress.stage).toBe('awaiting_review');
    await expect(propose()).rejects.toMatchObject({ code: 'CONFLICT' });
    const decide = () =>
      w.leader.client.invoke('approvals.decide', {
        formId: form.id,
        decision: 'agree',
        opinion: '同意',
        handwriting: w.hand(),
      });
    await expect(decide()).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('审批须依次进行'),
    });
    // The reviewer's opinion is the legal reviewer's: a leader cannot give it.
    await expect(
      w.leader.client.invoke('approvals.review', {
        formId: form.id,
        decision: 'agree',
        opinion: '同意',
        requiresDiscussion: false,
        handwriting: w.hand(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await w.reviewer.client.invoke('approvals.review', {
      formId: form.id,
      decision: 'agree',
      opinion: '事实清楚，证据确凿',
      requiresDiscussion: false,
      handwriting: w.hand(),
    });
    const decided = await decide();
    expect(decided.progress.stage).toBe('approved');
    expect(decided.counts).toBe(true);
    expect(decided.acts.map((a) => [a.step, a.userName, a.casePhase])).toEqual([
      ['proposal', '张伟', 'review'],
      ['review', '周法制', 'review'],
      ['decision', '陈局长', 'review'],
    ]);
    await expect(decide()).rejects.toMatchObject({ code: 'CONFLICT' });

    // The signed PDF, as anyone would check it.
    const pdf = await w.officer.invoke('approvals.pdf', { formId: form.id });
    const file = join(w.env.dataDir, 'check.pdf');
    writeFileSync(file, Buffer.from(pdf.data, 'base64'));
    const sig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    expect(sig.error, 'pdfsig must be installed').toBeUndefined();
    expect(sig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(
      /\s+/g,
      '',
    );
    for (const part of [
      '行政处罚决定审批表',
      '法制审核意见：同意',
      '负责人审批意见：同意',
      '周法制签名',
      '陈局长签名',
    ])
      expect(text).toContain(part);
    await w.officer.invoke('cases.advancePhase', { id: w.caseId, to: 'service' });
  });

  it('holds a collective discussion where required, every participant signing in person', async () => {
    await toPhase('investigation');
    await toPhase('review');
    const form = await propose(true);
    await w.reviewer.client.invoke('approvals.review', {
      formId: form.id,
      decision: 'agree',
      opinion: '案情重大，建议集体讨论',
      requiresDiscussion: true,
      handwriting: w.hand(),
    });
    const decide = () =>
      w.leader.client.invoke('approvals.decide', {
        formId: form.id,
        decision: 'agree',
        opinion: '同意',
        handwriting: w.hand(),
      });
    await expect(decide()).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const participants = [w.leader.user.id, w.leader2.user.id, w.reviewer.user.id];
    let d = await w.leader.client.invoke('approvals.discuss', {
      formId: form.id,
      heldAt: Date.UTC(2026, 11, 1, 1),
      place: '第一会议室',
      participantIds: participants,
      minutes: '陈局长：……；刘副局长：……；周法制：……',
      conclusion: '同意承办人意见',
      handwriting: w.hand(),
    });
    expect(d.progress).toMatchObject({
      stage: 'awaiting_signatures',
      unsigned: [w.leader2.user.id, w.reviewer.user.id],
    });
    await expect(decide()).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // Someone who did not take part cannot sign.
    await expect(
      w.officer.invoke('approvals.signDiscussion', { formId: form.id, handwriting: w.hand() }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The deputy signs at the leader's desk with their own password; the reviewer signed in.
    d = await w.leader.client.invoke('approvals.signDiscussion', {
      formId: form.id,
      handwriting: w.hand(),
      confirmation: w.leader2.login,
    });
    expect(d.acts.at(-1)).toMatchObject({ userName: '刘副局长', presence: 'password' });
    await w.reviewer.client.invoke('approvals.signDiscussion', {
      formId: form.id,
      handwriting: w.hand(),
    });
    const decided = await decide();
    expect(decided.progress.stage).toBe('approved');
    const pdf = await w.officer.invoke('approvals.pdf', { formId: form.id });
    const file = join(w.env.dataDir, 'collective.pdf');
    writeFileSync(file, Buffer.from(pdf.data, 'base64'));
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(
      /\s+/g,
      '',
    );
    for (const part of ['集体讨论记录', '第一会议室', '刘副局长签名', '周法制签名'])
      expect(text).toContain(part);
  });

  it('does not count an approval given before the case reached review', async () => {
    await toPhase('investigation');
    const form = await propose();
    await w.reviewer.client.invoke('approvals.review', {
      formId: form.id,
      decision: 'agree',
      opinion: '同意',
      requiresDiscussion: false,
      handwriting: w.hand(),
    });
    const decided = await w.leader.client.invoke('approvals.decide', {
      formId: form.id,
      decision: 'agree',
      opinion: '同意',
      handwriting: w.hand(),
    });
    expect(decided).toMatchObject({ progress: { stage: 'approved' }, counts: false });
    await toPhase('review');
    await expect(
      w.officer.invoke('cases.advancePhase', { id: w.caseId, to: 'service' }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // A decision issued on it is refused as well.
    await expect(
      w.officer.invoke('documents.issue', {
        caseId: w.caseId,
        template: 'penalty-decision',
        values: {},
      }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('决定审批表'),
    });
  });
});
