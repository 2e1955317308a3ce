/**
 * With the OS keystore (a stand-in for Electron's safeStorage), nothing secret lies in a
 * plain file or row: a storage target's password is stored protected, the workstation's
 * private key is kept only as the keystore protected it, and plain storage is neither asked
 * for nor accepted.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../electron/core';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { fakeKeystore } from '../../helpers/keystore';
import { sftpTargetInput } from '../../helpers/storageTargets';

const PASSWORD = 'sftp-口令-6c1f0e';

describe('secrets under the OS keystore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-keystore-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores a storage password and the workstation key protected, never plain', async () => {
    const keystore = fakeKeystore('gnome_libsecret');
    const core = openCore({ dataDir, log: () => undefined, keystore });
    const admin = connectInMemory(core);
    try {
      const account = { username: 'admin', password: 'Adm1n-密码-2026', displayName: '管理员' };
      await admin.invoke('auth.setup', account);
      await admin.invoke('auth.signIn', { username: account.username, password: account.password });
      const target = await admin.invoke('storage.targets.create', sftpTargetInput(PASSWORD));
      expect(target.secretFields).toEqual(['password']);
      const status = await admin.invoke('trust.status', {});
      expect(status.keystore).toEqual({ backend: 'gnome_libsecret', plainAccepted: null });
      await expect(
        admin.invoke('trust.acceptPlainSecrets', { reason: '不需要明文存放' }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      // The workstation's key, made at start, is only there protected.
      await expect
        .poll(() => existsSync(join(dataDir, 'identity', 'current', 'key.protected')))
        .toBe(true);
      expect(existsSync(join(dataDir, 'identity', 'current', 'key.pem'))).toBe(false);
    } finally {
      admin.close();
      core.close();
    }
    const db = new Database(join(dataDir, 'attest.db'), { readonly: true });
    const row = db.prepare('SELECT protection, secret FROM storage_target_secrets').get() as {
      protection: string;
      secret: Buffer;
    };
    db.close();
    expect(row.protection).toBe('safe-storage');
    expect(row.secret.toString('utf8')).not.toContain('sftp-');
    for (const f of ['attest.db', 'attest.db-wal'].filter((n) => existsSync(join(dataDir, n))))
      expect(readFileSync(join(dataDir, f)).includes(Buffer.from(PASSWORD))).toBe(false);
    expect(keystore.calls).toBeGreaterThanOrEqual(2);
  });
});
