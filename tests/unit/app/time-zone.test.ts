import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { openCore } from '../../../electron/core';
import { PASSWORD, seed, tempCore } from '../../helpers/core';

describe('the agency’s time zone', () => {
  let env: ReturnType<typeof tempCore>;
  let admin: Client;

  beforeEach(async () => {
    env = tempCore();
    admin = connectInMemory(env.core);
    await seed(admin);
  });
  afterEach(() => {
    admin.close();
    return env.dispose();
  });

  it('is the machine’s until an administrator sets it; the change is audited and announced', async () => {
    const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(await admin.invoke('app.timeZone', {})).toEqual({
      timeZone: machine,
      set: false,
      machineTimeZone: machine,
    });
    const seen: string[] = [];
    const watcher = connectInMemory(env.core);
    watcher.subscribe('app.settingsChanged', () => seen.push('changed'));
    expect(await admin.invoke('app.setTimeZone', { timeZone: 'Asia/Urumqi' })).toMatchObject({
      timeZone: 'Asia/Urumqi',
      set: true,
    });
    expect((await watcher.invoke('app.info', {})).timeZone).toBe('Asia/Urumqi');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['changed']);
    const trail = await admin.invoke('audit.list', { limit: 5 });
    expect(trail.find((e) => e.action === 'app.timeZoneSet')?.data).toEqual({
      from: machine,
      to: 'Asia/Urumqi',
      machine: false,
    });
    expect(await admin.invoke('app.setTimeZone', { timeZone: null })).toMatchObject({
      timeZone: machine,
      set: false,
    });
    watcher.close();
  });

  it('survives a restart of the core', async () => {
    await admin.invoke('app.setTimeZone', { timeZone: 'Asia/Shanghai' });
    admin.close();
    env.core.close();
    const again = openCore({ dataDir: env.dataDir, log: () => undefined });
    const c = connectInMemory(again);
    expect((await c.invoke('app.info', {})).timeZone).toBe('Asia/Shanghai');
    c.close();
    again.close();
  });

  it('refuses a name that is not a zone, and anyone but an administrator', async () => {
    await expect(admin.invoke('app.setTimeZone', { timeZone: 'Beijing' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const officer = connectInMemory(env.core);
    await officer.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    await expect(
      officer.invoke('app.setTimeZone', { timeZone: 'Asia/Shanghai' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await officer.invoke('app.timeZone', {})).set).toBe(false);
    officer.close();
  });
});
