// Child process for the restart test: runs one replication job against the case store at
// DBPATH and kills itself (SIGKILL, like a power cut) once KILL_AT bytes were sent.
// Run with node --experimental-transform-types --import tests/helpers/ts-hooks.mjs.
import { openDatabase } from '../../../electron/core/platform/db/database';
import {
  DbSecretStore,
  ReplicationQueue,
  TargetStore,
} from '../../../electron/core/features/storage';

const [dbPath, jobId, killAt] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(dbPath);
const targets = new TargetStore(db, new DbSecretStore(db));
const queue = new ReplicationQueue({
  db,
  openTarget: (id) => targets.open(id),
  onProgress: (p) => {
    if (p.phase === 'upload' && p.bytesDone >= Number(killAt)) process.kill(process.pid, 'SIGKILL');
  },
});
const job = await queue.runJob(Number(jobId));
process.stdout.write(`finished ${job.state}\n`);
