/**
 * The OS keystore for the core: Electron's safeStorage lives in the main process only, so
 * the core (a utility process, electron/core/utility.ts) asks here to protect and unprotect
 * bytes, and is told at start which keystore there is (`ATTEST_KEYSTORE`). On Linux a
 * safeStorage that fell back to its built-in password (`basic_text`) protects nothing and
 * counts as none: the administrator then decides about plain storage in the app.
 */
import type { KeystoreReply, KeystoreRequest } from '../core/utility';

/** The part of Electron's `safeStorage` used here (a fake one in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** What protects secrets on this machine, or null when nothing real does. */
export function keystoreBackend(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (platform === 'win32') return 'dpapi';
  if (platform === 'darwin') return 'keychain';
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend === 'basic_text' || backend === 'unknown' ? null : backend;
}

/**
 * Answers one request of the core. Bytes travel as base64 text through safeStorage's string
 * interface, so any bytes survive; a failure is answered, never thrown.
 */
export function answerKeystore(
  safeStorage: SafeStorageLike,
  request: KeystoreRequest,
): KeystoreReply {
  try {
    const data =
      request.op === 'protect'
        ? new Uint8Array(safeStorage.encryptString(Buffer.from(request.data).toString('base64')))
        : new Uint8Array(
            Buffer.from(safeStorage.decryptString(Buffer.from(request.data)), 'base64'),
          );
    return { type: 'keystore-reply', id: request.id, ok: true, data };
  } catch (e) {
    return {
      type: 'keystore-reply',
      id: request.id,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
