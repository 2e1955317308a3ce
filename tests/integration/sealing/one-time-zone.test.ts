/**
 * One moment, one time zone: a session recorded under the agency's zone (Asia/Kolkata here:
 * neither this machine's UTC nor the old built-in Asia/Shanghai, and half an hour off both)
 * prints its recording's start and stop the same way in every document it has: the signed
 * transcript PDF, bag-info, the case-file index (data and PDF), the disc label sheet and the
 * disc's README. Nothing prints the moment in another zone.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBagInfo } from '../../../electron/core/platform/bagit/bagformat';
import type { Client } from '../../../electron/shared/client';
import type { BundleDto } from '../../../electron/shared/api/sealing';
import type { SessionDto } from '../../../electron/shared/domain';
import {
  dateCn,
  dateTimeIn,
  isoInZone,
  offsetText,
  timeCn,
  timeIn,
} from '../../../electron/shared/time';
import { removeTree } from '../../../electron/core/platform/fs';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

const run = promisify(execFile);
const ZONE = 'Asia/Kolkata';
const OTHERS = ['UTC', 'Asia/Shanghai'];

async function pdfText(file: string): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout.replace(/\s+/g, ' ');
}

describe('one time zone across a session’s documents', () => {
  let env: SealEnv;
  let desk: Client;
  let session: SessionDto;
  let bundle: BundleDto;
  let start: number;
  let end: number;
  const work = mkdtempSync(join(tmpdir(), 'attest-zone-'));

  beforeAll(async () => {
    env = sealEnv();
    const ready = await readySession(env, 4, ZONE);
    desk = ready.desk;
    session = await desk.invoke('sessions.get', { id: ready.demo.sessionId });
    start = session.startedAt!;
    end = session.endedAt!;
    env.advance(60_000);
    bundle = await desk.invoke('sessions.seal', { id: session.id });
  }, 240_000);

  afterAll(async () => {
    await env?.dispose();
    await removeTree(work).catch(() => undefined);
  });

  it('records the agency zone with the session and tells every client', async () => {
    expect(session.timeZone).toBe(ZONE);
    expect((await desk.invoke('app.info', {})).timeZone).toBe(ZONE);
  });

  it('bag-info states the recording’s times with the zone’s offset, and the zone', () => {
    const parsed = parseBagInfo(readFileSync(join(bundle.path, 'bag-info.txt'), 'utf8'));
    const get = (label: string) =>
      parsed.elements.filter((e) => e.label === label).map((e) => e.value);
    expect(get('Recording-Start')).toEqual([isoInZone(start, ZONE)]);
    expect(get('Recording-End')).toEqual([isoInZone(end, ZONE)]);
    expect(get('Recording-Start')[0]).toMatch(/\+05:30$/);
    expect(get('Time-Zone')).toEqual([ZONE]);
  });

  it('the signed transcript prints the same start and stop', async () => {
    const text = await pdfText(join(bundle.path, 'data', 'transcript', 'transcript.pdf'));
    expect(text).toContain(`${dateCn(start, ZONE)}${timeCn(start, ZONE)}至${timeCn(end, ZONE)}`);
    for (const z of OTHERS) expect(text).not.toContain(timeCn(start, z));
  });

  it('the case-file index, on screen and printed, lists the session at its start in the zone', async () => {
    const idx = await desk.invoke('caseFile.index', { caseId: session.caseId });
    const entry = idx.entries.find((e) => e.kind === 'session')!;
    expect(entry.at).toBe(start);
    expect(entry.detail).toContain(`${timeIn(start, ZONE)}–${timeIn(end, ZONE)}`);
    const pdf = await desk.invoke('caseFile.pdf', { caseId: session.caseId });
    const file = join(work, 'index.pdf');
    writeFileSync(file, Buffer.from(pdf.data, 'base64'));
    const text = await pdfText(file);
    expect(text).toContain(dateTimeIn(start, ZONE, false));
    expect(text).toContain(`${timeIn(start, ZONE)}–${timeIn(end, ZONE)}`);
    expect(text).toContain(`${ZONE} 时区（UTC${offsetText(start, ZONE)}）`);
    for (const z of OTHERS) expect(text).not.toContain(dateTimeIn(start, z, false));
  });

  it('the label sheet and the disc’s README print the recording and making times in the zone', async () => {
    const set = await desk.invoke('discs.image', {
      caseId: session.caseId,
      bundles: [bundle.bagName],
      medium: 'cd',
      copies: 1,
    });
    const labels = await desk.invoke('discs.labels', { setId: set.id });
    const file = join(work, 'labels.pdf');
    writeFileSync(file, Buffer.from(labels.data, 'base64'));
    const text = await pdfText(file);
    const sameDay = dateTimeIn(start, ZONE).slice(0, 10) === dateTimeIn(end, ZONE).slice(0, 10);
    expect(text).toContain(
      `${dateTimeIn(start, ZONE)} 至 ${sameDay ? timeIn(end, ZONE) : dateTimeIn(end, ZONE)}`,
    );
    expect(text).toContain(dateTimeIn(set.createdAt, ZONE, false));
    for (const z of OTHERS) expect(text).not.toContain(dateTimeIn(start, z));

    const out = join(work, 'disc');
    await run('xorriso', [
      '-osirrox',
      'on',
      '-indev',
      set.images[0]!.path,
      '-extract',
      '/README.txt',
      out,
    ]);
    const readme = readFileSync(out, 'utf8');
    expect(readme).toContain(
      `制作时间：${dateTimeIn(set.createdAt, ZONE)}（${ZONE}，UTC${offsetText(set.createdAt, ZONE)}）`,
    );
  });
});
