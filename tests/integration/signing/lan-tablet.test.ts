/**
 * The LAN signing tablet over real TLS on loopback: the certificate the desk's
 * fingerprint names, the pairing page that is all an unpaired browser gets, the code (once,
 * five minutes, five wrong tries void it), the cookie, and a socket on which only the paired
 * signing's page methods pass and only its events arrive.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openCore, type Core } from '../../../electron/core';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import type { LanPairingDto, SigningOpenedDto } from '../../../electron/shared/api/signing';
import { registerChecked, startChecked, caseInput, PASSWORD, seed } from '../../helpers/core';
import { handwritingInput, transcriptActions } from '../../helpers/signing';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let dataDir: string;
let rendererDir: string;
let core: Core;
let desk: Client;
let t = Date.UTC(2026, 10, 23, 9, 0, 0);
const sockets: WebSocket[] = [];

function start(lan = true): void {
  core = openCore({
    dataDir,
    now: () => t,
    log: () => undefined,
    ...(lan
      ? {
          lanTablet: {
            rendererDir,
            port: 0,
            bindHost: '127.0.0.1',
            advertiseHost: '127.0.0.1',
          },
        }
      : {}),
  });
  desk = connectInMemory(core);
}

beforeEach(() => {
  t = Date.UTC(2026, 10, 23, 9, 0, 0);
  dataDir = mkdtempSync(join(tmpdir(), 'attest-lan-'));
  rendererDir = join(dataDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>Attest</title></head><body>renderer</body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(rendererDir, 'assets', 'app.js.map'), '{}');
});

afterEach(() => {
  for (const ws of sockets.splice(0)) {
    ws.on('error', () => undefined);
    if (ws.readyState === WebSocket.OPEN) ws.terminate();
  }
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An ended interview with its signing open. */
async function openSigning(): Promise<SigningOpenedDto & { officerIds: number[] }> {
  const { officers } = await seed(desk);
  await registerChecked(desk);
  const c = await desk.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
  const session = await desk.invoke('sessions.create', {
    caseId: c.id,
    kind: 'interview',
    place: '石家庄市人防办',
    officers: [
      { officerId: officers[0].id, role: 'interviewer' },
      { officerId: officers[1].id, role: 'recorder' },
    ],
    participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
  });
  // The desk is 张伟's from here, the case's officer: the case team keeps and signs the record.
  await desk.invoke('auth.signOut', {});
  await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
  await startChecked(desk, session.id);
  await desk.invoke('transcripts.apply', {
    sessionId: session.id,
    baseSeq: 0,
    actions: transcriptActions(1),
  });
  t += 10 * 60_000;
  await desk.invoke('sessions.end', { id: session.id, confirm: true });
  const opened = await desk.invoke('signing.open', { sessionId: session.id });
  return { ...opened, officerIds: [officers[0].id, officers[1].id] };
}

function ca(): string {
  return readFileSync(join(dataDir, 'identity', 'lan-tls-cert.pem'), 'utf8');
}

function https(
  pairing: LanPairingDto,
  path: string,
  opts: {
    method?: string;
    body?: string;
    cookie?: string;
    host?: string;
    /** The client's own address (another device on the network: 127.0.0.2, …). */
    from?: string;
  } = {},
): Promise<Reply> {
  const url = new URL(path, pairing.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        servername: url.hostname,
        port: url.port,
        path: url.pathname,
        method: opts.method ?? 'GET',
        ...(opts.from ? { localAddress: opts.from } : {}),
        // The workstation's own certificate is the only one trusted: TLS checks it, and its name.
        ca: ca(),
        headers: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.body !== undefined
            ? { 'content-type': 'application/x-www-form-urlencoded' }
            : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const pair = (p: LanPairingDto, code: string, from?: string) =>
  https(p, '/pair', { method: 'POST', body: `code=${code}`, ...(from ? { from } : {}) });

function cookieFrom(r: Reply): string {
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  return set[0]!.split(';')[0]!;
}

/** A socket with its frames collected; `call` sends a request and waits for its answer. */
async function socket(pairing: LanPairingDto, cookie: string, origin?: string) {
  const ws = new WebSocket(`${pairing.url.replace('https:', 'wss:')}rpc`, {
    ca: ca(),
    headers: { cookie, ...(origin ? { origin } : {}) },
  });
  sockets.push(ws);
  const frames: {
    t: string;
    id?: number;
    ok?: boolean;
    event?: string;
    error?: { code: string };
  }[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const call = async (method: string, input: unknown) => {
    const id = next++;
    ws.send(JSON.stringify({ t: 'req', id, method, input }));
    for (let i = 0; i < 200; i++) {
      const f = frames.find((x) => x.t === 'res' && x.id === id);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no answer to ${method}`);
  };
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, frames, call, closed };
}

describe('LAN signing tablet', () => {
  it('is refused where the workstation did not enable it', async () => {
    start(false);
    const opened = await openSigning();
    await expect(
      desk.invoke('signing.lanPair', { signingId: opened.signingId }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('pairs with the code over TLS, then reaches only its own signing', async () => {
    start();
    const opened = await openSigning();
    const { signingId, token } = opened;
    const pairing = await desk.invoke('signing.lanPair', { signingId });
    expect(pairing.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(pairing.code).toMatch(/^\d{6}$/);
    expect(pairing.expiresAt).toBe(t + 5 * 60_000);

    // The certificate is the one whose fingerprint the desk shows, and names this address.
    const port = Number(new URL(pairing.url).port);
    const peer = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, ca: ca() }, () => {
        resolve(s.getPeerCertificate().fingerprint256);
        s.end();
      });
      s.on('error', reject);
    });
    expect(peer).toBe(pairing.fingerprint);
    // Its key is the workstation's alone.
    expect(statSync(join(dataDir, 'identity', 'lan-tls-key.pem')).mode & 0o777).toBe(0o600);
    // The code and the token are in no audit entry.
    const audit = await desk.invoke('audit.list', { entity: 'signing', entityId: signingId });
    expect(audit.map((a) => a.action)).toContain('signing.lan_paired');
    expect(JSON.stringify(audit)).not.toContain(pairing.code);
    expect(JSON.stringify(audit)).not.toContain(token);

    // Unpaired: the pairing page, and nothing of the app.
    const first = await https(pairing, '/');
    expect(first.status).toBe(200);
    expect(first.body).toContain('name="code"');
    expect(first.body).not.toContain('renderer');
    expect(first.headers['content-security-policy']).toContain("form-action 'self'");
    expect((await https(pairing, '/assets/app.js')).status).toBe(404);
    expect((await https(pairing, '/', { host: 'evil.example:443' })).status).toBe(421);
    const anonymous = new WebSocket(`${pairing.url.replace('https:', 'wss:')}rpc`, { ca: ca() });
    sockets.push(anonymous);
    expect(
      await new Promise<string>((resolve) =>
        anonymous.once('unexpected-response', (_q, res) => resolve(String(res.statusCode))),
      ),
    ).toBe('401');

    // A wrong code is refused; the right one pairs once.
    const wrong = pairing.code === '000000' ? '000001' : '000000';
    expect((await pair(pairing, wrong)).status).toBe(401);
    const ok = await pair(pairing, pairing.code);
    expect(ok.status).toBe(303);
    // The tablet acts with a token of its own, not the desk's page's.
    const location = String(ok.headers.location);
    expect(location).toMatch(new RegExp(`^/#/sign/${signingId}/[A-Za-z0-9_-]{43}$`));
    const pageToken = token;
    const tabletToken = location.split('/').pop()!;
    expect(tabletToken).not.toBe(pageToken);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect((await pair(pairing, pairing.code)).status).toBe(401);
    const cookie = cookieFrom(ok);

    // Paired: the app, told to use this transport; no source maps.
    const index = await https(pairing, '/', { cookie });
    expect(index.body).toContain('<meta name="attest-transport" content="lan-tablet">');
    expect((await https(pairing, '/assets/app.js', { cookie })).status).toBe(200);
    expect((await https(pairing, '/assets/app.js.map', { cookie })).status).toBe(404);

    // The socket: a foreign origin is refused; the party page's methods pass for its signing.
    const foreign = new WebSocket(`${pairing.url.replace('https:', 'wss:')}rpc`, {
      ca: ca(),
      headers: { cookie, origin: 'https://evil.example' },
    });
    sockets.push(foreign);
    expect(
      await new Promise<number>((resolve) =>
        foreign.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)),
      ),
    ).toBe(403);
    const tab = await socket(pairing, cookie, pairing.url.replace(/\/$/, ''));
    // The desk's page token does not pass the tablet's socket; the tablet's does.
    expect(await tab.call('signing.status', { signingId, token: pageToken })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const status = await tab.call('signing.status', { signingId, token: tabletToken });
    expect(status).toMatchObject({ ok: true });
    expect(await tab.call('cases.list', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await tab.call('auth.signIn', { username: 'admin', password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await tab.call('signing.status', { signingId: signingId + 1, token: tabletToken }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await tab.call('signing.status', { signingId, token: 'x'.repeat(tabletToken.length) }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Its own signing's events come; other cases' do not.
    const view = await tab.call('signing.viewPage', {
      signingId,
      token: tabletToken,
      version: 1,
      page: 1,
    });
    expect(view).toMatchObject({ ok: true });
    await desk.invoke('cases.create', {
      ...caseInput([1, 2], '石人防罚〔2026〕13号'),
    });
    await new Promise((r) => setTimeout(r, 100));
    const events = tab.frames.filter((f) => f.t === 'evt').map((f) => f.event);
    expect(events).toContain('signing.changed');
    expect(events).not.toContain('case.changed');

    // Unpairing drops the tablet at once; its cookie is worth nothing after.
    expect(await desk.invoke('signing.lanUnpair', { signingId })).toEqual({ tablets: 1 });
    expect(await tab.closed).toBe(4001);
    expect((await https(pairing, '/', { cookie })).body).toContain('name="code"');
  });

  it('shuts out the address that typed five wrong codes, not the others; a code runs out after five minutes', async () => {
    start();
    const { signingId } = await openSigning();
    let pairing = await desk.invoke('signing.lanPair', { signingId });
    const wrong = (i: number) =>
      String((Number(pairing.code) + 1 + i) % 1_000_000).padStart(6, '0');
    const noisy = '127.0.0.2';
    for (let i = 0; i < 4; i++) expect((await pair(pairing, wrong(i), noisy)).status).toBe(401);
    const fifth = await pair(pairing, wrong(4), noisy);
    expect(fifth.status).toBe(429);
    expect(fifth.body).toContain('此设备配对码错误次数过多');
    // The noisy device is shut out, even with the right code …
    expect((await pair(pairing, pairing.code, noisy)).status).toBe(429);
    // … while the code still works for the tablet at another address.
    const first = await pair(pairing, pairing.code, '127.0.0.3');
    expect(first.status).toBe(303);
    const firstCookie = cookieFrom(first);
    const firstTab = await socket(pairing, firstCookie, undefined);
    // A second tablet paired to the signing ends the first one's pairing.
    pairing = await desk.invoke('signing.lanPair', { signingId });
    const second = await pair(pairing, pairing.code, '127.0.0.4');
    expect(second.status).toBe(303);
    expect(await firstTab.closed).toBe(4001);
    expect((await https(pairing, '/', { cookie: firstCookie })).body).toContain('name="code"');
    // A code that ran out does not pair; the shut-out address may try again by then.
    pairing = await desk.invoke('signing.lanPair', { signingId });
    t += 5 * 60_000 + 1;
    expect((await pair(pairing, pairing.code, noisy)).status).toBe(401);
    pairing = await desk.invoke('signing.lanPair', { signingId });
    expect((await pair(pairing, pairing.code, noisy)).status).toBe(303);
    // A binary frame is not for the tablet: the socket is closed.
    const tab = await socket(pairing, cookieFrom(await pairAgain()), undefined);
    tab.ws.send(Buffer.from([1, 2, 3]));
    expect(await tab.closed).toBe(1003);

    async function pairAgain(): Promise<Reply> {
      const p = await desk.invoke('signing.lanPair', { signingId });
      pairing = p;
      return pair(p, p.code);
    }
  });

  it('keeps the pairing while the officers sign after a refusal, and ends it when the signing is finished', async () => {
    start();
    const { signingId, officerIds } = await openSigning();
    const pairing = await desk.invoke('signing.lanPair', { signingId });
    const paired = await pair(pairing, pairing.code);
    const cookie = cookieFrom(paired);
    const token = String(paired.headers.location).split('/').pop()!;
    const tab = await socket(pairing, cookie, undefined);
    await desk.invoke('signing.refuse', { signingId, reason: '当事人拒绝签名' });
    // Refused: the officers still sign on the tablet, so it stays paired.
    expect(await tab.call('signing.status', { signingId, token })).toMatchObject({ ok: true });
    const accounts = [
      { username: 'zhangwei', password: PASSWORD },
      { username: 'lina', password: PASSWORD },
    ];
    for (const [i, officerId] of officerIds.entries())
      await desk.invoke('signing.officer', {
        signingId,
        version: 1,
        officerId,
        handwriting: handwritingInput(i + 1),
        confirmation: accounts[i]!,
      });
    await desk.invoke('signing.finish', { signingId });
    // Finished: the tablet may still show the end; anything else ends its socket, and its
    // cookie pairs nothing any more.
    expect(await tab.call('signing.status', { signingId, token })).toMatchObject({
      ok: true,
      value: { step: 'finished' },
    });
    tab.ws.send(
      JSON.stringify({
        t: 'req',
        id: 99,
        method: 'signing.viewPage',
        input: { signingId, token, version: 1, page: 1 },
      }),
    );
    expect(await tab.closed).toBe(4001);
    expect((await https(pairing, '/', { cookie })).body).toContain('name="code"');
  });
});
