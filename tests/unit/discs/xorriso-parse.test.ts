import { describe, expect, it } from 'vitest';
import {
  parseProgress,
  parseReportLba,
  safeVolumeId,
  unquoteXorriso,
} from '../../../electron/core/platform/optical/xorriso';
import {
  mediumOfProfile,
  parseDevices,
  parseToc,
} from '../../../electron/core/platform/optical/burner';

describe('xorriso output', () => {
  it('parses report_lba with multi-extent files, quotes and Chinese names', () => {
    const out = [
      'Report layout: xt , Startlba ,   Blocks , Filesize , ISO image path',
      "File data lba:  0 ,  2304068 ,        1 ,        7 , '/README.txt'",
      "File data lba:  1 ,  2097219 ,   206849 , 4718592000 , '/bundles/big.bin'",
      "File data lba:  0 ,       68 ,  2097151 , 4718592000 , '/bundles/big.bin'",
      "File data lba:  0 ,       33 ,        1 ,        2 , '/a b/it'\"'\"'s/文件 1.txt'",
      "File data lba:  0 ,       32 ,        0 ,        0 , '/a b/empty.txt'",
    ].join('\n');
    expect(parseReportLba(out)).toEqual([
      { path: 'README.txt', size: 7, extents: [{ lba: 2304068, blocks: 1 }] },
      { path: 'a b/empty.txt', size: 0, extents: [{ lba: 32, blocks: 0 }] },
      { path: "a b/it's/文件 1.txt", size: 2, extents: [{ lba: 33, blocks: 1 }] },
      {
        path: 'bundles/big.bin',
        size: 4718592000,
        extents: [
          { lba: 68, blocks: 2097151 },
          { lba: 2097219, blocks: 206849 },
        ],
      },
    ]);
    expect(unquoteXorriso(`'x'"'"'y'`)).toBe("x'y");
  });

  it('reads progress of image writing and of burning', () => {
    expect(
      parseProgress('xorriso : UPDATE : Writing:      29195s   19.0%   fifo 100%  buf  50%'),
    ).toBeCloseTo(0.19);
    expect(
      parseProgress('xorriso : UPDATE :   66 of  300 MB written (fifo 99%) [buf  50%]  56.2x.'),
    ).toBeCloseTo(0.22);
    expect(parseProgress('xorriso : UPDATE :       1 files added in 1 seconds')).toBeNull();
  });

  it('makes volume ids that ISO 9660 and Joliet both keep whole', () => {
    expect(safeVolumeId('att_261124_001_1')).toBe('ATT_261124_001_1');
    expect(safeVolumeId('石人防罚〔2026〕12号 disc 1 of 2')).toBe('2026_12_DISC_1_O');
    expect(safeVolumeId('案卷')).toBe('ATTEST');
  });

  it('parses drive lists and the TOC of a blank disc or an empty drive', () => {
    expect(parseDevices("0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1' ")).toEqual([
      {
        id: '/dev/sr0',
        path: '/dev/sr0',
        vendor: 'HL-DT-ST',
        product: 'DVDRAM GH24NSD1',
        writer: true,
      },
    ]);
    const blank = parseToc(
      '/dev/sr0',
      'Media current: BD-R sequential recording\nMedia status : is blank\nMedia blocks : 0 readable , 24438784 writable , 24438784 overall\n',
    );
    expect(blank).toMatchObject({
      profile: 'BD-R sequential recording',
      medium: 'bd-dl',
      blank: true,
      freeSectors: 24438784,
    });
    expect(
      parseToc('/dev/sr0', 'Media current: is not present\nMedia status : is not present\n'),
    ).toMatchObject({ profile: null, medium: null, blank: false });
    expect(mediumOfProfile('CD-R', 359847)).toBe('cd');
    expect(mediumOfProfile('DVD+R/DL', 4173824)).toBe('dvd-dl');
    expect(mediumOfProfile('DVD-R sequential recording', 2298496)).toBe('dvd');
  });
});
