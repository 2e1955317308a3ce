/**
 * How a case starts (R1.2), through the contract: ex officio with an emergency start and its
 * 24-hour report, an application with a correction asked for and made and then accepted or
 * refused, a complaint opened as a case or not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseInput } from '../../helpers/core';
import { caseworkEnv, type CaseworkEnv } from '../../helpers/casework';

describe('initiation', () => {
  let w: CaseworkEnv;
  beforeEach(async () => {
    w = await caseworkEnv();
  });
  afterEach(() => w.dispose());

  const openCase = (caseNo: string) => ({
    caseNo,
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty' as const,
    officerIds: [w.officers[0].id, w.officers[1].id],
  });

  it('keeps an emergency start’s deadline until it is reported, and says when it was late', async () => {
    const c = await w.officer.invoke('cases.create', {
      ...caseInput([w.officers[0].id, w.officers[1].id], '石人防罚〔2026〕31号'),
      emergency: '施工现场正在浇筑，须立即制止',
    });
    let init = await w.officer.invoke('initiation.ofCase', { caseId: c.id });
    expect(init.emergency).toMatchObject({
      reason: '施工现场正在浇筑，须立即制止',
      dueAt: c.createdAt + 24 * 3_600_000,
      report: null,
      late: false,
    });
    w.env.advance(25 * 3_600_000);
    expect((await w.officer.invoke('initiation.ofCase', { caseId: c.id })).emergency?.late).toBe(
      true,
    );
    init = await w.officer.invoke('initiation.reportEmergency', {
      caseId: c.id,
      reportedTo: '陈局长',
      how: '电话报告并补办立案审批',
      reportedAt: c.createdAt + 25 * 3_600_000,
    });
    expect(init.emergency).toMatchObject({
      late: true,
      report: { reportedTo: '陈局长', by: '张伟' },
    });
    await expect(
      w.officer.invoke('initiation.reportEmergency', {
        caseId: c.id,
        reportedTo: '陈局长',
        how: '再次',
        reportedAt: c.createdAt + 25 * 3_600_000,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // A case started the usual way has nothing to report.
    await expect(
      w.officer.invoke('initiation.reportEmergency', {
        caseId: w.caseId,
        reportedTo: '陈局长',
        how: '电话',
        reportedAt: c.createdAt + 1000,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('accepts an application only once its corrections are made, and keeps a refusal’s reasons', async () => {
    const entry = await w.clerk.client.invoke('intake.register', {
      kind: 'application',
      person: '石家庄某房地产开发有限公司',
      content: '申请人防工程易地建设审批',
      materials: ['申请书', '建设工程规划许可证'],
      receivedAt: Date.UTC(2026, 10, 30, 2),
      channel: '窗口',
    });
    expect(entry).toMatchObject({ state: 'registered', recordedBy: '孙书记员' });
    const asked = await w.clerk.client.invoke('intake.askCorrection', {
      entryId: entry.id,
      items: '缺少人防工程设计文件',
      deadlineDays: 5,
    });
    expect(asked.state).toBe('awaiting_correction');
    await expect(
      w.officer.invoke('intake.decide', {
        entryId: entry.id,
        decision: 'accepted',
        case: openCase('石人防许〔2026〕1号'),
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION', message: expect.stringContaining('补正') });
    await w.clerk.client.invoke('intake.correctionMade', {
      entryId: entry.id,
      note: '已补交设计文件',
      at: Date.UTC(2026, 11, 1, 1),
    });
    // A complaint's decisions do not fit an application.
    await expect(
      w.officer.invoke('intake.decide', {
        entryId: entry.id,
        decision: 'not_opened',
        reason: '不属于',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const accepted = await w.officer.invoke('intake.decide', {
      entryId: entry.id,
      decision: 'accepted',
      case: openCase('石人防许〔2026〕1号'),
    });
    expect(accepted.state).toBe('accepted');
    expect(accepted.steps.map((s) => s.kind)).toEqual([
      'correction_asked',
      'correction_made',
      'accepted',
    ]);
    const c = await w.officer.invoke('cases.get', { id: accepted.caseId! });
    expect(c.origin).toMatchObject({
      kind: 'application',
      reason: '申请人防工程易地建设审批',
      receivedAt: Date.UTC(2026, 10, 30, 2),
    });
    expect((await w.officer.invoke('initiation.ofCase', { caseId: c.id })).entry?.id).toBe(
      entry.id,
    );
    await expect(
      w.officer.invoke('intake.decide', { entryId: entry.id, decision: 'refused', reason: '重复' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const other = await w.clerk.client.invoke('intake.register', {
      kind: 'application',
      person: '某公司',
      content: '申请减免易地建设费',
      receivedAt: Date.UTC(2026, 11, 1, 1),
      channel: '网上',
    });
    const refused = await w.officer.invoke('intake.decide', {
      entryId: other.id,
      decision: 'refused',
      reason: '申请事项不属于本机关职权范围，告知向财政部门申请',
    });
    expect(refused).toMatchObject({ state: 'refused', caseId: null });
    expect(refused.steps[0]!.text).toContain('不属于本机关职权范围');
  });

  it('records a complaint with who, what, when and who took it, opened or not', async () => {
    const complaint = await w.clerk.client.invoke('intake.register', {
      kind: 'complaint',
      person: '匿名',
      contact: '12345 热线转办',
      content: '某小区地下室被改作仓库',
      receivedAt: Date.UTC(2026, 10, 29, 8),
      channel: '电话',
    });
    await expect(
      w.clerk.client.invoke('intake.askCorrection', {
        entryId: complaint.id,
        items: 'x',
        deadlineDays: 3,
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const opened = await w.officer.invoke('intake.decide', {
      entryId: complaint.id,
      decision: 'opened',
      case: openCase('石人防罚〔2026〕40号'),
    });
    const c = await w.officer.invoke('cases.get', { id: opened.caseId! });
    expect(c.origin).toMatchObject({ kind: 'complaint', complainant: '匿名' });

    const second = await w.clerk.client.invoke('intake.register', {
      kind: 'complaint',
      person: '王某',
      content: '邻居装修噪音',
      receivedAt: Date.UTC(2026, 10, 30, 8),
      channel: '信函',
    });
    await w.leader.client.invoke('intake.decide', {
      entryId: second.id,
      decision: 'not_opened',
      reason: '不属于人防行政执法事项，已告知向生态环境部门反映',
    });
    const open = await w.clerk.client.invoke('intake.list', { open: true });
    expect(open.map((e) => e.id)).not.toContain(second.id);
    const all = await w.clerk.client.invoke('intake.list', { kind: 'complaint' });
    expect(all.map((e) => [e.person, e.state])).toEqual([
      ['王某', 'not_opened'],
      ['匿名', 'opened'],
    ]);
    const trail = await w.admin.invoke('audit.list', { limit: 100 });
    expect(trail.filter((e) => e.action === 'intake.decided')).toHaveLength(2);
    expect(trail.filter((e) => e.action === 'intake.registered')).toHaveLength(2);
  });
});
