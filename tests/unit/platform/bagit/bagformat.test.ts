import { describe, expect, it } from 'vitest';
import {
  FOLD_WIDTH,
  bagSize,
  decodeManifestPath,
  encodeManifestPath,
  foldElement,
  formatBagInfo,
  formatManifest,
  isSafeRelativePath,
  parseBagInfo,
  parseManifest,
} from '../../../../electron/core/platform/bagit/bagformat';
import {
  LABELS,
  REQUIRED_LABELS,
  buildBagInfo,
  missingRequiredLabels,
} from '../../../../electron/core/platform/bagit/baginfo';

const sha256 = 'a'.repeat(64);

describe('BagIt text formats (RFC 8493)', () => {
  it('percent-encodes only CR, LF and % in manifest paths, and reads them back', () => {
    const odd = 'data/a%b\nc\rd 询问 笔录.pdf';
    expect(encodeManifestPath(odd)).toBe('data/a%25b%0Ac%0Dd 询问 笔录.pdf');
    expect(decodeManifestPath(encodeManifestPath(odd))).toBe(odd);
    const text = formatManifest([{ path: odd, digest: sha256 }]);
    expect(text.split('\n')).toHaveLength(2);
    expect(parseManifest(text, 'sha256')).toEqual({
      entries: [{ path: odd, digest: sha256 }],
      problems: [],
    });
  });

  it('rejects manifest lines that could point outside the bag, repeat a path or carry a short digest', () => {
    const text = [
      `${sha256}  data/../../etc/passwd`,
      `${sha256}  /etc/passwd`,
      `${sha256}  data/ok.txt`,
      `${sha256}  data/ok.txt`,
      `${'a'.repeat(10)}  data/short.txt`,
      'garbage',
      '',
    ].join('\n');
    const parsed = parseManifest(text, 'sha256');
    expect(parsed.entries.map((e) => e.path)).toEqual(['data/ok.txt']);
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 2, 4, 5, 6]);
    expect(isSafeRelativePath('data/./x')).toBe(false);
    expect(isSafeRelativePath('data\\x')).toBe(false);
    expect(isSafeRelativePath('C:/x')).toBe(false);
  });

  it('folds long values only before whitespace, so unfolding gives back the exact value', () => {
    const value =
      'Fixed audio and video monitoring with two cameras, one program feed composed with the time and case caption, and one table microphone';
    const folded = foldElement('Recording-Method', value);
    const lines = folded.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(FOLD_WIDTH);
    for (const l of lines.slice(1)) expect(l).toMatch(/^[ \t]/);
    expect(lines[0]).toMatch(/^Recording-Method: Fixed/);
    expect(parseBagInfo(folded).elements).toEqual([{ label: 'Recording-Method', value, line: 1 }]);
  });

  it('never breaks between the label and the first word, nor inside Chinese text without spaces', () => {
    const head = 'f'.repeat(100);
    expect(foldElement('Event-Log-Head', head)).toBe(`Event-Log-Head: ${head}\n`);
    const zh =
      '证明当事人于询问中陈述其未按规定修建防空地下室的事实经过以及执法人员出示证件告知权利义务的过程'.repeat(
        2,
      );
    expect(foldElement('Evidentiary-Purpose', zh)).toBe(`Evidentiary-Purpose: ${zh}\n`);
  });

  it('writes repeated labels for several values and collapses line breaks inside a value', () => {
    const text = formatBagInfo({ Officer: ['张伟', '李娜'], Note: 'one\ntwo' });
    expect(text).toBe('Officer: 张伟\nOfficer: 李娜\nNote: one two\n');
    expect(() => formatBagInfo({ 'Bad:Label': 'x' })).toThrow(/invalid bag-info label/);
  });

  it('reports malformed bag-info lines', () => {
    const parsed = parseBagInfo(' orphan continuation\nNo colon here\nLabel:no-space\nGood: yes\n');
    expect(parsed.elements).toEqual([{ label: 'Good', value: 'yes', line: 4 }]);
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 2, 3]);
  });

  it('writes Bag-Size in decimal units', () => {
    expect(bagSize(999)).toBe('999 bytes');
    expect(bagSize(2_147_483_648)).toBe('2.1 GB');
  });
});

describe('bag-info facts required by the rules', () => {
  const record = {
    caseNumber: '石人防罚〔2026〕12号',
    caseCause: '未按规定修建防空地下室',
    parties: ['赵六'],
    officers: [{ name: '张伟', certificateNo: '13010012345' }],
    deviceNumbers: ['CAM-01'],
    recordingStart: Date.UTC(2026, 10, 22, 16, 30, 0),
    recordingEnd: Date.UTC(2026, 10, 22, 17, 15, 5),
    place: '询问室',
    recordingMethod: '固定式音像监控',
    madeBy: '张伟',
    madeAt: Date.UTC(2026, 10, 22, 17, 20, 0),
    productionMethod: 'Attest',
    evidentiaryPurpose: '证明询问过程',
    retention: {
      class: 'long-term' as const,
      reason: '当事人有异议',
      retainUntil: Date.UTC(2056, 0, 1),
    },
    timeZone: 'Asia/Shanghai',
  };

  it('maps the structured record to every required label (R4.2, R5.1, R4.4), times in China time', () => {
    const info = buildBagInfo(record);
    expect(missingRequiredLabels(info)).toEqual([]);
    for (const l of REQUIRED_LABELS) expect(info[l], l).toBeDefined();
    // 16:30 UTC is 00:30 the next day in Beijing: the date must follow the zone.
    expect(info[LABELS.recordingStart]).toBe('2026-11-23T00:30:00+08:00');
    expect(info[LABELS.recordingEnd]).toBe('2026-11-23T01:15:05+08:00');
    expect(info[LABELS.retentionClass]).toBe('long-term');
    expect(info[LABELS.retentionReason]).toBe('当事人有异议');
    expect(info[LABELS.retainUntil]).toBe('2056-01-01');
  });

  it('names what is missing', () => {
    const rest = { ...buildBagInfo(record) };
    delete rest[LABELS.place];
    expect(missingRequiredLabels({ ...rest, [LABELS.party]: ['  '] })).toEqual([
      LABELS.party,
      LABELS.place,
    ]);
    const noReason = { ...buildBagInfo(record) };
    delete noReason[LABELS.retentionReason];
    expect(missingRequiredLabels(noReason)).toEqual([LABELS.retentionReason]);
  });
});
