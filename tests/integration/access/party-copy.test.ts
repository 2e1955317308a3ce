/**
 * Party copies (R6.2): the request with the requester's identity, the leader's grant in part,
 * the classified file left out, the copy bag that `attest verify` checks file by file
 * against the source's signed manifest, the register as a signed PDF, and the audit trail.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand, VERIFY_EXIT } from '../../../electron/cli/verify';
import { makeCopyBag } from '../../../electron/core/features/sealing';
import { loadOrCreateIdentity, identityDirOf } from '../../../electron/core/platform/pki';
import { walkFiles, removeTree } from '../../../electron/core/platform/fs';
import type { BundleDto } from '../../../electron/shared/api/sealing';
import type { Client } from '../../../electron/shared/client';
import type { DemoSession } from '../../../electron/core/demo/session';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

async function verify(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await verifyCommand([...args, '--no-media', '--lang', 'zh-CN'], {
    out: (t) => (out += t),
    err: (t) => (out += t),
  });
  return { code, out };
}

describe('party copies', () => {
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let admin: Client;
  let leader: Client;
  let reviewer: Client;
  let bundle: BundleDto;
  let work: string;
  const files = { media: '', pdf: '', log: 'data/session-events.jsonl' };

  beforeAll(async () => {
    env = sealEnv();
    work = mkdtempSync(join(tmpdir(), 'attest-copy-'));
    const ready = await readySession(env, 3);
    ({ desk, admin, demo } = ready);
    bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await admin.invoke('users.create', {
      username: 'fazhi',
      displayName: '法制科吴敏',
      password: 'legal-office-2026',
      roles: ['legal_reviewer'],
    });
    reviewer = env.connect();
    await reviewer.invoke('auth.signIn', { username: 'fazhi', password: 'legal-office-2026' });
    const listed = await desk.invoke('bundles.files', { bundleId: bundle.id });
    files.media = listed.find((f) => f.path.endsWith('.mp4'))!.path;
    files.pdf = listed.find((f) => f.path.endsWith('.pdf'))!.path;
  }, 180_000);
  afterAll(async () => {
    await env?.dispose();
    await removeTree(work).catch(() => undefined);
  });

  it('makes a verifiable copy of what the leader granted, leaving the classified file out', async () => {
    // The legal-affairs office classifies the signed record: it names a third person.
    await expect(
      reviewer.invoke('bundles.classify', {
        bundleId: bundle.id,
        path: files.pdf,
        level: 'personal_privacy',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const classified = await reviewer.invoke('bundles.classify', {
      bundleId: bundle.id,
      path: files.pdf,
      level: 'personal_privacy',
      reason: '笔录涉及证人的住址和联系方式',
    });
    expect(classified.classification).toMatchObject({
      level: 'personal_privacy',
      setBy: '法制科吴敏',
    });
    const clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    await expect(
      clerk.invoke('bundles.classify', { bundleId: bundle.id, path: files.pdf, level: 'none' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const detail = await desk.invoke('cases.get', { id: demo.caseId });
    const party = detail.parties[0]!;
    const ask = {
      caseId: demo.caseId,
      partyId: party.id,
      requesterName: party.name,
      idType: party.idType,
      idNumber: party.idNumber,
      files: [files.media, files.pdf, files.log].map((path) => ({ bundleId: bundle.id, path })),
      purpose: '申请陈述申辩，需要询问录像和笔录',
    };
    // An agent shows a power of attorney; someone off the case team does not record requests.
    await expect(
      desk.invoke('copies.request', { ...ask, requesterRole: 'agent' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      clerk.invoke('copies.request', { ...ask, requesterRole: 'party' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const request = await desk.invoke('copies.request', { ...ask, requesterRole: 'party' });
    expect(request.decision).toBeNull();
    await expect(desk.invoke('copies.make', { requestId: request.id })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });

    const granted = [files.media, files.pdf].map((path) => ({ bundleId: bundle.id, path }));
    await expect(
      leader.invoke('copies.decide', {
        requestId: request.id,
        decision: 'granted',
        files: granted,
        opinion: '同意',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const decided = await leader.invoke('copies.decide', {
      requestId: request.id,
      decision: 'partly_granted',
      files: granted,
      opinion: '同意提供询问录像和笔录；事件日志不予提供',
    });
    expect(decided.decision).toMatchObject({ decision: 'partly_granted', decidedBy: '周建国' });
    expect(decided.decision!.files.find((f) => f.path === files.pdf)?.level).toBe(
      'personal_privacy',
    );
    // Lifted after the decision: the leader saw it classified and did not release it, so it
    // stays out.
    await reviewer.invoke('bundles.classify', {
      bundleId: bundle.id,
      path: files.pdf,
      level: 'none',
      reason: '复核：不涉及隐私',
    });

    // Making the copy is copying the case's evidence: a clerk off the team is refused.
    await expect(clerk.invoke('copies.make', { requestId: request.id })).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
      message: expect.stringMatching(/制作当事人复制件.*复制授权/),
    });
    const made = await desk.invoke('copies.make', { requestId: request.id });
    expect(made.copies).toHaveLength(1);
    const copy = made.copies[0]!;
    expect(copy.copyNo).toMatch(/^FZ\d{4}-0001$/);
    expect(copy.files).toEqual([files.media]);
    expect(copy.leftOut).toEqual([
      { path: files.pdf, reason: '涉及个人隐私，不予提供' },
      { path: files.log, reason: '未获批准' },
    ]);
    await expect(desk.invoke('copies.make', { requestId: request.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    const inBag = (await walkFiles(join(copy.path, 'data'))).map((f) => `data/${f.rel}`);
    expect(inBag.sort()).toEqual([files.media, 'data/copy-events.jsonl'].sort());
    expect(existsSync(join(copy.path, files.pdf))).toBe(false);

    const fp = bundle.signer.fingerprintSha256;
    const checked = await verify([copy.path, '--expect-fingerprint', fp]);
    expect(checked.code).toBe(VERIFY_EXIT.passed);
    expect(checked.out).toContain(`复制件: 原封存包 ${bundle.bagName}`);
    expect(checked.out).toContain('1/1 个文件与原封存包清单一致');
    const info = readFileSync(join(copy.path, 'bag-info.txt'), 'utf8');
    expect(info).toContain(`Copy-Of-Tag-Manifest-SHA512: ${bundle.tagManifestSha512}`);
    expect(info).toMatch(/Copy-Grant: 复制申请第 \d+ 号，周建国 于 .* 部分批准/);
    expect(info).toContain(
      `Copy-Recipient: ${party.name}（当事人，居民身份证 **************${party.idNumber.slice(-4)}）`,
    );
    expect(info).not.toContain(party.idNumber);
    expect(info).toContain(`Copy-Left-Out: ${files.pdf}（涉及个人隐私，不予提供）`);

    // The register lists the copy, signed.
    const register = await admin.invoke('copies.register', { caseId: demo.caseId });
    const pdf = join(work, 'register.pdf');
    writeFileSync(pdf, Buffer.from(register.data, 'base64'));
    expect(spawnSync('pdfsig', [pdf], { encoding: 'utf8' }).stdout).toMatch(
      /Signature Validation: Signature is Valid\./,
    );
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('当事人复制登记簿');
    expect(text).toContain(copy.copyNo);
    expect(text).toContain(party.name);

    const trail = await admin.invoke('audit.search', {
      caseId: demo.caseId,
      kind: 'copy',
      limit: 50,
    });
    expect(trail.entries.map((e) => e.action)).toEqual([
      'copy.register_printed',
      'copy.made',
      'copy.decided',
      'copy.requested',
    ]);
    expect(JSON.stringify(trail.entries)).not.toContain(party.idNumber);
  }, 120_000);

  it('fails a copy whose file differs from the source bundle, even when signed by the workstation', async () => {
    // A copy made from an altered clone of the source: its own manifests and signature hold,
    // but the file is not the one the source's signed manifest lists.
    const clone = join(work, 'clone');
    cpSync(bundle.path, clone, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', clone]);
    const target = join(clone, files.log);
    chmodSync(target, 0o644);
    writeFileSync(target, `${readFileSync(target, 'utf8')}{"forged":true}\n`);
    const sha256 = spawnSync('sha256sum', [target], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    const m = join(clone, 'manifest-sha256.txt');
    writeFileSync(
      m,
      readFileSync(m, 'utf8').replace(
        new RegExp(`^[0-9a-f]{64}  ${files.log}$`, 'm'),
        `${sha256}  ${files.log}`,
      ),
    );
    const identity = await loadOrCreateIdentity(identityDirOf(env.dataDir));
    const forged = await makeCopyBag({
      sourceDir: clone,
      sourceBagName: bundle.bagName,
      sourceTagManifestSha512: bundle.tagManifestSha512,
      files: [files.log],
      leftOut: [],
      copyNo: 'FZ2026-9999',
      grant: '复制申请第 0 号',
      recipient: '某人',
      madeBy: '某人',
      at: env.now(),
      timeZone: 'Asia/Shanghai',
      signer: identity.signer,
      outDir: join(work, 'forged'),
      bagName: 'forged',
      software: 'Attest test',
      events: [{ type: 'copy.made', at: env.now(), data: {} }],
    });
    const r = await verify([forged.path, '--expect-fingerprint', bundle.signer.fingerprintSha256]);
    expect(r.code).toBe(VERIFY_EXIT.failed);
    expect(r.out).toContain('复制件中的文件与原封存包清单不一致');
    expect(r.out).toContain('0/1 个文件与原封存包清单一致');
  }, 60_000);
});
