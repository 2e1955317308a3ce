import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EventLogError,
  EventLogWriter,
  GENESIS,
  checkAgainstCheckpoints,
  lineHash,
  verifyEventLogFile,
  verifyEventLogText,
  writeEventLog,
  type Checkpoint,
} from '../../../../electron/core/platform/bagit/eventlog';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function logPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-log-'));
  dirs.push(dir);
  return join(dir, 'events.jsonl');
}

function clock(start = Date.UTC(2026, 10, 23, 1, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the session event log', () => {
  it('chains each line to the SHA-256 of the line before, starting from 64 zeros', async () => {
    const path = logPath();
    const c = clock();
    const w = await EventLogWriter.open(path, { now: c.now, checkpointEveryMs: 0 });
    await w.append({ type: 'recording.started', t: 0, data: { sources: ['CAM-01'] } });
    c.advance(1000);
    await w.append({ type: 'marker', t: 1000, data: { note: '出示执法证件' } });
    await w.close();
    const lines = (await fsp.readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toEqual({
      seq: 1,
      at: Date.UTC(2026, 10, 23, 1, 0, 0),
      t: 0,
      type: 'recording.started',
      data: { sources: ['CAM-01'] },
      prev: GENESIS,
    });
    expect(b!.prev).toBe(lineHash(lines[0]!));
    expect(Object.keys(b!)).toEqual(['seq', 'at', 't', 'type', 'data', 'prev']);
    expect(await verifyEventLogFile(path)).toMatchObject({
      ok: true,
      entries: 2,
      head: lineHash(lines[1]!),
    });
  });

  it('writes a checkpoint every interval, stating the head so far, and reports it for mirroring', async () => {
    const path = logPath();
    const c = clock();
    const mirrored: Checkpoint[] = [];
    const w = await EventLogWriter.open(path, {
      now: c.now,
      checkpointEveryMs: 5 * 60_000,
      onCheckpoint: (cp) => mirrored.push(cp),
    });
    for (let i = 0; i < 11; i++) {
      await w.append({ type: 'marker', data: { i } });
      c.advance(60_000);
    }
    await w.close();
    const check = await verifyEventLogFile(path);
    expect(check).toMatchObject({ ok: true, checkpoints: 2 });
    expect(mirrored.map((m) => m.entries)).toEqual([6, 12]);
    const lines = (await fsp.readFile(path, 'utf8')).trimEnd().split('\n');
    for (const m of mirrored) {
      const line = JSON.parse(lines[m.seq - 1]!) as { type: string; data: { head: string } };
      expect(line.type).toBe('checkpoint');
      expect(line.data.head).toBe(lineHash(lines[m.seq - 2]!));
      expect(m.hash).toBe(lineHash(lines[m.seq - 1]!));
    }
    expect(checkAgainstCheckpoints(lines.join('\n'), mirrored)).toEqual([]);
  });

  it('keeps call order when appends are not awaited', async () => {
    const path = logPath();
    const w = await EventLogWriter.open(path, { checkpointEveryMs: 0, fsync: 'checkpoint' });
    const all = Array.from({ length: 50 }, (_, i) => w.append({ type: 'tick', data: i }));
    await Promise.all(all);
    await w.close();
    const check = await verifyEventLogFile(path);
    expect(check).toMatchObject({ ok: true, entries: 50 });
  });

  it('names the line where an entry was removed, changed or reordered', async () => {
    const path = logPath();
    await writeEventLog(
      path,
      Array.from({ length: 6 }, (_, i) => ({ type: 'tick', data: i, at: i })),
    );
    const lines = (await fsp.readFile(path, 'utf8')).trimEnd().split('\n');
    const removed = [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n';
    expect(verifyEventLogText(removed).problems.map((p) => p.line)).toEqual([3, 3]);
    const changed =
      lines.map((l, i) => (i === 1 ? l.replace('"data":1', '"data":7') : l)).join('\n') + '\n';
    expect(verifyEventLogText(changed).problems).toEqual([
      { line: 3, reason: expect.stringMatching(/^prev does not match the hash of line 2/) },
    ]);
    const swapped = [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n';
    expect(verifyEventLogText(swapped).ok).toBe(false);
  });

  it('exposes a log re-chained after an early edit through the mirrored checkpoints', async () => {
    const c = clock();
    const mirrored: Checkpoint[] = [];
    const path = logPath();
    const w = await EventLogWriter.open(path, {
      now: c.now,
      checkpointEveryMs: 60_000,
      onCheckpoint: (cp) => mirrored.push(cp),
    });
    for (let i = 0; i < 4; i++) {
      await w.append({ type: 'statement', data: { text: i === 0 ? '当事人承认' : `第${i}句` } });
      c.advance(60_000);
    }
    await w.close();
    // The forger rewrites the first statement and re-chains the whole file consistently.
    const entries = (await fsp.readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: unknown; at: number });
    entries[0]!.data = { text: '当事人否认' };
    const forged = logPath();
    await writeEventLog(forged, entries);
    const text = await fsp.readFile(forged, 'utf8');
    expect(verifyEventLogText(text).ok).toBe(true);
    expect(checkAgainstCheckpoints(text, mirrored).length).toBeGreaterThan(0);
  });

  it('resumes after a crash: a cut-off last line is kept in a log.recovered entry and the chain stays whole', async () => {
    const path = logPath();
    const w = await EventLogWriter.open(path, { checkpointEveryMs: 0 });
    await w.append({ type: 'a' });
    await w.append({ type: 'b' });
    await w.close();
    await fsp.appendFile(path, '{"seq":3,"at":1,"type":"c","da');
    expect(verifyEventLogText(await fsp.readFile(path, 'utf8')).partialTail).toBeGreaterThan(0);
    const w2 = await EventLogWriter.open(path, { checkpointEveryMs: 0 });
    expect(w2.count).toBe(3);
    await w2.append({ type: 'recording.resumed' });
    await w2.close();
    const text = await fsp.readFile(path, 'utf8');
    expect(verifyEventLogText(text)).toMatchObject({ ok: true, entries: 4 });
    const rec = JSON.parse(text.split('\n')[2]!) as { type: string; data: { bytesBase64: string } };
    expect(rec.type).toBe('log.recovered');
    expect(Buffer.from(rec.data.bytesBase64, 'base64').toString()).toBe(
      '{"seq":3,"at":1,"type":"c","da',
    );
  });

  it('refuses to append to a log whose chain is broken', async () => {
    const path = logPath();
    await writeEventLog(path, [{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
    const lines = (await fsp.readFile(path, 'utf8')).split('\n');
    await fsp.writeFile(path, [lines[0], lines[2], ''].join('\n'));
    await expect(EventLogWriter.open(path)).rejects.toThrow(EventLogError);
  });

  it('rejects appends after close', async () => {
    const w = await EventLogWriter.open(logPath(), { checkpointEveryMs: 0 });
    await w.close();
    await expect(w.append({ type: 'late' })).rejects.toThrow(/closed/);
  });
});
