/**
 * A seal that stops between renaming its bag into the archive and writing its record (a
 * crash, a power cut) leaves a whole, signed bag that no bundle names. At the next start the
 * core keeps it aside (renamed in place, never deleted), says so in the log and on the audit
 * trail, and the recorded bundles stay exactly where they were.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../electron/core';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

describe('a bag the seal never recorded', () => {
  let env: SealEnv;
  afterAll(async () => env?.dispose());

  it('is kept aside at the next start, logged and audited', async () => {
    env = sealEnv();
    const { desk, demo } = await readySession(env, 4);
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    // What the stopped seal left: a whole bag under a final name, with no record.
    const caseDir = dirname(bundle.path);
    const orphan = `${bundle.bagName}-2`;
    cpSync(bundle.path, join(caseDir, orphan), { recursive: true });
    env.core.close();

    const log: string[] = [];
    const core = openCore({ dataDir: env.dataDir, log: (l) => log.push(l) });
    try {
      const admin = connectInMemory(core);
      await admin.invoke('auth.signIn', demo.accounts.admin);
      await expect
        .poll(() => readdirSync(caseDir).sort(), { timeout: 10_000 })
        .toEqual([`.unrecorded-${orphan}`, bundle.bagName].sort());
      expect(existsSync(join(bundle.path, 'bagit.txt'))).toBe(true);
      expect(log.join('\n')).toContain(`${orphan} was sealed but never recorded`);
      const audit = await admin.invoke('audit.list', { entity: 'archive', limit: 5 });
      expect(audit.map((e) => [e.action, e.data])).toEqual([
        [
          'bundle.unrecorded',
          {
            path: `archive/${caseDir.split('/').pop()}/${orphan}`,
            keptAs: `archive/${caseDir.split('/').pop()}/.unrecorded-${orphan}`,
            tagManifestSha512: bundle.tagManifestSha512,
          },
        ],
      ]);
      expect((await admin.invoke('audit.verifyChain', {})).ok).toBe(true);
      admin.close();
    } finally {
      core.close();
    }
  }, 120_000);
});
