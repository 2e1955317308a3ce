/**
 * The burner adapters at their command-line boundary. No optical drive exists on the build
 * machines, so:
 * - XorrisoBurner runs a stand-in `xorriso` that records its arguments and answers with
 *   output taken from real xorriso runs (drive list, TOC of a blank DVD-R, cdrecord-style
 *   progress), and then the real xorriso with an image file as the "drive"
 *   (`dev=stdio:...`), whose result is read back by the disc verification;
 * - Imapi2Burner runs a stand-in `powershell` that checks it is asked to run burn.ps1 with
 *   the documented arguments and answers with the JSON lines burn.ps1 writes.
 * Burning to a real drive was not exercised.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Imapi2Burner,
  XorrisoBurner,
  type BurnProgress,
} from '../../../electron/core/platform/optical/burner';
import { verifyDisc } from '../../../electron/core/features/discs/disc-verify';
import { imageOf, removeTempDirs, sealedCase, tempDir } from './fixtures';

afterAll(removeTempDirs);

const FAKE_XORRISO = `#!/bin/bash
here="$(dirname "$0")"
printf '%s\\n' "$*" >> "$here/calls.log"
args=" $* "
if [[ "$args" == *" -devices "* ]]; then
  if [ -e "$here/no-drives" ]; then
    echo "Beginning to scan for devices ..." >&2
    echo "xorriso : SORRY : No drives found" >&2
    exit 32
  fi
  echo "Beginning to scan for devices ..."
  echo "Full drive scan done"
  echo "-----------------------------------------------------------------------------"
  echo "0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1' "
  echo "1  -dev '/dev/sr1' r----- :  'ASUS    ' 'BW-16D1HT       ' "
  echo "-----------------------------------------------------------------------------"
  exit 0
fi
if [[ "$args" == *" -toc "* ]]; then
  cat <<'EOF'
xorriso 1.5.4 : RockRidge filesystem manipulator, libburnia project.

Drive current: -outdev '/dev/sr0'
Media current: DVD-R sequential recording
Media product: CMC MAG. AM3 , CMC Magnetics Corporation
Media status : is blank
Media blocks : 0 readable , 2298496 writable , 2298496 overall
Media summary: 0 sessions, 0 data blocks, 0 data, 4489m free
Drive current: -outdev '/dev/sr0'
Drive type   : vendor 'HL-DT-ST' product 'DVDRAM GH24NSD1' revision 'LG00'
Profile      : 0x0011 (DVD-R sequential recording) (current)
Profile      : 0x0014 (DVD-RW sequential recording)
Profile      : 0x001B (DVD+R)
EOF
  exit 0
fi
if [[ "$args" == *" -as cdrecord "* ]]; then
  image="\${@: -1}"
  echo "Beginning to write data track." >&2
  if [[ "$image" == *fail* ]]; then
    echo "xorriso : FAILURE : Burn run failed" >&2
    echo "xorriso : FAILURE : libburn indicates failure with writing." >&2
    exit 32
  fi
  for n in 10 150 300; do echo "xorriso : UPDATE :  $n of  300 MB written (fifo 99%) [buf  98%]   4.0x." >&2; done
  echo "Writing to '/dev/sr0' completed successfully." >&2
  exit 0
fi
if [[ "$args" == *" -eject "* ]]; then exit 0; fi
echo "xorriso : FAILURE : unexpected call" >&2
exit 5
`;

const FAKE_POWERSHELL = `#!/bin/bash
here="$(dirname "$0")"
printf '%s\\n' "$*" >> "$here/calls.log"
[ "$1 $2 $3 $4 $5" = "-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass" ] || { echo "bad prelude" >&2; exit 9; }
[ "$6" = "-File" ] && [[ "$7" == *burn.ps1 ]] || { echo "no script" >&2; exit 9; }
shift 7
action=""; drive=""; image=""
while [ $# -gt 0 ]; do case "$1" in -Action) action="$2"; shift 2;; -Drive) drive="$2"; shift 2;; -Image) image="$2"; shift 2;; *) shift;; esac; done
case "$action" in
  list)
    echo '{"type":"drive","id":"{a5d3e1c0-0001}","path":"E:","vendor":"HL-DT-ST","product":"DVDRAM GH24NSD1","writer":true}'
    echo '{"type":"done"}';;
  info)
    echo '{"type":"media","profile":"DVD+R DL","blank":true,"appendable":false,"freeSectors":4173824,"overallSectors":4173824}'
    echo '{"type":"done"}';;
  burn)
    if [[ "$image" == *fail* ]]; then echo '{"type":"error","message":"the disc in the drive is not blank; an evidence disc is written once, on a blank disc"}'; exit 1; fi
    echo '{"type":"progress","fraction":null,"action":"writing"}'
    echo '{"type":"progress","fraction":0.5,"action":"writing"}'
    echo '{"type":"progress","fraction":1,"action":"completed"}'
    echo '{"type":"done"}';;
  eject) echo '{"type":"done"}';;
  *) echo '{"type":"error","message":"bad action"}'; exit 1;;
esac
`;

async function fake(
  name: string,
  text: string,
): Promise<{ bin: string; calls: () => Promise<string[]>; dir: string }> {
  const dir = tempDir('attest-fake-drive-');
  const bin = join(dir, name);
  await fsp.writeFile(bin, text, { mode: 0o755 });
  return {
    bin,
    dir,
    calls: async () =>
      (await fsp.readFile(join(dir, 'calls.log'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean),
  };
}

describe('XorrisoBurner against a stand-in xorriso', () => {
  it('lists drives, reads the medium, burns with progress, ejects — with the arguments the real xorriso takes', async () => {
    const x = await fake('xorriso', FAKE_XORRISO);
    const burner = new XorrisoBurner(x.bin);
    const drives = await burner.listDrives();
    expect(drives).toEqual([
      {
        id: '/dev/sr0',
        path: '/dev/sr0',
        vendor: 'HL-DT-ST',
        product: 'DVDRAM GH24NSD1',
        writer: true,
      },
      { id: '/dev/sr1', path: '/dev/sr1', vendor: 'ASUS', product: 'BW-16D1HT', writer: false },
    ]);
    expect(await burner.mediaInfo('/dev/sr0')).toEqual({
      drive: '/dev/sr0',
      profile: 'DVD-R sequential recording',
      medium: 'dvd',
      blank: true,
      appendable: false,
      freeSectors: 2298496,
    });
    const progress: BurnProgress[] = [];
    await burner.burn('/dev/sr0', '/srv/discs/disc-1.iso', { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.fraction).filter((f) => f !== null)).toEqual([
      10 / 300,
      150 / 300,
      1,
      1,
    ]);
    await burner.eject('/dev/sr0');
    expect(await x.calls()).toEqual([
      '-devices',
      '-outdev /dev/sr0 -toc -list_profiles out',
      '-report_about UPDATE -as cdrecord -v dev=/dev/sr0 blank=as_needed /srv/discs/disc-1.iso',
      '-outdev /dev/sr0 -eject all',
    ]);
    expect(burner.readSource(drives[0]!)).toEqual({ kind: 'iso', path: '/dev/sr0' });
  });

  it("reports a failed burn with xorriso's reason, and no drives as an empty list", async () => {
    const x = await fake('xorriso', FAKE_XORRISO);
    const burner = new XorrisoBurner(x.bin);
    await expect(burner.burn('/dev/sr0', '/tmp/fail.iso')).rejects.toThrow(
      /libburn indicates failure with writing/,
    );
    await fsp.writeFile(join(x.dir, 'no-drives'), '');
    expect(await burner.listDrives()).toEqual([]);
  });
});

describe('Imapi2Burner against a stand-in powershell', () => {
  it('runs burn.ps1 with the documented arguments and reads its JSON lines', async () => {
    const ps = await fake('powershell', FAKE_POWERSHELL);
    const burner = new Imapi2Burner({ powershell: ps.bin });
    const drives = await burner.listDrives();
    expect(drives).toEqual([
      {
        id: '{a5d3e1c0-0001}',
        path: 'E:',
        vendor: 'HL-DT-ST',
        product: 'DVDRAM GH24NSD1',
        writer: true,
      },
    ]);
    expect((await burner.mediaInfo(drives[0]!.id)).medium).toBe('dvd-dl');
    const progress: BurnProgress[] = [];
    await burner.burn(drives[0]!.id, 'C:\\Attest\\discs\\disc-1.iso', {
      onProgress: (p) => progress.push(p),
    });
    expect(progress.map((p) => p.fraction)).toEqual([null, 0.5, 1]);
    await expect(burner.burn(drives[0]!.id, 'C:\\fail.iso')).rejects.toThrow(/not blank/);
    await burner.eject(drives[0]!.id);
    const calls = await ps.calls();
    expect(calls[0]).toMatch(
      /^-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File \S*native\/windows\/burn\.ps1 -Action list$/,
    );
    expect(calls.at(-1)).toMatch(/-Action eject -Drive \{a5d3e1c0-0001\}$/);
    expect(burner.readSource(drives[0]!)).toEqual({ kind: 'directory', path: 'E:\\' });
  });

  it('says plainly when PowerShell is not there', async () => {
    await expect(
      new Imapi2Burner({ powershell: '/nonexistent/powershell' }).listDrives(),
    ).rejects.toThrow(/needs Windows/);
  });
});

describe('the real xorriso burning to an image file as the drive', () => {
  let image: string;
  beforeAll(async () => {
    const { bags } = await sealedCase(tempDir('attest-disc-archive-'));
    image = join(tempDir('attest-disc-img-'), 'disc.iso');
    await imageOf(bags, image);
  }, 120_000);

  it('reads the blank "medium", burns the image as one closed session, and the "disc" verifies', async () => {
    const burner = new XorrisoBurner();
    const disc = join(tempDir('attest-disc-dev-'), 'sr0.bin');
    const info = await burner.mediaInfo(`stdio:${disc}`);
    expect(info.blank).toBe(true);
    const progress: BurnProgress[] = [];
    await burner.burn(`stdio:${disc}`, image, { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)?.fraction).toBe(1);
    const r = await verifyDisc(
      burner.readSource({ id: disc, path: disc, vendor: '', product: '', writer: true }),
    );
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  }, 60_000);
});
