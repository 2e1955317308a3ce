/**
 * One contract suite, run against every transport that can run here (in-memory and
 * WebSocket; Electron IPC is covered by the shell's unit tests with a mocked electron).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type Client } from '../../electron/shared/client';
import { MAX_FRAME_BYTES } from '../../electron/shared/rpc';
import type { MethodName } from '../../electron/shared/api/index';
import { ADMIN, PASSWORD, caseInput, seed, tempCore } from '../helpers/core';
import {
  inMemoryTransport,
  webSocketTransport,
  type TransportUnderTest,
} from '../helpers/transports';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected the call to fail');
}

const transports: [
  string,
  (core: ReturnType<typeof tempCore>['core']) => Promise<TransportUnderTest>,
][] = [
  ['in-memory', async (core) => inMemoryTransport(core)],
  ['websocket', (core) => webSocketTransport(core)],
];

describe.each(transports)('contract over %s', (_name, make) => {
  let env: ReturnType<typeof tempCore>;
  let t: TransportUnderTest;
  let client: Client;

  beforeEach(async () => {
    env = tempCore();
    t = await make(env.core);
    client = await t.client();
  });
  afterEach(async () => {
    await t.dispose();
    await env.dispose();
  });

  it('reports first-run setup, then refuses a second setup', async () => {
    expect((await client.invoke('app.info', {})).needsSetup).toBe(true);
    const admin = await client.invoke('auth.setup', ADMIN);
    expect(admin.roles).toEqual(['admin']);
    expect((await client.invoke('app.info', {})).needsSetup).toBe(false);
    expect(await codeOf(client.invoke('auth.setup', { ...ADMIN, username: 'other' }))).toBe(
      'ALREADY_INITIALISED',
    );
  });

  it('requires sign-in, rejects bad credentials, and enforces roles', async () => {
    await client.invoke('auth.setup', ADMIN);
    expect(await codeOf(client.invoke('cases.list', {}))).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(client.invoke('auth.signIn', { username: 'admin', password: 'wrong password' })),
    ).toBe('BAD_CREDENTIALS');
    expect(
      await codeOf(client.invoke('auth.signIn', { username: 'nobody', password: 'whatever123' })),
    ).toBe('BAD_CREDENTIALS');
    const { officers } = await seed(client);
    expect(officers).toHaveLength(3);
    const other = await t.client();
    await other.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    expect(await codeOf(other.invoke('users.list', {}))).toBe('FORBIDDEN');
    expect(
      await codeOf(
        other.invoke('devices.register', { deviceNo: 'CAM-01', kind: 'camera', label: 'x' }),
      ),
    ).toBe('FORBIDDEN');
    // The officer may create cases; sign-in is per connection, the admin's client is unaffected.
    const created = await other.invoke(
      'cases.create',
      caseInput(officers.slice(0, 2).map((o) => o.id)),
    );
    expect(created.officers.map((o) => o.lead)).toEqual([true, false]);
    expect((await client.invoke('auth.me', {}))?.username).toBe('admin');
  });

  it('rejects wrong types with INVALID_INPUT naming the fields, and unknown methods', async () => {
    await client.invoke('auth.setup', ADMIN);
    await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    try {
      await client.invoke('cases.create', {
        caseNo: 42,
        cause: '',
        matterKind: 'nonsense',
        origin: { kind: 'complaint', reason: 'x' },
        officerIds: [1],
      } as never);
      throw new Error('expected INVALID_INPUT');
    } catch (e) {
      const err = e as ApiError;
      expect(err.code).toBe('INVALID_INPUT');
      const paths = err.issues?.map((i) => i.path) ?? [];
      expect(paths).toEqual(
        expect.arrayContaining([
          'caseNo',
          'cause',
          'matterKind',
          'origin.complainant',
          'officerIds',
        ]),
      );
    }
    expect(await codeOf(client.invoke('cases.get', { id: 1, extra: true } as never))).toBe(
      'INVALID_INPUT',
    );
    expect(await codeOf(client.invoke('no.such' as MethodName, {} as never))).toBe(
      'UNKNOWN_METHOD',
    );
    expect(await codeOf(client.invoke('__proto__' as MethodName, {} as never))).toBe(
      'UNKNOWN_METHOD',
    );
  });

  it('answers malformed and oversized frames with a code, and keeps serving', async () => {
    const notJson = await t.raw('{not json');
    expect(notJson.reply).toMatchObject({
      t: 'res',
      id: -1,
      ok: false,
      error: { code: 'BAD_FRAME' },
    });
    const notRequest = await t.raw(JSON.stringify({ t: 'req', id: 7, method: 5 }));
    expect(notRequest.reply).toMatchObject({ id: 7, ok: false, error: { code: 'BAD_FRAME' } });
    const huge = await t.raw(
      JSON.stringify({
        t: 'req',
        id: 8,
        method: 'app.info',
        input: { pad: 'x'.repeat(MAX_FRAME_BYTES) },
      }),
    );
    // Every transport answers an oversized JSON frame the same way (the WebSocket takes media
    // frames up to 8 MiB, so the core's own limit is the one that answers).
    expect(huge.reply).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
    // The core is still up, for this client and for new ones.
    expect((await client.invoke('app.info', {})).name).toBe('Attest');
    const again = await t.client();
    expect((await again.invoke('app.info', {})).name).toBe('Attest');
  });

  it('creates a case with parties and a session, and notifies other connections', async () => {
    const { officers } = await seed(client);
    const watcher = await t.client();
    const changed: number[] = [];
    watcher.subscribe('case.changed', (p) => changed.push(p.caseId));
    const c = await client.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
    expect(c.phase).toBe('initiation');
    expect(c.parties).toHaveLength(1);
    const session = await client.invoke('sessions.create', {
      caseId: c.id,
      kind: 'interview',
      place: '石家庄市人防办询问室',
      room: '询问室一',
      officers: [
        { officerId: officers[0].id, role: 'interviewer' },
        { officerId: officers[1].id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
    });
    expect(session.officers.map((o) => o.certificateNo)).toEqual(['13010012345', '13010067890']);
    const listed = await client.invoke('cases.list', { query: '赵六' });
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({
      caseNo: c.caseNo,
      sessionCount: 1,
      partyNames: ['赵六'],
    });
    await expect.poll(() => changed.filter((id) => id === c.id).length).toBeGreaterThanOrEqual(2);
  });
});
