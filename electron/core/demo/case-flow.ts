/**
 * The demonstration case around its session, through the same core services the app uses:
 * the agency's name and seal set, the decision approval form proposed, reviewed and decided
 * (each signing in person), the case moved on to service, the penalty decision issued with
 * the agency seal and served directly (the recipient signing), its execution recorded, and
 * the case filed with its signed table of contents.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '../../shared/client';
import type { FilingStatusDto } from '../../shared/api/filing';
import type { IssuedDocumentDto } from '../../shared/api/documents';
import { drawSealPng } from '../platform/pdf/seal-image';
import { syntheticHandwriting } from './handwriting';
import type { DemoSession } from './session';

export interface DemoCaseOptions {
  demo: DemoSession;
  connect: () => Client;
  now: () => number;
  advance: (ms: number) => void;
  say?: (line: string) => void;
}

export interface DemoCase {
  decision: IssuedDocumentDto;
  filing: FilingStatusDto;
  reviewer: { username: string; password: string };
}

export const DEMO_AGENCY = { name: '石家庄市人民防空办公室', shortName: '石人防' };

export async function fileDemoCase(o: DemoCaseOptions): Promise<DemoCase> {
  const say = o.say ?? (() => undefined);
  const { demo } = o;
  const admin = o.connect();
  const desk = o.connect();
  const leader = o.connect();
  const reviewer = o.connect();
  let seed = 700;
  const hand = (characters = 3) =>
    syntheticHandwriting({ characters, seed: seed++, t0: o.now() - 1500 });
  try {
    await admin.invoke('auth.signIn', demo.accounts.admin);
    const reviewerAccount = {
      username: 'demo-reviewer',
      password: `${randomBytes(9).toString('base64url')}-Aa1`,
    };
    await admin.invoke('users.create', {
      ...reviewerAccount,
      displayName: '周法制',
      roles: ['legal_reviewer'],
    });
    await admin.invoke('documents.setIdentity', {
      ...DEMO_AGENCY,
      seal: drawSealPng().toString('base64'),
    });
    await desk.invoke('auth.signIn', demo.accounts.officer);
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await reviewer.invoke('auth.signIn', reviewerAccount);

    // The session is sealed before the case moves on (the case file lists its bundle).
    const session = await desk.invoke('sessions.get', { id: demo.sessionId });
    if (session.status !== 'sealed') {
      say('sealing the session…');
      o.advance(60_000);
      await desk.invoke('sessions.seal', { id: demo.sessionId });
    }
    let c = await desk.invoke('cases.get', { id: demo.caseId });
    for (const to of ['investigation', 'review'] as const)
      if (c.phase !== to && c.phase !== 'review')
        c = await desk.invoke('cases.advancePhase', { id: c.id, to });

    say('approval form: proposal, legal review, the leader’s decision…');
    o.advance(3_600_000);
    const form = await desk.invoke('approvals.propose', {
      caseId: c.id,
      kind: 'decision',
      collectiveRequired: false,
      content: {
        facts: `当事人${c.parties[0]?.name ?? ''}新建民用建筑未按规定修建防空地下室，经询问当事人承认上述事实。`,
        evidenceSessionIds: [demo.sessionId],
        evidence: ['现场检查照片 12 张', '建设工程规划许可证复印件'],
        legalBasis: '《中华人民共和国人民防空法》第二十二条、第四十八条',
        discretion: '当事人积极配合调查，属初次违法，依裁量基准从轻处罚。',
        proposal: '拟给予警告，并处罚款人民币伍万元整。',
      },
      handwriting: hand(),
    });
    o.advance(3_600_000);
    await reviewer.invoke('approvals.review', {
      formId: form.id,
      decision: 'agree',
      opinion: '事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。',
      requiresDiscussion: false,
      handwriting: hand(),
    });
    o.advance(3_600_000);
    await leader.invoke('approvals.decide', {
      formId: form.id,
      decision: 'agree',
      opinion: '同意。',
      handwriting: hand(2),
    });
    c = await desk.invoke('cases.advancePhase', { id: c.id, to: 'service', note: '决定已批准' });

    say('issuing the decision with the agency seal…');
    o.advance(3_600_000);
    const values = await desk.invoke('documents.prefill', {
      caseId: c.id,
      template: 'penalty-decision',
    });
    const decision = await desk.invoke('documents.issue', {
      caseId: c.id,
      template: 'penalty-decision',
      values: {
        ...values,
        partyAddress: values.partyAddress || '石家庄市长安区建设北大街 88 号',
        facts: '你单位新建民用建筑未按照国家有关规定修建防空地下室。',
        evidence: '询问笔录及全程音像记录、现场检查照片、建设工程规划许可证复印件',
        basis: '《中华人民共和国人民防空法》第二十二条、第四十八条',
        discretion: '当事人积极配合调查，属初次违法，依裁量基准从轻处罚。',
        penalty: '一、警告；二、罚款人民币伍万元整（¥50,000.00）。',
        paymentWay: '自收到本决定书之日起十五日内，到指定银行缴纳罚款。',
      },
    });

    say('serving it directly: the recipient signs the receipt…');
    o.advance(86_400_000);
    await desk.invoke('documents.serve', {
      method: 'direct',
      documentId: decision.id,
      recipient: c.parties[0]?.name ?? '当事人',
      place: '石家庄市人民防空办公室 204 室',
      servedAt: o.now() - 60_000,
      serverOfficerIds: c.officers.map((x) => x.officerId).slice(0, 2),
      recipientSignature: hand(),
    });
    o.advance(10 * 86_400_000);
    await desk.invoke('documents.recordExecution', {
      documentId: decision.id,
      result: 'fulfilled',
      detail: '当事人已于期限内缴清罚款，附缴款凭证。',
      executedAt: o.now() - 3_600_000,
    });

    say('filing the case: the table of contents reviewed and signed…');
    o.advance(86_400_000);
    const status = await reviewer.invoke('filing.status', { caseId: c.id });
    if (status.blockers.length)
      throw new Error(
        `the case cannot be filed: ${status.blockers.map((b) => b.detail).join('; ')}`,
      );
    const filing = await reviewer.invoke('filing.file', {
      caseId: c.id,
      tocSha256: status.tocSha256,
      handwriting: hand(),
    });
    const [served] = await desk.invoke('documents.list', { caseId: c.id });
    return { decision: served ?? decision, filing, reviewer: reviewerAccount };
  } finally {
    for (const client of [admin, desk, leader, reviewer]) client.close();
  }
}
