/** The web host as a user runs it: prints its URL, serves the renderer, stops cleanly on SIGTERM. */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_ENTRY, startWebHost } from '../helpers/webhost';

describe('web host process (needs npm run build)', () => {
  it('serves the built renderer with a token and exits 0 on SIGTERM, keeping its data', async () => {
    const host = await startWebHost();
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<meta name="attest-host-token" content="[0-9a-f]{64}">/);
    expect(await host.stop()).toBe(0);
    expect(host.output()).toContain('stopping on SIGTERM');
    expect(existsSync(join(host.dataDir, 'attest.db'))).toBe(true);
    rmSync(host.dataDir, { recursive: true, force: true });
  });

  it('refuses a bad port with a usage message', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [WEB_ENTRY, '--port', 'eighty'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});
