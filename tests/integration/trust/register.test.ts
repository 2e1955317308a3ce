/**
 * Who vouches for a seal, end to end through the contract: the administrator registers the
 * agency's CA, has the workstation write a certificate request, installs what the CA (real
 * openssl) issued, seals a session, and the bag verifies elsewhere with the register file
 * alone. A bag re-signed under the same name by another CA, a register swapped for the
 * forger's, and a withdrawn CA each make `attest verify` say why and exit non-zero.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand, VERIFY_EXIT } from '../../../electron/cli/verify';
import type { Client } from '../../../electron/shared/client';
import { makeAgencyCa, type AgencyCa } from '../../helpers/agencyCa';
import { forgeBag } from '../../helpers/forgery';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

async function verify(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await verifyCommand([...args, '--no-media', '--no-pdf', '--lang', 'en'], {
    out: (t) => (out += t),
    err: (t) => (out += t),
  });
  return { code, out };
}

describe('the agency certificate register', () => {
  let env: SealEnv;
  let work: string;
  let agency: AgencyCa;
  let rogue: AgencyCa;
  let admin: Client;
  let desk: Client;
  let sessionId: number;
  let officer: { username: string; password: string };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'attest-trust-'));
    agency = makeAgencyCa(join(work, 'agency'), '某市市场监督管理局 电子证据 CA');
    rogue = makeAgencyCa(join(work, 'rogue'), '某市市场监督管理局 电子证据 CA');
    env = sealEnv();
    const ready = await readySession(env, 4);
    admin = ready.admin;
    desk = ready.desk;
    sessionId = ready.demo.sessionId;
    officer = ready.demo.accounts.officer;
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('is the administrator’s: an officer may neither register nor install', async () => {
    const other = env.connect();
    await other.invoke('auth.signIn', officer);
    await expect(
      other.invoke('trust.addToRegister', { kind: 'ca', certificatePem: agency.certPem }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      other.invoke('trust.requestCertificate', { commonName: 'x1', organization: 'y1' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('installs a certificate the agency CA issued for a request made here, only once the CA is registered', async () => {
    const before = await admin.invoke('trust.status', {});
    expect(before.register).toEqual([]);
    expect(before.registerSha256).toBeNull();
    await expect(
      admin.invoke('trust.installCertificate', { certificatePem: agency.certPem }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const { requestPem } = await admin.invoke('trust.requestCertificate', {
      commonName: 'Attest 工作站 询问室-3',
      organization: '某市市场监督管理局',
    });
    // A request openssl accepts as self-consistent, naming the workstation in UTF-8.
    const csr = join(work, 'request.pem');
    writeFileSync(csr, requestPem);
    const text = execFileSync(
      'openssl',
      ['req', '-in', csr, '-noout', '-verify', '-text', '-nameopt', 'utf8'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(text).toContain('Subject: O=某市市场监督管理局, CN=Attest 工作站 询问室-3');
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    expect((await admin.invoke('trust.status', {})).pendingRequest?.requestPem).toBe(requestPem);

    const issued = agency.issue(requestPem);
    // Not yet: the register lists no CA.
    await expect(
      admin.invoke('trust.installCertificate', { certificatePem: issued }),
    ).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('register'),
    });
    // A leaf is not a CA.
    await expect(
      admin.invoke('trust.addToRegister', { kind: 'ca', certificatePem: issued }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const entry = await admin.invoke('trust.addToRegister', {
      kind: 'ca',
      certificatePem: agency.certPem,
    });
    expect(entry).toMatchObject({ kind: 'ca', withdrawn: null });
    expect(entry.subject).toContain('电子证据 CA');
    await expect(
      admin.invoke('trust.addToRegister', { kind: 'ca', certificatePem: agency.certPem }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Another CA's certificate for this same key is still refused.
    await expect(
      admin.invoke('trust.installCertificate', { certificatePem: rogue.issue(requestPem) }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });

    const installed = await admin.invoke('trust.installCertificate', { certificatePem: issued });
    expect(installed).toMatchObject({ source: 'agency-issued', vouchedByRegister: true });
    expect(installed.issuer).toContain('电子证据 CA');
    const after = await admin.invoke('trust.status', {});
    expect(after.workstation?.fingerprintSha256).toBe(installed.fingerprintSha256);
    expect(after.pendingRequest).toBeNull();
    expect(after.registerSha256).toMatch(/^[0-9a-f]{64}$/);
    const actions = (await admin.invoke('audit.list', { entity: 'trust', limit: 50 })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['trust.certificateRequested', 'trust.identityInstalled']),
    );
  });

  it('vouches for the seal elsewhere with the register file alone, and for nothing it does not hold', async () => {
    const bundle = await desk.invoke('sessions.seal', { id: sessionId });
    const file = (await admin.invoke('trust.registerFile', {}))!;
    expect(file.sha256).toBe((await admin.invoke('trust.status', {})).registerSha256);
    const register = join(work, 'agency-register.json');
    writeFileSync(register, file.text);

    const trusted = await verify([
      bundle.path,
      '--register',
      register,
      '--expect-register',
      file.sha256,
    ]);
    expect(trusted.code, trusted.out).toBe(VERIFY_EXIT.passed);
    expect(trusted.out).toContain('signer vouched for by the agency certificate register');
    expect(trusted.out).toContain(file.sha256);
    // Without the register nothing vouches for the signer.
    expect((await verify([bundle.path])).code).toBe(VERIFY_EXIT['signer-unverified']);

    // Re-signed under the same names by another CA: the register does not vouch.
    const forged = await forgeBag(bundle.path, join(work, 'forged'), rogue);
    expect(forged.subject).toBe('O=某市市场监督管理局, CN=Attest 工作站 询问室-3');
    const refused = await verify([forged.path, '--register', register]);
    expect(refused.code).toBe(VERIFY_EXIT.failed);
    expect(refused.out).toMatch(/signing certificate is not trusted/);
    expect(refused.out).toMatch(/neither chains to a CA of the agency register/);

    // A signature copied from another bundle onto this one's tag manifest does not verify.
    const copied = join(work, 'copied');
    cpSync(bundle.path, copied, { recursive: true });
    chmodSync(join(copied, 'seal'), 0o755);
    chmodSync(join(copied, 'seal', 'tagmanifest-sha512.txt.p7s'), 0o644);
    copyFileSync(
      join(forged.path, 'seal', 'tagmanifest-sha512.txt.p7s'),
      join(copied, 'seal', 'tagmanifest-sha512.txt.p7s'),
    );
    const mismatched = await verify([copied, '--register', register]);
    expect(mismatched.code).toBe(VERIFY_EXIT.failed);
    expect(mismatched.out).toMatch(/signature/i);
    expect(mismatched.out).toContain('FAILED');

    // The forger's own register vouches for the forgery, but not under the agency's hash.
    const rogueRegister = join(work, 'rogue-register.json');
    const { registerText, registerEntry } =
      await import('../../../electron/core/platform/pki/register');
    const { pemToCertificates } = await import('../../../electron/core/platform/pki/certificate');
    writeFileSync(
      rogueRegister,
      registerText([registerEntry('ca', pemToCertificates(rogue.certPem)[0]!)]),
    );
    const swapped = await verify([
      forged.path,
      '--register',
      rogueRegister,
      '--expect-register',
      file.sha256,
    ]);
    expect(swapped.code).toBe(VERIFY_EXIT.failed);
    expect(swapped.out).toContain('the agency certificate register is not the one expected');

    // The app's own verification uses the register too.
    const inApp = await desk.invoke('bundles.verify', { bundleId: bundle.id });
    expect(inApp.ok).toBe(true);
    expect(inApp.report.signature?.trustedBy).toBe('register');
  }, 120_000);

  it('withdraws a CA: it stays listed and vouches for nothing after', async () => {
    const [ca] = (await admin.invoke('trust.status', {})).register;
    await expect(admin.invoke('trust.withdraw', { id: ca!.id, reason: 'x' })).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
      },
    );
    const withdrawn = await admin.invoke('trust.withdraw', {
      id: ca!.id,
      reason: 'CA 私钥保管不当，已停用',
    });
    expect(withdrawn.withdrawn?.reason).toBe('CA 私钥保管不当，已停用');
    await expect(
      admin.invoke('trust.withdraw', { id: ca!.id, reason: '再次撤下' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const status = await admin.invoke('trust.status', {});
    expect(status.register).toHaveLength(1);
    expect(status.workstation?.vouchedByRegister).toBe(false);
    const file = (await admin.invoke('trust.registerFile', {}))!;
    const register = join(work, 'withdrawn-register.json');
    writeFileSync(register, file.text);
    const [bundle] = await desk.invoke('bundles.list', { sessionId });
    const r = await verify([bundle!.path!, '--register', register]);
    expect(r.code).toBe(VERIFY_EXIT.failed);
    expect(r.out).toMatch(/the register withdrew .*电子证据 CA/);
  }, 60_000);
});
