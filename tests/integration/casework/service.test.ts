/**
 * Issued documents and their service (R1.5, R2.1) on the demo's case, through the contract:
 * a document issued with the agency seal and a PAdES signature, numbered in sequence; each of
 * the five methods of service with what it needs (留置 without a witness or an A/V record is
 * refused); filing refused while a served document lacks its proof; the filing clock from the
 * end of the matter; the filing act archiving the case.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { syntheticHandwriting } from '../../../electron/core/demo/handwriting';
import { drawSealPng } from '../../../electron/core/platform/pdf/seal-image';
import { DECISION_CONTENT, DECISION_VALUES } from '../../helpers/casework';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import type { DemoSession } from '../../../electron/core/demo/session';

const DAY = 86_400_000;

describe('documents and their service', () => {
  let env: SealEnv;
  let desk: Client;
  let admin: Client;
  let demo: DemoSession;
  let reviewer: Client;
  let leader: Client;
  let handSeed = 40;
  const hand = () =>
    syntheticHandwriting({ characters: 3, seed: handSeed++, t0: env.now() - 1000 });

  beforeEach(async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    ({ desk, admin, demo } = await readySession(env));
    await admin.invoke('users.create', {
      username: 'zhoufz',
      displayName: '周法制',
      password: 'long enough pw 1',
      roles: ['legal_reviewer'],
    });
    reviewer = env.connect();
    await reviewer.invoke('auth.signIn', { username: 'zhoufz', password: 'long enough pw 1' });
    leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
  }, 60_000);
  afterEach(() => env.dispose());

  const setIdentity = () =>
    admin.invoke('documents.setIdentity', {
      name: '石家庄市人民防空办公室',
      shortName: '石人防',
      seal: drawSealPng().toString('base64'),
    });
  const check = (pdf: { data: string }, name: string) => {
    const file = join(env.dataDir, name);
    writeFileSync(file, Buffer.from(pdf.data, 'base64'));
    const tool = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, [...args, file, ...(cmd === 'pdftotext' ? ['-'] : [])], {
        encoding: 'utf8',
      });
      expect(r.error, `${cmd} must be installed`).toBeUndefined();
      return r.stdout;
    };
    return {
      signature: tool('pdfsig', []),
      images: tool('pdfimages', ['-list'])
        .split('\n')
        .filter((l) => /^\s*\d+\s+\d+\s+image/.test(l)),
      text: tool('pdftotext', []).replace(/\s+/g, ''),
    };
  };
  const approve = async () => {
    for (const to of ['investigation', 'review'] as const)
      await desk.invoke('cases.advancePhase', { id: demo.caseId, to });
    const form = await desk.invoke('approvals.propose', {
      caseId: demo.caseId,
      kind: 'decision',
      collectiveRequired: false,
      content: { ...DECISION_CONTENT, evidenceSessionIds: [demo.sessionId] },
      handwriting: hand(),
    });
    await reviewer.invoke('approvals.review', {
      formId: form.id,
      decision: 'agree',
      opinion: '同意',
      requiresDiscussion: false,
      handwriting: hand(),
    });
    await leader.invoke('approvals.decide', {
      formId: form.id,
      decision: 'agree',
      opinion: '同意',
      handwriting: hand(),
    });
    await desk.invoke('cases.advancePhase', { id: demo.caseId, to: 'service' });
  };
  const issue = async (template: string, extra: Record<string, string>) => {
    const values = await desk.invoke('documents.prefill', { caseId: demo.caseId, template });
    return desk.invoke('documents.issue', {
      caseId: demo.caseId,
      template,
      values: { ...values, ...extra },
    });
  };
  const NOTICE = {
    facts: '新建民用建筑未按规定修建防空地下室',
    evidence: '询问笔录及音像记录',
    basis: '《中华人民共和国人民防空法》第四十八条',
    proposedPenalty: '警告，并处罚款五万元',
  };

  it('issues documents sealed, signed and numbered in turn, once the agency has a seal', async () => {
    await expect(issue('penalty-notice', NOTICE)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('电子印章'),
    });
    // Only an administrator sets the seal, and only a PNG.
    await expect(
      desk.invoke('documents.setIdentity', { name: '某机关', shortName: '某' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      admin.invoke('documents.setIdentity', {
        name: '某机关',
        shortName: '某',
        seal: Buffer.from('not an image').toString('base64'),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await setIdentity();
    await expect(issue('penalty-notice', { ...NOTICE, facts: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('违法事实'),
    });
    const first = await issue('penalty-notice', NOTICE);
    env.advance(60_000);
    const second = await issue('hearing-rights-notice', {
      facts: NOTICE.facts,
      basis: NOTICE.basis,
      proposedPenalty: NOTICE.proposedPenalty,
    });
    expect(first.docNo).toBe('石人防罚告字〔2026〕1号');
    expect(second.docNo).toMatch(/^石人防.+〔2026〕1号$/);
    const again = await issue('penalty-notice', NOTICE);
    expect(again.docNo).toBe('石人防罚告字〔2026〕2号');
    const printed = check(
      await desk.invoke('documents.pdf', { documentId: first.id }),
      'notice.pdf',
    );
    expect(printed.signature).toMatch(/Signature Validation: Signature is Valid\./);
    expect(printed.images).toHaveLength(1);
    expect(printed.text).toContain('石人防罚告字〔2026〕1号');
    expect(printed.text).toContain('2026年12月1日');
    expect(first).toMatchObject({ needsService: true, served: false, endsMatter: false });
    // The issued PDF is part of the case file: outside the case team it needs a grant (R6.1).
    await expect(reviewer.invoke('documents.pdf', { documentId: first.id })).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
    });
  }, 60_000);

  it('serves by each method with what it needs, and files only with every proof', async () => {
    await setIdentity();
    const notice = await issue('penalty-notice', NOTICE);
    const c = await desk.invoke('cases.get', { id: demo.caseId });
    const servers = c.officers.map((o) => o.officerId);
    const base = {
      documentId: notice.id,
      recipient: '赵六',
      place: '当事人住所',
      servedAt: env.now() - 60_000,
      serverOfficerIds: servers,
    };

    // 直接送达: the recipient signs; the receipt is printed, sealed and signed there.
    const direct = await desk.invoke('documents.serve', {
      ...base,
      method: 'direct',
      recipientSignature: hand(),
    });
    expect(direct.proof).toEqual({ proven: true, servedAt: base.servedAt });
    const receipt = check(
      await desk.invoke('documents.receiptPdf', { serviceId: direct.id }),
      'r.pdf',
    );
    expect(receipt.signature).toMatch(/Signature is Valid/);
    expect(receipt.text).toContain('送达回证');
    expect(receipt.text).toContain('直接送达');

    // 留置送达: a witness and the A/V record of the act, or it is refused.
    const left = {
      ...base,
      method: 'left' as const,
      refusal: '受送达人拒绝签收',
      witness: { name: '居委会 刘某', unit: '建设北大街社区居委会' },
      sessionId: demo.sessionId,
    };
    // Without the witness's signature, or without the A/V record, it is refused.
    await expect(desk.invoke('documents.serve', left as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      desk.invoke('documents.serve', {
        ...left,
        witnessSignature: hand(),
        sessionId: undefined,
      } as never),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const planned = await desk.invoke('sessions.create', {
      caseId: demo.caseId,
      kind: 'inspection',
      place: '当事人住所',
      officers: c.officers.slice(0, 2).map((o, i) => ({
        officerId: o.officerId,
        role: i === 0 ? ('investigator' as const) : ('recorder' as const),
      })),
      participants: [],
    });
    await expect(
      desk.invoke('documents.serve', {
        ...left,
        witnessSignature: hand(),
        sessionId: planned.id,
      }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('音像记录'),
    });
    await expect(
      desk.invoke('documents.serve', {
        ...left,
        witnessSignature: hand(),
        serverOfficerIds: servers.slice(0, 1),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const leftDone = await desk.invoke('documents.serve', { ...left, witnessSignature: hand() });
    expect(leftDone).toMatchObject({ sessionId: demo.sessionId, proof: { proven: true } });
    const leftReceipt = check(
      await desk.invoke('documents.receiptPdf', { serviceId: leftDone.id }),
      'l.pdf',
    );
    expect(leftReceipt.text).toContain('留置送达');
    expect(leftReceipt.text).toContain('受送达人拒绝签收');

    // 委托送达 and 邮寄送达: proven by the receipt attached later.
    const entrusted = await desk.invoke('documents.serve', {
      ...base,
      method: 'entrusted',
      entrustedTo: '长安区人民防空办公室',
    });
    expect(entrusted.proof).toEqual({ proven: false, missing: 'receipt' });
    await expect(
      desk.invoke('documents.serve', {
        ...base,
        method: 'postal',
        carrier: 'EMS',
        trackingNo: '12',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const postal = await desk.invoke('documents.serve', {
      ...base,
      method: 'postal',
      carrier: 'EMS',
      trackingNo: 'EA123456789CN',
    });
    env.advance(3 * DAY);
    const proven = await desk.invoke('documents.attachReceipt', {
      serviceId: postal.id,
      fileName: '妥投证明.pdf',
      data: Buffer.from('%PDF-1.4 receipt').toString('base64'),
      receivedAt: env.now() - DAY,
    });
    expect(proven.proof).toEqual({ proven: true, servedAt: env.now() - DAY });
    await expect(
      desk.invoke('documents.attachReceipt', {
        serviceId: direct.id,
        fileName: 'x.pdf',
        data: Buffer.from('x').toString('base64'),
        receivedAt: env.now(),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    // 公告送达: served once its period has run.
    const notice2 = await issue('penalty-notice', NOTICE);
    const published = await desk.invoke('documents.serve', {
      ...base,
      documentId: notice2.id,
      servedAt: env.now(),
      method: 'public_notice',
      publishedIn: '本机关官方网站及公告栏',
      why: '受送达人下落不明',
    });
    expect(published.proof).toMatchObject({ proven: false, missing: 'notice_period' });

    // The decision, approved and issued, starts the filing clock; filing waits for proofs.
    await approve();
    const decision = await issue('penalty-decision', DECISION_VALUES);
    let status = await desk.invoke('filing.status', { caseId: demo.caseId });
    expect(status.clock).toMatchObject({
      matterEndedAt: decision.issuedAt,
      deadline: decision.issuedAt + 30 * DAY,
      status: 'ok',
      daysLeft: 30,
    });
    const codes = status.blockers.map((b) => b.code);
    expect(codes).toEqual(expect.arrayContaining(['not_served', 'no_proof', 'unsealed_session']));
    await expect(
      reviewer.invoke('filing.file', {
        caseId: demo.caseId,
        tocSha256: status.tocSha256,
        handwriting: hand(),
      }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('送达尚缺证明'),
    });
    // Nor does moving the phase archive it.
    await expect(
      desk.invoke('cases.advancePhase', { id: demo.caseId, to: 'archiving' }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });

    await desk.invoke('documents.serve', {
      ...base,
      documentId: decision.id,
      servedAt: env.now(),
      method: 'direct',
      recipientSignature: hand(),
    });
    env.advance(5 * DAY);
    const executed = await desk.invoke('documents.recordExecution', {
      documentId: decision.id,
      result: 'fulfilled',
      detail: '已缴清罚款',
      executedAt: env.now() - DAY,
    });
    await desk.invoke('documents.attachReceipt', {
      serviceId: entrusted.id,
      fileName: '送达回证.jpg',
      data: Buffer.from('jpeg').toString('base64'),
      receivedAt: env.now() - 2 * DAY,
    });
    await desk.invoke('sessions.seal', { id: demo.sessionId });
    status = await desk.invoke('filing.status', { caseId: demo.caseId });
    // The clock runs from the last execution now, and the public notice still stands.
    expect(status.clock.matterEndedAt).toBe(executed.executedAt);
    expect(status.blockers.map((b) => b.code)).toEqual(['no_proof']);
    const board = await desk.invoke('filing.board', {});
    expect(board.find((r) => r.caseId === demo.caseId)).toMatchObject({ blockers: 1 });

    env.advance(31 * DAY);
    status = await desk.invoke('filing.status', { caseId: demo.caseId });
    expect(status.blockers).toEqual([]);
    // The public notice's 30 days ran past the 30 days of filing from the execution.
    expect(status.clock).toMatchObject({ status: 'overdue', daysLeft: -2 });
    // Only a reviewer, clerk or leader files; a stale table of contents is refused.
    await expect(
      desk.invoke('filing.file', {
        caseId: demo.caseId,
        tocSha256: status.tocSha256,
        handwriting: hand(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      reviewer.invoke('filing.file', {
        caseId: demo.caseId,
        tocSha256: '0'.repeat(64),
        handwriting: hand(),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const filed = await reviewer.invoke('filing.file', {
      caseId: demo.caseId,
      tocSha256: status.tocSha256,
      handwriting: hand(),
    });
    expect(filed.filing).toMatchObject({ reviewedBy: '周法制', tocSha256: status.tocSha256 });
    expect(filed.clock.status).toBe('filed_late');
    expect((await desk.invoke('cases.get', { id: demo.caseId })).phase).toBe('archiving');
    expect((await desk.invoke('filing.board', {})).map((r) => r.caseId)).not.toContain(demo.caseId);
    // A filed case is closed: no more documents.
    await expect(issue('penalty-notice', NOTICE)).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
    });
    env.advance(60 * DAY);
    // The clock stopped at the filing: it stays as it was then.
    expect((await desk.invoke('filing.status', { caseId: demo.caseId })).clock).toMatchObject({
      status: 'filed_late',
      daysLeft: null,
    });
  }, 120_000);
});
