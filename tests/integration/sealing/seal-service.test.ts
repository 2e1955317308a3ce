/**
 * SealService through the contract (in-memory transport, real SQLite, real ffmpeg media
 * streamed through the recorder, a transcript PDF rendered and signed by electron/core/pdf
 * with the data directory's own identity): a finished session seals into a bag that the
 * independent verifier passes; sealing is refused before the end, without a signed record,
 * with media changed since recording, and a second time; the session's record is then
 * closed to change; a half-built seal left by a crash is removed at the next start; and the
 * in-app verification records its result and names a changed file.
 */
import { startChecked } from '../../helpers/core';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_LABELS, verifyBag } from '../../../electron/core/features/sealing';
import { parseBagInfo } from '../../../electron/core/platform/bagit/bagformat';
import type { Client } from '../../../electron/shared/client';
import type { BundleDto } from '../../../electron/shared/api/sealing';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

describe('sealing a session', () => {
  let env: SealEnv;
  let desk: Client;
  let sessionId: number;
  let caseId: number;
  let bundle: BundleDto;
  let ready: Awaited<ReturnType<typeof readySession>>;

  beforeAll(async () => {
    env = sealEnv();
    ready = await readySession(env, 6);
    desk = ready.desk;
    sessionId = ready.demo.sessionId;
    caseId = ready.demo.caseId;
  }, 120_000);
  afterAll(async () => {
    if (env.log.length) console.log(env.log.join('\n'));
    await env.dispose();
  });

  it('is refused while the session is still recording, or its record is unsigned', async () => {
    const detail = await desk.invoke('cases.get', { id: caseId });
    const second = await desk.invoke('sessions.create', {
      caseId,
      kind: 'interview',
      place: '询问室二',
      officers: detail.sessions[0]!.officers.map((o) => ({
        officerId: o.officerId,
        role: o.role,
      })),
      participants: [{ role: 'party', name: '赵六' }],
    });
    const admin = env.connect();
    await admin.invoke('auth.signIn', ready.demo.accounts.admin);
    await startChecked(desk, second.id, admin);
    let check = await desk.invoke('sessions.sealCheck', { id: second.id });
    expect(check.ready).toBe(false);
    expect(check.blockers.map((b) => b.code)).toEqual(
      expect.arrayContaining(['not-ended', 'unsigned', 'no-media']),
    );
    await expect(desk.invoke('sessions.seal', { id: second.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('sealed after the recording ended'),
    });
    env.advance(60_000);
    await desk.invoke('sessions.end', { id: second.id, confirm: true });
    check = await desk.invoke('sessions.sealCheck', { id: second.id });
    expect(check.blockers.map((b) => b.code)).toEqual(['unsigned', 'no-media']);
    await expect(desk.invoke('sessions.seal', { id: second.id })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    expect((await desk.invoke('sessions.get', { id: second.id })).status).toBe('ended');
  });

  it('refuses media changed since it was recorded, and seals nothing', async () => {
    const file = join(env.dataDir, 'sessions', String(sessionId), 'media', 'cam2-001.mp4');
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed.writeUInt8(changed.readUInt8(changed.length - 10) ^ 0xff, changed.length - 10);
    writeFileSync(file, changed);
    try {
      await expect(desk.invoke('sessions.seal', { id: sessionId })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('cam2-001.mp4'),
      });
    } finally {
      writeFileSync(file, original);
    }
    expect(await desk.invoke('bundles.list', { sessionId })).toEqual([]);
    // The change is found as the file is copied into the bag: the half-built bag is gone.
    const archive = join(env.dataDir, 'archive');
    const left = existsSync(archive)
      ? readdirSync(archive, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      : [];
    expect(left).toEqual([]);
  });

  it('refuses a transcript JSON changed since the record was signed, and seals nothing', async () => {
    const file = join(env.dataDir, 'sessions', String(sessionId), 'transcript.json');
    const original = readFileSync(file);
    writeFileSync(file, original.toString('utf8').replace('答', '问'));
    try {
      await expect(desk.invoke('sessions.seal', { id: sessionId })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('transcript.json'),
      });
    } finally {
      writeFileSync(file, original);
    }
    expect(await desk.invoke('bundles.list', { sessionId })).toEqual([]);
  });

  it('seals into a signed bag the independent verifier passes, with what the rules ask in bag-info', async () => {
    const check = await desk.invoke('sessions.sealCheck', { id: sessionId });
    expect(check).toMatchObject({
      ready: true,
      blockers: [],
      // One file per source, nothing to compare: no gap to report.
      warnings: [],
      defaultRetention: { choice: 'case-3y' },
      bundleId: null,
    });
    const events: string[] = [];
    desk.subscribe('bundle.changed', (e) => events.push(`bundle ${e.sessionId}`));
    env.advance(5 * 60_000);
    bundle = await desk.invoke('sessions.seal', {
      id: sessionId,
      retention: {
        choice: 'long-term',
        reason: '当事人对调查结果有异议 the party disputes the findings',
      },
    });
    const session = await desk.invoke('sessions.get', { id: sessionId });
    expect(session.status).toBe('sealed');
    expect(bundle).toMatchObject({
      sessionId,
      caseId,
      retention: { choice: 'long-term', class: 'long-term', retainUntil: null },
      recordedEndAt: session.endedAt,
      deadlineAt: session.endedAt! + 24 * 3600_000,
      lastVerification: null,
    });
    // <dataDir>/archive/<case number>/<session id>-<time>/
    expect(bundle.path).toBe(join(env.dataDir, 'archive', '演示人防罚〔2026〕1号', bundle.bagName));
    expect(bundle.bagName).toMatch(new RegExp(`^${sessionId}-\\d{8}-\\d{6}$`));
    expect(events).toContain(`bundle ${sessionId}`);

    const report = await verifyBag(bundle.path, {
      expectTagManifests: [bundle.tagManifestSha512],
    });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks).toMatchObject({
      payload: 'pass',
      signature: 'pass',
      'event-log': 'pass',
      media: 'pass',
      'bag-info': 'pass',
    });
    expect(report.checks.pdf).toBe('pass');
    expect(report.media.map((m) => m.file).sort()).toEqual([
      'data/media/cam1-001.mp4',
      'data/media/cam2-001.mp4',
      'data/media/mic1-001.mp4',
      'data/media/program-001.mp4',
    ]);
    expect(report.pdfs.map((p) => p.file)).toEqual([
      'data/compliance.pdf',
      'data/transcript/transcript.pdf',
    ]);
    // The media files were taken in by a link, not copied: the bag's file is the recorded one
    // (read-only since it was closed), and its manifest line is the digest the sink kept.
    const recorded = join(env.dataDir, 'sessions', String(sessionId), 'media', 'cam1-001.mp4');
    const inBag = join(bundle.path, 'data', 'media', 'cam1-001.mp4');
    expect(statSync(inBag).ino).toBe(statSync(recorded).ino);
    const sha512 = createHash('sha512').update(readFileSync(recorded)).digest('hex');
    expect(readFileSync(join(bundle.path, 'manifest-sha512.txt'), 'utf8')).toContain(
      `${sha512}  data/media/cam1-001.mp4`,
    );
    // The tag manifest recorded is the one on disk; the signer is the identity the PDF used.
    const tag = readFileSync(join(bundle.path, 'tagmanifest-sha512.txt'));
    expect(createHash('sha512').update(tag).digest('hex')).toBe(bundle.tagManifestSha512);
    expect(report.signature?.signer?.fingerprintSha256).toBe(bundle.signer.fingerprintSha256);

    const info = parseBagInfo(readFileSync(join(bundle.path, 'bag-info.txt'), 'utf8'));
    const get = (label: string) =>
      info.elements.filter((e) => e.label === label).map((e) => e.value);
    for (const label of REQUIRED_LABELS) expect(get(label).join('').length).toBeGreaterThan(0);
    expect(get('Case-Number')).toEqual(['演示人防罚〔2026〕1号']);
    expect(get('Officer')).toEqual([
      '张伟（执法证号 DEMO13010001）',
      '李娜（执法证号 DEMO13010002）',
    ]);
    expect(get('Device-Number').join('\n')).toContain('DEMO-CAM-01');
    expect(get('Device-Number').join('\n')).toContain('DEMO-MIC-01');
    expect(get('Party')).toEqual(['赵六']);
    expect(get('Retention-Class')).toEqual(['long-term']);
    expect(get('Retention-Reason')[0]).toContain('异议');
    expect(get('Made-By')[0]).toContain('张伟');
    // The workstation's audit trail as it stood when sealing began: an entry of the chain.
    const [, seq, hash] = /^#(\d+) ([0-9a-f]{64})$/.exec(get('Audit-Trail-Head')[0] ?? '') ?? [];
    const trail = await desk.invoke('audit.list', { limit: 500 });
    expect(trail.find((e) => e.seq === Number(seq))?.hash).toBe(hash);

    // The payload: media per source and program, the signed record, its text and strokes,
    // the pre-flight, the session record, the event log.
    const data = (rel: string) => join(bundle.path, 'data', rel);
    for (const rel of [
      'transcript/transcript.pdf',
      'transcript/transcript.json',
      'transcript/signatures.json',
      'preflight.json',
      'session.json',
      'session-events.jsonl',
    ])
      expect(existsSync(data(rel)), rel).toBe(true);
    const strokes = JSON.parse(readFileSync(data('transcript/signatures.json'), 'utf8')) as {
      kind: string;
      pages: { signature: { strokes: unknown[][] } }[];
    };
    expect(strokes.kind).toBe('signed');
    expect(strokes.pages.length).toBeGreaterThanOrEqual(2);
    expect(strokes.pages[0]!.signature.strokes[0]!.length).toBeGreaterThan(5);
    const record = JSON.parse(readFileSync(data('session.json'), 'utf8')) as {
      media: { file: string | null; sha256: string }[];
      continuity: unknown[];
      procedure: {
        markers: { kind: string; name: string; atMs: number; at: string }[];
        missingSteps: string[];
      };
    };
    // The procedure as marked (the demo marks all four steps of an interview), with times.
    expect(record.procedure.markers.map((m) => [m.kind, m.name])).toEqual([
      ['identity_shown', '表明身份、出示证件'],
      ['recording_announced', '告知录音录像'],
      ['rights_explained', '告知权利义务'],
      ['identity_checked', '核对当事人身份'],
    ]);
    expect(record.procedure.missingSteps).toEqual([]);
    for (const m of record.procedure.markers)
      expect(m.at).toMatch(/^\d{4}-\d{2}-\d{2}T.*[+-]\d{2}:\d{2}$/);
    // The sealed record says where files do not meet: here, nowhere.
    expect(record.continuity).toEqual(check.warnings);
    for (const m of record.media) {
      const file = join(bundle.path, m.file!);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(m.sha256);
    }

    // The event log cross-references the case store's own audit chain.
    const lines = readFileSync(data('session-events.jsonl'), 'utf8').trim().split('\n');
    const entries = lines.map(
      (l) => JSON.parse(l) as { type: string; data: { auditSeq?: number; auditHash?: string } },
    );
    expect(entries.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'audit.session.started',
        'audit.session.ended',
        'timeline.segment.opened',
        'audit.signing.finished',
        'transcript.marker.recording_announced',
        'transcript.marker.rights_explained',
        'seal.requested',
      ]),
    );
    expect(entries.at(-1)!.type).toBe('seal.requested');
    const audit = await desk.invoke('audit.list', {
      entity: 'session',
      entityId: sessionId,
      limit: 500,
    });
    for (const e of entries.filter(
      (x) => x.data.auditSeq !== undefined && x.type.startsWith('audit.session'),
    )) {
      expect(audit.find((a) => a.seq === e.data.auditSeq)?.hash).toBe(e.data.auditHash);
    }
    const sealedEntry = audit.find((a) => a.action === 'session.sealed');
    expect(sealedEntry?.data).toMatchObject({
      bundleId: bundle.id,
      tagManifestSha512: bundle.tagManifestSha512,
    });

    // Read-only on disk (R4.3), and this account's alone; so is every recorded file, from
    // the moment it was closed.
    expect(statSync(data('transcript/transcript.pdf')).mode & 0o777).toBe(0o400);
    const media = join(env.dataDir, 'sessions', String(sessionId), 'media');
    for (const f of readdirSync(media))
      expect(statSync(join(media, f)).mode & 0o777, f).toBe(0o400);
  });

  it('refuses a second seal and any change to the sealed record', async () => {
    await expect(desk.invoke('sessions.seal', { id: sessionId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already sealed'),
    });
    const check = await desk.invoke('sessions.sealCheck', { id: sessionId });
    expect(check).toMatchObject({ ready: false, bundleId: bundle.id });
    const { seq } = await desk.invoke('transcripts.get', { sessionId });
    await expect(
      desk.invoke('transcripts.apply', {
        sessionId,
        baseSeq: seq,
        actions: [{ type: 'turn.add', id: 'late', speaker: 'question', text: '补问', at: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(desk.invoke('signing.open', { sessionId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await desk.invoke('bundles.list', { caseId })).toHaveLength(1);
    // The next session of this case defaults to long-term retention, for the same reason.
    const detail = await desk.invoke('cases.get', { id: caseId });
    const other = detail.sessions.find((s) => s.id !== sessionId)!;
    const next = await desk.invoke('sessions.sealCheck', { id: other.id });
    expect(next.defaultRetention).toEqual({
      choice: 'long-term',
      reason: expect.stringContaining('异议'),
    });
  });

  it('verifies in the app, records the result, and names a changed file', async () => {
    const first = await desk.invoke('bundles.verify', { bundleId: bundle.id });
    expect(first).toMatchObject({ ok: true, recordedHashMatches: true, errors: 0 });
    expect(first.text['zh-CN']).toContain('结论: 通过');
    expect(first.text.en).toContain('Result: PASSED');
    expect((await desk.invoke('bundles.verification', { bundleId: bundle.id }))?.ok).toBe(true);

    const file = join(bundle.path, 'data', 'media', 'mic1-001.mp4');
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    const mid = Math.floor(changed.length / 2);
    changed.writeUInt8(changed.readUInt8(mid) ^ 0x01, mid);
    writeFileSync(file, changed);
    try {
      const second = await desk.invoke('bundles.verify', { bundleId: bundle.id });
      expect(second.ok).toBe(false);
      expect(second.report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'hash-mismatch', file: 'data/media/mic1-001.mp4' }),
        ]),
      );
      expect(second.text['zh-CN']).toContain('未通过');
      const [listed] = await desk.invoke('bundles.list', { sessionId });
      expect(listed!.lastVerification).toMatchObject({ ok: false, recordedHashMatches: true });
    } finally {
      writeFileSync(file, original);
    }
    const audit = await desk.invoke('audit.list', { entity: 'session', entityId: sessionId });
    expect(audit.filter((a) => a.action === 'bundle.verified')).toHaveLength(2);
  });

  it('removes a half-built seal at the next start, and keeps whole ones', async () => {
    const half = join(
      env.dataDir,
      'archive',
      '演示人防罚〔2026〕1号',
      `.tmp-${sessionId}-x-0123456789ab`,
    );
    mkdirSync(join(half, 'data'), { recursive: true });
    writeFileSync(join(half, 'data', 'partial.mp4'), 'partial');
    const again = sealEnv({ dataDir: env.dataDir, start: env.now() });
    try {
      const c = again.connect();
      await c
        .invoke('auth.signIn', { username: 'demo-zhangwei', password: 'x'.repeat(10) })
        .catch(() => undefined);
      // The clean-up runs before any seal; the whole bag stays.
      for (let i = 0; i < 50 && existsSync(half); i++) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(half)).toBe(false);
      expect(existsSync(bundle.path)).toBe(true);
      expect(again.log.join('\n')).toContain('removed 1 incomplete seal');
    } finally {
      for (const l of again.log) env.log.push(l);
      again.core.close();
    }
  });
});
