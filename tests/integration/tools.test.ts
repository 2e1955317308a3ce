/**
 * The programs Attest and its tests run, installed where they are looked for. A test that
 * needs one fails when it is missing (never skips); this says at once which is missing and
 * which Debian package brings it (`bash scripts/setup.sh` installs them all).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from '../helpers/browser';

const PROGRAMS: [string, string[], string][] = [
  ['ffmpeg', ['-version'], 'ffmpeg'],
  ['ffprobe', ['-version'], 'ffmpeg'],
  ['xorriso', ['-version'], 'xorriso'],
  ['pdfsig', ['-v'], 'poppler-utils'],
  ['pdftoppm', ['-v'], 'poppler-utils'],
  ['pdftotext', ['-v'], 'poppler-utils'],
  ['qpdf', ['--version'], 'qpdf'],
  ['openssl', ['version'], 'openssl'],
  ['zbarimg', ['--version'], 'zbar-tools'],
  [CHROMIUM, ['--version'], 'chromium'],
  ['radosgw', ['--version'], 'radosgw'],
  ['ceph-mon', ['--version'], 'ceph-mon'],
  ['ceph-osd', ['--version'], 'ceph-osd'],
  ['monmaptool', ['--help'], 'ceph-mon'],
  ['radosgw-admin', ['--version'], 'radosgw'],
];

const FILES: [string, string][] = [
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'fonts-noto-cjk'],
];

describe('the programs the suite needs', () => {
  it('are all installed', () => {
    const missing = [
      ...PROGRAMS.filter(([cmd, args]) => spawnSync(cmd, args).status !== 0).map(
        ([cmd, , pkg]) => `${cmd} (apt-get install ${pkg})`,
      ),
      ...FILES.filter(([f]) => !existsSync(f)).map(([f, pkg]) => `${f} (apt-get install ${pkg})`),
    ];
    expect(missing).toEqual([]);
  });
});
