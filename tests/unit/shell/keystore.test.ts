import { describe, expect, it } from 'vitest';
import { answerKeystore, keystoreBackend } from '../../../electron/main/keystore';
import {
  ipcKeystore,
  parseMainMessage,
  type KeystoreRequest,
} from '../../../electron/core/utility';

const storage = (available: boolean, backend: string) => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
});

describe('the OS keystore in the main process', () => {
  it('counts only a real keystore: none when unavailable or on Linux’s built-in password', () => {
    expect(keystoreBackend(storage(false, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(keystoreBackend(storage(true, 'basic_text'), 'linux')).toBeNull();
    expect(keystoreBackend(storage(true, 'kwallet5'), 'linux')).toBe('kwallet5');
    expect(keystoreBackend(storage(true, ''), 'win32')).toBe('dpapi');
    expect(keystoreBackend(storage(true, ''), 'darwin')).toBe('keychain');
  });

  it('protects and unprotects any bytes; a failure is an answer', () => {
    const s = storage(true, 'kwallet5');
    const bytes = new Uint8Array([0, 255, 10, 13, 0xe5, 0x8f, 0xa3]);
    const p = answerKeystore(s, { type: 'keystore', id: 1, op: 'protect', data: bytes });
    if (!p.ok) throw new Error(p.error);
    const u = answerKeystore(s, { type: 'keystore', id: 2, op: 'unprotect', data: p.data });
    expect(u).toEqual({ type: 'keystore-reply', id: 2, ok: true, data: bytes });
    const broken = {
      ...s,
      decryptString: () => {
        throw new Error('keyring locked');
      },
    };
    expect(
      answerKeystore(broken, { type: 'keystore', id: 3, op: 'unprotect', data: bytes }),
    ).toEqual({ type: 'keystore-reply', id: 3, ok: false, error: 'keyring locked' });
  });
});

describe('the keystore as the core reaches it', () => {
  it('matches answers to requests by id, and a refusal rejects with its reason', async () => {
    const asked: KeystoreRequest[] = [];
    const ks = ipcKeystore((r) => asked.push(r), 'dpapi');
    expect(ks.backend).toBe('dpapi');
    const a = ks.protect(Buffer.from('a'));
    const b = ks.unprotect(Buffer.from('b'));
    expect(asked.map((r) => [r.id, r.op])).toEqual([
      [1, 'protect'],
      [2, 'unprotect'],
    ]);
    ks.deliver({ type: 'keystore-reply', id: 2, ok: false, error: 'locked' });
    ks.deliver({ type: 'keystore-reply', id: 1, ok: true, data: new Uint8Array([9]) });
    await expect(a).resolves.toEqual(Buffer.from([9]));
    await expect(b).rejects.toThrow('the OS keystore refused: locked');
  });

  it('takes only well-formed answers from the main process', () => {
    expect(
      parseMainMessage({ type: 'keystore-reply', id: 1, ok: true, data: new Uint8Array() }),
    ).toEqual({ type: 'keystore-reply', id: 1, ok: true, data: new Uint8Array() });
    expect(parseMainMessage({ type: 'keystore-reply', id: 1, ok: true, data: 'x' })).toBeNull();
    expect(parseMainMessage({ type: 'keystore-reply', id: '1', ok: false, error: 'x' })).toBeNull();
  });
});
