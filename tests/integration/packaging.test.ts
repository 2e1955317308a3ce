/**
 * The packaged app's Electron fuses, read from electron-builder.yml as electron-builder reads
 * it: each fuse that would let someone run the binary as Node, pass it Node options or a
 * debugger, or load code from outside the checked app.asar, is switched off.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';

const config = load(
  readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8'),
) as { asar?: unknown; electronFuses?: Record<string, unknown>; files?: string[] };

describe('the packaged binary', () => {
  it('has the fuses that keep it from being used as anything but Attest', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('leaves the web host (tests and development only) out of the package', () => {
    expect(config.files).toContain('!out/main/web.js');
  });
});
