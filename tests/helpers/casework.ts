/**
 * A core with the people a case around its sessions needs (two officers with accounts, a
 * legal reviewer, two leaders, a clerk), the agency's name and seal set, and a penalty case
 * with a party; handwriting for anyone who signs in person.
 */
import { connectInMemory } from '../../electron/core/transports/memory';
import { syntheticHandwriting } from '../../electron/core/demo/handwriting';
import { drawSealPng } from '../../electron/core/platform/pdf/seal-image';
import { PASSWORD, caseInput, residentId, seed, tempCore } from './core';

export type CaseworkEnv = Awaited<ReturnType<typeof caseworkEnv>>;

export async function caseworkEnv(o: { identity?: boolean } = {}) {
  const env = tempCore(Date.UTC(2026, 11, 1, 2, 0, 0));
  const admin = connectInMemory(env.core);
  const { officers, officerUser, officerUser2 } = await seed(admin);
  const account = async (username: string, displayName: string, roles: string[]) => {
    const user = await admin.invoke('users.create', {
      username,
      displayName,
      password: PASSWORD,
      roles: roles as ['leader'],
    });
    const client = connectInMemory(env.core);
    await client.invoke('auth.signIn', { username, password: PASSWORD });
    return { user, client, login: { username, password: PASSWORD } };
  };
  const reviewer = await account('zhoufz', '周法制', ['legal_reviewer']);
  const leader = await account('chenjz', '陈局长', ['leader']);
  const leader2 = await account('liufjz', '刘副局长', ['leader']);
  const clerk = await account('sunsj', '孙书记员', ['clerk']);
  const officer = connectInMemory(env.core);
  await officer.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
  if (o.identity !== false)
    await admin.invoke('documents.setIdentity', {
      name: '石家庄市人民防空办公室',
      shortName: '石人防',
      seal: drawSealPng().toString('base64'),
    });
  const c = await officer.invoke('cases.create', {
    ...caseInput([officers[0].id, officers[1].id]),
    parties: [
      {
        kind: 'person',
        name: '赵六',
        idType: 'resident_id',
        idNumber: residentId(),
        address: '石家庄市长安区建设北大街 88 号',
      },
    ],
  });
  let handSeed = 1;
  const hand = () =>
    syntheticHandwriting({ characters: 3, seed: handSeed++, t0: Date.UTC(2026, 11, 1) });
  return {
    env,
    admin,
    officer,
    officers,
    officerUser,
    officerUser2,
    reviewer,
    leader,
    leader2,
    clerk,
    caseId: c.id,
    hand,
    dispose: () => {
      for (const client of [
        admin,
        officer,
        reviewer.client,
        leader.client,
        leader2.client,
        clerk.client,
      ])
        client.close();
      return env.dispose();
    },
  };
}

/** A decision form taken through review and the leader's approval while the case is in review. */
export async function approveDecision(w: CaseworkEnv): Promise<void> {
  const c = await w.officer.invoke('cases.get', { id: w.caseId });
  for (const to of ['investigation', 'review'] as const)
    if (c.phase !== 'review' && (to === 'review' || c.phase === 'initiation'))
      await w.officer.invoke('cases.advancePhase', { id: w.caseId, to });
  const form = await w.officer.invoke('approvals.propose', {
    caseId: w.caseId,
    kind: 'decision',
    collectiveRequired: false,
    content: DECISION_CONTENT,
    handwriting: w.hand(),
  });
  await w.reviewer.client.invoke('approvals.review', {
    formId: form.id,
    decision: 'agree',
    opinion: '同意',
    requiresDiscussion: false,
    handwriting: w.hand(),
  });
  await w.leader.client.invoke('approvals.decide', {
    formId: form.id,
    decision: 'agree',
    opinion: '同意',
    handwriting: w.hand(),
  });
}

export const DECISION_CONTENT = {
  facts: '当事人新建民用建筑未按规定修建防空地下室。',
  evidenceSessionIds: [],
  evidence: ['现场检查笔录', '建设工程规划许可证'],
  legalBasis: '《中华人民共和国人民防空法》第二十二条、第四十八条',
  discretion: '初次违法，从轻处罚',
  proposal: '拟给予警告，并处罚款五万元',
};

export const DECISION_VALUES = {
  facts: '新建民用建筑未按规定修建防空地下室。',
  evidence: '现场检查笔录、建设工程规划许可证',
  basis: '《中华人民共和国人民防空法》第二十二条、第四十八条',
  discretion: '初次违法，从轻处罚',
  penalty: '警告，并处罚款人民币伍万元整',
  paymentWay: '自收到本决定书之日起十五日内缴纳',
};
