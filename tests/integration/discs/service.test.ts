/**
 * The clerk's workflow in the core (DiscsService) on a real case store: plan, image (with
 * the image read back before it is offered), burn through the Burner port to a "drive"
 * that is the real xorriso writing an image file, read back and record; a drive that
 * damages a byte gives a failed disc naming the file, recorded for good; a saved image
 * where no drive exists; the label sheet renders and its QR codes decode; the case file
 * index lists everything in time order and warns before the filing deadline.
 */
import { mkdirSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/platform/audit';
import { openDatabase, type Db } from '../../../electron/core/platform/db/database';
import { XorrisoBurner, type Burner } from '../../../electron/core/platform/optical/burner';
import { listFiles } from '../../../electron/core/platform/optical/xorriso';
import { qrPayload } from '../../../electron/core/features/discs/label-pdf';
import { ArchiveBundleSource, DiscsService } from '../../../electron/core/features/discs';
import { AccessService } from '../../../electron/core/features/access';
import type { DiscProgressEvent, DriveDto } from '../../../electron/shared/api/discs';
import { CASE_NO, execFileAsync as run, removeTempDirs, sealedCase, tempDir } from './fixtures';

afterAll(removeTempDirs);

const DAY = 24 * 60 * 60 * 1000;

/** A "drive" that is an image file written by the real xorriso; `damage` flips a byte of one file after burning. */
function fileDrive(
  dir: string,
  damage?: (disc: string) => Promise<void>,
): Burner & { disc: string } {
  const real = new XorrisoBurner();
  const disc = join(dir, 'sr0.bin');
  const drive: DriveDto = {
    id: `stdio:${disc}`,
    path: '/dev/sr-test',
    vendor: 'TEST',
    product: 'FILE DRIVE',
    writer: true,
  };
  return {
    kind: 'xorriso',
    disc,
    listDrives: async () => [drive],
    // Each burn gets a fresh blank disc, as the clerk inserts one.
    mediaInfo: async (id) => {
      await fsp.rm(disc, { force: true });
      return { ...(await real.mediaInfo(id)), medium: 'dvd', freeSectors: 2_295_104 };
    },
    burn: async (id, image, opts) => {
      await fsp.rm(disc, { force: true });
      await real.burn(id, image, opts);
      await damage?.(disc);
    },
    eject: async () => {},
    readSource: () => ({ kind: 'iso', path: disc }),
  };
}

describe('DiscsService on a case store', () => {
  let db: Db;
  let dataDir: string;
  /** The export folder the administrator set up (a USB stick's mount point). */
  let usbRoot: string;
  let t = Date.UTC(2026, 10, 24, 2, 0, 0);
  const events: DiscProgressEvent[] = [];
  let service: (burner: Burner) => DiscsService;
  const caller = {
    user: {
      id: 1,
      username: 'clerk',
      displayName: '王书记员',
      roles: ['clerk'],
      officerId: null,
      disabled: false,
    },
  } as never;
  const caseId = 1;

  beforeAll(async () => {
    dataDir = tempDir('attest-disc-data-');
    usbRoot = tempDir('attest-usb-');
    db = openDatabase(join(dataDir, 'attest.db'));
    db.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'clerk', '王书记员', 'x', '["clerk"]', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at) VALUES (1, ?, '未按规定修建防空地下室', 'penalty', 'ex_officio', 1, ?, ?)`,
    ).run(CASE_NO, Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 20));
    const archive = join(dataDir, 'archive');
    await fsp.mkdir(archive);
    await sealedCase(archive);
    const audit = new AuditLog(db);
    // The clerk is assigned to the case: the case team makes its discs.
    db.prepare(
      "INSERT INTO case_clerk_changes (case_id, user_id, change, changed_by, changed_at) VALUES (1, 1, 'assigned', 1, 0)",
    ).run();
    const deps = {
      db,
      audit,
      now: () => t,
      timeZone: () => 'Asia/Shanghai',
      emit: ((e: string, p: unknown) => {
        if (e === 'disc.progress') events.push(p as DiscProgressEvent);
      }) as never,
    };
    service = (burner) =>
      new DiscsService(deps, {
        dataDir,
        version: '0.1.0-test',
        burner,
        bundles: new ArchiveBundleSource([archive]),
        exportDirs: [usbRoot],
        guard: new AccessService(deps),
      });
  }, 120_000);

  afterAll(() => db?.close());

  it('plans, images, burns two copies and saves one image; a damaged copy fails, named, for good', async () => {
    const good = fileDrive(tempDir('attest-drive-'));
    const s = service(good);
    const bundles = await s.bundles(caller, caseId);
    expect(bundles.map((b) => b.name)).toEqual(['2026-11-23_询问_赵六', '2026-11-24_听证_赵六']);
    const plan = await s.plan({
      caseId,
      bundles: bundles.map((b) => b.name),
      medium: 'cd',
      copies: 2,
    });
    expect(plan.discs).toHaveLength(1);
    expect(plan.physicalDiscs).toBe(2);

    const set = await s.image(caller, {
      caseId,
      bundles: bundles.map((b) => b.name),
      medium: 'dvd',
      copies: 2,
      purpose: '证明询问及听证过程',
    });
    expect(set.setNo).toBe('20261124-001');
    expect(set.images).toHaveLength(1);
    expect(events.some((e) => e.step === 'image' && e.fraction === 1)).toBe(true);
    expect(events.some((e) => e.step === 'verify')).toBe(true);

    t += 60_000;
    const d1 = await s.burn(caller, {
      setId: set.id,
      discNumber: 1,
      copyNumber: 1,
      drive: (await good.listDrives())[0]!.id,
    });
    expect(d1).toMatchObject({
      serial: '20261124-001-D1-C1',
      result: 'verified',
      kind: 'burned',
      madeBy: '王书记员',
      problems: [],
    });
    expect(events.some((e) => e.step === 'burn' && e.discId === d1.id)).toBe(true);

    // A drive that writes one wrong byte into a transcript.
    const target = 'bundles/2026-11-23_询问_赵六/data/transcript/询问笔录.pdf';
    const bad = fileDrive(tempDir('attest-drive-'), async (disc) => {
      const f = (await listFiles(disc, 'rockridge')).find((x) => x.path === target)!;
      const fh = await fsp.open(disc, 'r+');
      await fh.write(Buffer.from([0x42]), 0, 1, f.extents[0]!.lba * 2048 + 300);
      await fh.close();
    });
    const d2 = await service(bad).burn(caller, {
      setId: set.id,
      discNumber: 1,
      copyNumber: 2,
      drive: (await bad.listDrives())[0]!.id,
    });
    expect(d2.result).toBe('failed');
    expect(d2.problems.filter((p) => p.file === target).map((p) => p.code)).toContain(
      'hash-mismatch',
    );
    expect(() =>
      db.prepare("UPDATE discs SET result = 'verified' WHERE id = ?").run(d2.id),
    ).toThrow(/stays recorded/);
    expect(() => db.prepare('DELETE FROM discs WHERE id = ?').run(d2.id)).toThrow(/never deleted/);

    // Burned again on a good drive: a new disc with its own serial; the failed one stays.
    const d3 = await s.burn(caller, {
      setId: set.id,
      discNumber: 1,
      copyNumber: 2,
      drive: (await good.listDrives())[0]!.id,
    });
    expect(d3).toMatchObject({ serial: '20261124-001-D1-C2-R2', result: 'verified' });

    // No drive: the image saved to a folder in an export folder (a USB stick) and checked there.
    const usb = join(usbRoot, 'case-1');
    mkdirSync(usb);
    // Anywhere else is refused before anything is written: elsewhere, relative, a share.
    for (const saveTo of [
      tempDir('attest-elsewhere-'),
      'exports',
      '\\\\server\\share',
      join(usbRoot, '..'),
    ])
      await expect(
        s.burn(caller, { setId: set.id, discNumber: 1, copyNumber: 1, saveTo }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('disc images are saved only into the export folders'),
      });
    const d4 = await s.burn(caller, { setId: set.id, discNumber: 1, copyNumber: 1, saveTo: usb });
    expect(d4).toMatchObject({ kind: 'image', result: 'verified' });
    expect(d4.imagePath).toBe(join(usb, '20261124-001-disc-1-copy-1.iso'));

    const audit = db
      .prepare("SELECT action FROM events WHERE entity IN ('disc', 'disc_set') ORDER BY seq")
      .all() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual([
      'disc.imaged',
      'disc.burn.started',
      'disc.verified',
      'disc.burn.started',
      'disc.failed',
      'disc.burn.started',
      'disc.verified',
      'disc.image.saved',
      'disc.verified',
    ]);
    const listed = s.list(caseId);
    expect(listed[0]!.discs.map((d) => [d.serial, d.result])).toEqual([
      ['20261124-001-D1-C1', 'verified'],
      ['20261124-001-D1-C1-R2', 'verified'],
      ['20261124-001-D1-C2', 'failed'],
      ['20261124-001-D1-C2-R2', 'verified'],
    ]);
    // A later check of a filed disc is appended; its first result never changes.
    t += 365 * DAY;
    const again = await s.verify(caller, d1.id);
    expect(again.result).toBe('verified');
    expect(
      (
        db.prepare('SELECT count(*) AS n FROM disc_checks WHERE disc_id = ?').get(d1.id) as {
          n: number;
        }
      ).n,
    ).toBe(2);
  }, 180_000);

  it('prints the label sheet: a page per disc, QR codes that decode to the tag-manifest hashes', async () => {
    const s = service(fileDrive(tempDir('attest-drive-')));
    const set = s.list(caseId)[0]!;
    const pdf = await s.labels(set.id);
    const dir = tempDir('attest-label-');
    const file = join(dir, pdf.fileName);
    await fsp.writeFile(file, Buffer.from(pdf.data, 'base64'));
    expect(pdf.savedAt && (await fsp.stat(pdf.savedAt)).size).toBeGreaterThan(1000);
    await run('pdftoppm', ['-r', '150', '-png', file, join(dir, 'page')]);
    const pages = (await fsp.readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    // One page per disc: nothing of a disc's record spills onto a page of its own.
    expect(pages.length).toBe(set.discs.length);
    const text = (await run('pdftotext', [file, '-'])).stdout;
    for (const want of [
      CASE_NO,
      '未按规定修建防空地下室',
      '20261124-001-D1-C2',
      '张伟（执法证号 13010012345）',
      '证明询问及听证过程',
      '制作人',
      '王书记员',
      '石家庄市人民防空办公室',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(want);
    }
    {
      const decoded = new Set<string>();
      for (const p of pages) {
        const { stdout } = await run('zbarimg', ['-q', '--raw', join(dir, p)]).catch(() => ({
          stdout: '',
        }));
        for (const l of stdout.split('\n')) if (l) decoded.add(l);
      }
      const bundles = await s.bundles(caller, caseId);
      for (const b of bundles) expect(decoded).toContain(qrPayload(b.tagManifestSha512));
    }
  }, 60_000);

  it('indexes the case file in time order and warns before the filing deadline (R5.2)', async () => {
    const s = service(fileDrive(tempDir('attest-drive-')));
    let idx = await s.caseFileIndex(caseId);
    expect(idx.deadlineStatus).toBe('not_started');
    const kinds = idx.entries.map((e) => e.kind);
    expect(kinds[0]).toBe('case-opened');
    expect(kinds.filter((k) => k === 'bundle')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'disc')).toHaveLength(4);
    const times = idx.entries.map((e) => e.at ?? Infinity);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(idx.entries.find((e) => e.kind === 'bundle')?.location).toContain(
      join(dataDir, 'archive'),
    );

    const ended = t;
    // The matter ends with the decision issued (the filing clock starts there, R5.2).
    db.prepare(
      `INSERT INTO issued_documents (case_id, template, title, doc_no, fields, needs_service, ends_matter,
         pdf_path, pdf_sha256, issued_by, issued_at)
       VALUES (1, 'penalty-decision', '行政处罚决定书', '石人防罚决字〔2026〕1号', '{}', 1, 1, 'd.pdf', 'ab', 1, ?)`,
    ).run(ended);
    t = ended + 20 * DAY;
    idx = await s.caseFileIndex(caseId);
    expect(idx).toMatchObject({
      matterEndedAt: ended,
      deadline: ended + 30 * DAY,
      deadlineStatus: 'ok',
    });
    t = ended + 26 * DAY;
    expect((await s.caseFileIndex(caseId)).deadlineStatus).toBe('warn');
    s.setPolicy(caller, { filingDays: 20, warnDays: 3 });
    expect(await s.caseFileIndex(caseId)).toMatchObject({
      deadline: ended + 20 * DAY,
      deadlineStatus: 'overdue',
    });
    s.setPolicy(caller, { filingDays: 30, warnDays: 5 });

    {
      const pdf = await s.caseFilePdf(caseId);
      const file = join(tempDir('attest-index-'), 'index.pdf');
      await fsp.writeFile(file, Buffer.from(pdf.data, 'base64'));
      const text = (await run('pdftotext', [file, '-'])).stdout;
      expect(text).toContain('案卷目录');
      expect(text).toContain('20261124-001-D1-C1');
      expect(text).toContain('即将到期');
      await run('pdftoppm', [
        '-r',
        '50',
        '-png',
        '-f',
        '1',
        '-l',
        '1',
        file,
        join(tempDir('attest-index-png-'), 'p'),
      ]);
    }
  }, 60_000);
});
