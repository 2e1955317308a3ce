// Child process for the crash test: seals one large file and reports progress on stdout, so
// the test can kill it mid-copy. Run with node --experimental-transform-types --import tests/helpers/ts-hooks.mjs.
import { buildBagInfo, sealBag } from '../../../../electron/core/features/sealing';
import { makeTestPki, sampleRecord } from './fixtures';

const [outDir, bagName, bigFile] = process.argv.slice(2) as [string, string, string];
const pki = await makeTestPki();
// The parent removes this folder after killing the child (which cannot clean up itself).
process.stdout.write(`pki ${pki.dir}\n`);
let reported = 0;
await sealBag({
  sourceFiles: [{ path: bigFile, name: 'media/CAM-01.mp4' }],
  bagInfo: buildBagInfo(sampleRecord()),
  eventLog: { entries: [{ type: 'recording.started' }, { type: 'recording.stopped' }] },
  signer: pki.signer,
  timeZone: 'Asia/Shanghai',
  outDir,
  bagName,
  now: Date.now,
  onProgress: ({ bytesDone }) => {
    if (bytesDone - reported >= 8 * 1024 * 1024) {
      reported = bytesDone;
      process.stdout.write(`progress ${bytesDone}\n`);
    }
  },
});
process.stdout.write('sealed\n');
