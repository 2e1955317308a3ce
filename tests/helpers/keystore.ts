/**
 * A stand-in for Electron's safeStorage in Node tests: AES-256-GCM under a key held in this
 * process's memory only, so what it protects cannot be read from disk by anyone.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keystore } from '../../electron/core/platform/keystore';

export function fakeKeystore(backend = 'test'): Keystore & { calls: number } {
  const secret = randomBytes(32);
  const ks = {
    protection: 'safe-storage' as const,
    backend,
    calls: 0,
    async protect(plain: Buffer) {
      ks.calls++;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async unprotect(stored: Buffer) {
      ks.calls++;
      const d = createDecipheriv('aes-256-gcm', secret, stored.subarray(0, 12));
      d.setAuthTag(stored.subarray(12, 28));
      return Buffer.concat([d.update(stored.subarray(28)), d.final()]);
    },
  };
  return ks;
}
