/**
 * Who may see and copy the evidence (R6.1–R6.3), over the in-memory and WebSocket transports:
 * every media, bundle, disc and export method refuses without the team's right or a grant
 * and works with one; grants end when they expire or are revoked; a grant of another person
 * or another case is refused by name; reads and refusals are in the audit trail; a filed case
 * needs a grant even for its team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { ApiError } from '../../../electron/shared/client';
import { webSocketTransport } from '../../helpers/transports';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import type { DemoSession } from '../../../electron/core/demo/session';
import { fileDemoCase } from '../../../electron/core/demo/case-flow';
import type { BundleDto } from '../../../electron/shared/api/sealing';

const HOUR = 3_600_000;

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('access to evidence', () => {
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let bundle: BundleDto;
  let segRef: { sessionId: number; sourceId: string; segment: number };
  let otherCaseId: number;
  let closeWs: () => Promise<void>;
  const transports: Record<string, () => Promise<Client>> = {};

  beforeAll(async () => {
    env = sealEnv();
    const ready = await readySession(env, 3);
    desk = ready.desk;
    demo = ready.demo;
    bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    const status = await desk.invoke('recording.status', { sessionId: demo.sessionId });
    const seg = status.segments.find((s) => s.kind === 'camera')!;
    segRef = { sessionId: demo.sessionId, sourceId: seg.sourceId, segment: seg.segment };
    const detail = await desk.invoke('cases.get', { id: demo.caseId });
    const other = await desk.invoke('cases.create', {
      caseNo: '石人防罚〔2026〕99号',
      cause: '另一案件（测试）',
      matterKind: 'inspection',
      origin: { kind: 'ex_officio', source: '日常巡查', reason: '测试用的另一案件' },
      officerIds: detail.officers.map((o) => o.officerId),
      parties: [],
    });
    otherCaseId = other.id;
    const ws = await webSocketTransport(env.core);
    closeWs = () => ws.dispose();
    transports['in-memory'] = () => Promise.resolve(env.connect());
    transports.websocket = () => ws.client();
  }, 180_000);
  afterAll(async () => {
    await closeWs?.();
    await env?.dispose();
  });

  describe.each(['in-memory', 'websocket'])('over %s', (transport) => {
    let admin: Client;
    let leader: Client;
    let clerk: Client;
    let officer: Client;

    beforeAll(async () => {
      const signed = async (account: { username: string; password: string }) => {
        const c = await transports[transport]!();
        await c.invoke('auth.signIn', account);
        return c;
      };
      admin = await signed(demo.accounts.admin);
      leader = await signed(demo.accounts.leader);
      clerk = await signed(demo.accounts.clerk);
      officer = await signed(demo.accounts.officer);
    });

    const read = (c: Client, grantId?: number) =>
      c.invoke('recording.read', {
        ...segRef,
        offset: 0,
        length: 64,
        ...(grantId ? { grantId } : {}),
      });
    const readFile = (c: Client, grantId?: number) =>
      c.invoke('bundles.readFile', {
        bundleId: bundle.id,
        path: 'data/session-events.jsonl',
        offset: 0,
        length: 64,
        ...(grantId ? { grantId } : {}),
      });
    const image = (c: Client, grantId?: number) =>
      c.invoke('discs.image', {
        caseId: demo.caseId,
        bundles: [bundle.bagName],
        medium: 'dvd',
        copies: 1,
        ...(grantId ? { grantId } : {}),
      });

    it('lets the case team play back, open files and make discs, and shows them where the bags lie', async () => {
      expect((await read(officer)).bytes).toBe(64);
      expect((await readFile(officer)).bytes).toBe(64);
      const [listed] = await officer.invoke('bundles.list', { sessionId: demo.sessionId });
      expect(listed!.path).toBe(bundle.path);
      const [forDisc] = await officer.invoke('discs.bundles', { caseId: demo.caseId });
      expect(forDisc!.path).not.toBeNull();
      const team = await officer.invoke('access.team', { caseId: demo.caseId });
      expect(team.me.view).toEqual({ kind: 'team' });
      expect(team.members.map((m) => m.name)).toEqual(expect.arrayContaining(['张伟', '李娜']));
    }, 60_000);

    it('refuses everyone else, administrators included, naming the missing grant, and records each refusal', async () => {
      const set = await image(officer);
      for (const c of [admin, leader, clerk]) {
        const e = await refusal(read(c));
        expect(e.code).toBe('ACCESS_NOT_GRANTED');
        expect(e.message).toMatch(/播放音像记录.*需要经负责人批准的查阅授权/);
        expect((await refusal(readFile(c))).code).toBe('ACCESS_NOT_GRANTED');
        expect(
          (await refusal(c.invoke('transcripts.get', { sessionId: demo.sessionId }))).message,
        ).toMatch(/查看笔录.*需要经负责人批准的查阅授权/);
        // A leader does not make discs at all (the role); the others need a copy grant.
        const disc = await refusal(image(c));
        if (c === leader) expect(disc.code).toBe('FORBIDDEN');
        else expect(disc.message).toMatch(/制作证据光盘映像.*复制授权/);
        const listed = await c.invoke('bundles.list', { sessionId: demo.sessionId });
        expect(listed[0]!.path).toBeNull();
        const forDisc = await c.invoke('discs.bundles', { caseId: demo.caseId });
        expect(forDisc[0]!.path).toBeNull();
      }
      // Saving an image of a set someone else made is a copy too.
      const burn = await refusal(
        admin.invoke('discs.burn', { setId: set.id, discNumber: 1, copyNumber: 1 }),
      );
      expect(burn.message).toMatch(/保存证据光盘映像.*复制授权/);
      const trail = await admin.invoke('audit.search', {
        caseId: demo.caseId,
        kind: 'access',
        limit: 100,
      });
      const refused = trail.entries.filter((e) => e.action === 'access.refused');
      expect(refused.map((e) => e.actor)).toEqual(
        expect.arrayContaining(['演示管理员', '周建国', '陈书记员']),
      );
      expect(
        refused.find(
          (e) =>
            e.actor === '演示管理员' &&
            e.entity === 'session' &&
            (e.data as { what: string }).what === '播放音像记录',
        )?.data,
      ).toMatchObject({
        what: '播放音像记录',
        mode: 'view',
        sessions: [demo.sessionId],
      });
    }, 120_000);

    it('reads under a grant the leader approved until it expires, and never past a revocation', async () => {
      const asked = await clerk.invoke('access.request', {
        caseId: demo.caseId,
        mode: 'view',
        sessions: [demo.sessionId],
        purpose: '整理卷宗，核对询问录像',
        days: 2,
      });
      expect(asked.state).toBe('pending');
      expect((await refusal(read(clerk, asked.id))).message).toMatch(
        new RegExp(`查阅授权第 ${asked.id} 号尚未经负责人批准`),
      );
      // No one approves their own request; the leader cannot grant more than was asked for.
      expect(
        (
          await refusal(
            clerk.invoke('access.decide', {
              requestId: asked.id,
              decision: 'approved',
              opinion: '同意',
            }),
          )
        ).code,
      ).toBe('FORBIDDEN');
      expect(
        (
          await refusal(
            leader.invoke('access.decide', {
              requestId: asked.id,
              decision: 'approved',
              opinion: '同意',
              validUntil: env.now() + 3 * 24 * HOUR,
            }),
          )
        ).message,
      ).toMatch(/不能超过申请的 2 天/);
      const pending = await leader.invoke('access.list', { scope: 'pending' });
      expect(pending.map((g) => g.id)).toContain(asked.id);
      expect((await refusal(clerk.invoke('access.list', { scope: 'all' }))).code).toBe('FORBIDDEN');

      const granted = await leader.invoke('access.decide', {
        requestId: asked.id,
        decision: 'approved',
        opinion: '同意查阅，限本次询问录像',
        validUntil: env.now() + HOUR,
      });
      expect(granted).toMatchObject({ state: 'approved', grantedSessions: [demo.sessionId] });
      expect((await read(clerk)).bytes).toBe(64);
      expect((await readFile(clerk, asked.id)).bytes).toBe(64);
      const record = await clerk.invoke('transcripts.get', { sessionId: demo.sessionId });
      expect(record.state.turns.length).toBeGreaterThan(0);
      // View is not copy.
      expect((await refusal(image(clerk, asked.id))).message).toMatch(
        new RegExp(`查阅授权第 ${asked.id} 号只允许查阅，不允许复制`),
      );
      // Another's grant is not the caller's; a grant of another case does not reach this one.
      expect((await refusal(read(admin, asked.id))).message).toMatch(/不是批准给您的授权/);
      const elsewhere = await clerk.invoke('access.request', {
        caseId: otherCaseId,
        mode: 'view',
        purpose: '另一案件',
        days: 1,
      });
      await leader.invoke('access.decide', {
        requestId: elsewhere.id,
        decision: 'approved',
        opinion: '同意',
      });
      expect((await refusal(read(clerk, elsewhere.id))).message).toMatch(/是另一案件的授权/);

      const trail = await admin.invoke('audit.search', {
        caseId: demo.caseId,
        actorUserId: asked.userId,
        limit: 100,
      });
      const viewing = trail.entries.find((e) => e.action === 'media.read');
      expect(viewing?.data).toMatchObject({ basis: 'grant', grantId: asked.id });
      expect(trail.entries.find((e) => e.action === 'transcript.read')?.data).toMatchObject({
        basis: 'grant',
        grantId: asked.id,
      });
      expect(trail.entries.find((e) => e.action === 'bundle.file_read')?.data).toMatchObject({
        path: 'data/session-events.jsonl',
        grantId: asked.id,
      });

      env.advance(HOUR + 1000);
      const expired = await refusal(read(clerk));
      expect(expired.message).toMatch(new RegExp(`查阅授权第 ${asked.id} 号已于 .* 到期`));
      expect((await refusal(read(clerk, asked.id))).message).toMatch(/已于 .* 到期/);

      const copy = await clerk.invoke('access.request', {
        caseId: demo.caseId,
        mode: 'copy',
        purpose: '制作移送光盘',
        days: 1,
      });
      await leader.invoke('access.decide', {
        requestId: copy.id,
        decision: 'approved',
        opinion: '同意复制',
      });
      const set = await image(clerk, copy.id);
      expect(set.images).toHaveLength(1);
      const saved = await clerk.invoke('discs.burn', {
        setId: set.id,
        discNumber: 1,
        copyNumber: 1,
        grantId: copy.id,
      });
      expect(saved.kind).toBe('image');
      // The disc's entries name the grant it was made under.
      const discTrail = await admin.invoke('audit.search', {
        caseId: demo.caseId,
        kind: 'disc',
        limit: 20,
      });
      for (const action of ['disc.imaged', 'disc.image.saved'])
        expect(discTrail.entries.find((e) => e.action === action)?.data).toMatchObject({
          basis: 'grant',
          grantId: copy.id,
        });
      const revoked = await leader.invoke('access.revoke', {
        requestId: copy.id,
        opinion: '移送已完成，收回授权',
      });
      expect(revoked.state).toBe('revoked');
      expect((await refusal(read(clerk))).message).toMatch(
        new RegExp(`查阅授权第 ${copy.id} 号已被撤销`),
      );
      const trail2 = await admin.invoke('audit.search', {
        caseId: demo.caseId,
        kind: 'access',
        limit: 100,
      });
      expect(trail2.entries.map((e) => e.action)).toEqual(
        expect.arrayContaining([
          'access.requested',
          'access.approved',
          'access.revoked',
          'access.refused',
        ]),
      );
    }, 120_000);
  });

  it('does not record a disc set whose copy grant ended while its images were built', async () => {
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    const admin = env.connect();
    await admin.invoke('auth.signIn', demo.accounts.admin);
    const asked = await admin.invoke('access.request', {
      caseId: demo.caseId,
      mode: 'copy',
      purpose: '移送光盘',
      days: 1,
    });
    await leader.invoke('access.decide', {
      requestId: asked.id,
      decision: 'approved',
      opinion: '同意',
      validUntil: env.now() + 60_000,
    });
    const before = (await admin.invoke('discs.list', { caseId: demo.caseId })).length;
    // The grant runs out while the image is read back.
    let moved = false;
    admin.subscribe('disc.progress', (p) => {
      if (!moved && p.step === 'verify') {
        moved = true;
        env.advance(2 * 60_000);
      }
    });
    const e = await refusal(
      admin.invoke('discs.image', {
        caseId: demo.caseId,
        bundles: [bundle.bagName],
        medium: 'dvd',
        copies: 1,
      }),
    );
    expect(moved).toBe(true);
    expect(e.message).toMatch(new RegExp(`查阅授权第 ${asked.id} 号已于 .* 到期`));
    expect(await admin.invoke('discs.list', { caseId: demo.caseId })).toHaveLength(before);
  }, 60_000);

  it('assigns a clerk to the team, who then works on the open case without a grant', async () => {
    const admin = env.connect();
    await admin.invoke('auth.signIn', demo.accounts.admin);
    const clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    const users = await admin.invoke('users.list', {});
    const clerkId = users.find((u) => u.username === demo.accounts.clerk.username)!.id;
    // Off the team, the case's history shows the clerk their own acts only.
    const before = await clerk.invoke('audit.list', { caseId: demo.caseId, limit: 500 });
    expect(before.length).toBeGreaterThan(0);
    expect(new Set(before.map((e) => e.actor))).toEqual(new Set(['陈书记员']));
    const team = await desk.invoke('access.assignClerk', { caseId: demo.caseId, userId: clerkId });
    const after = await clerk.invoke('audit.list', { caseId: demo.caseId, limit: 500 });
    expect(after.map((e) => e.actor)).toContain('张伟');
    // An administrator does not assign clerks: it would be a way round the grants.
    expect(
      (await refusal(admin.invoke('access.assignClerk', { caseId: demo.caseId, userId: clerkId })))
        .code,
    ).toBe('FORBIDDEN');
    expect(team.members.find((m) => m.userId === clerkId)?.basis).toEqual(['clerk']);
    expect(
      (await refusal(desk.invoke('access.assignClerk', { caseId: demo.caseId, userId: clerkId })))
        .code,
    ).toBe('CONFLICT');
    expect((await clerk.invoke('recording.read', { ...segRef, offset: 0, length: 16 })).bytes).toBe(
      16,
    );
  }, 60_000);

  it('asks a grant of the team too once the case is filed (归档)', async () => {
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    // Filed the way a case is: approved, decided, served, then the filing act.
    await fileDemoCase({ demo, connect: () => env.connect(), now: env.now, advance: env.advance });
    const e = await refusal(desk.invoke('recording.read', { ...segRef, offset: 0, length: 16 }));
    expect(e.message).toMatch(/本案已归档，办案人员也需要经负责人批准的查阅授权/);
    const asked = await desk.invoke('access.request', {
      caseId: demo.caseId,
      mode: 'view',
      purpose: '复议答复需要',
      days: 1,
    });
    await leader.invoke('access.decide', {
      requestId: asked.id,
      decision: 'approved',
      opinion: '同意',
    });
    expect((await desk.invoke('recording.read', { ...segRef, offset: 0, length: 16 })).bytes).toBe(
      16,
    );
  }, 60_000);
});
