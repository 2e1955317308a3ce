/**
 * The operating system's keystore as the core uses it: secrets (storage passwords and keys,
 * the workstation's private key) go in as bytes and come out protected, so nothing secret
 * lies in a plain file or database row. In the app it is Electron's safeStorage (DPAPI on
 * Windows, Keychain on macOS, libsecret or KWallet on Linux), reached through the main
 * process (electron/main/keystore.ts); the web host and the command line have none.
 */
export interface Keystore {
  /** How a protected secret is marked where it is stored. */
  readonly protection: 'safe-storage';
  /** What protects it, for the administrator (e.g. `dpapi`, `gnome_libsecret`). */
  readonly backend: string;
  protect(plain: Buffer): Promise<Buffer>;
  unprotect(stored: Buffer): Promise<Buffer>;
}
